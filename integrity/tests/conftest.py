import pytest

from dfed.notifications.backends import locmem
from integrity.models import Staff

from .factories import DepartmentFactory, StaffFactory


@pytest.fixture(autouse=True)
def sms_outbox():
    locmem.outbox.clear()
    locmem.failures.clear()
    yield locmem.outbox
    locmem.outbox.clear()


@pytest.fixture
def org(db):
    """A secretary, a deputy, two departments with a head and a staff member each."""
    office = DepartmentFactory(name="办公室", order=1)
    rehab = DepartmentFactory(name="康复科", order=2)
    secretary = StaffFactory(name="李书记", post=Staff.Post.SECRETARY, department=office)
    deputy = StaffFactory(
        name="王副理事长", post=Staff.Post.DEPUTY, department=office, supervisor=secretary
    )
    head_office = StaffFactory(
        name="赵主任", post=Staff.Post.HEAD, department=office, supervisor=deputy
    )
    head_rehab = StaffFactory(
        name="钱科长", post=Staff.Post.HEAD, department=rehab, supervisor=deputy
    )
    clerk = StaffFactory(name="孙干事", department=rehab, phone="")
    return {
        "office": office,
        "rehab": rehab,
        "secretary": secretary,
        "deputy": deputy,
        "head_office": head_office,
        "head_rehab": head_rehab,
        "clerk": clerk,
    }


@pytest.fixture
def holiday_data(monkeypatch):
    """Change the ``holidays`` data as an upgrade of the package would: ``publish(year, rows)``
    adds a year's arrangement rows ``(month, day_off, month, make_up_working_day)`` in the
    library's own format; the calendars are recomputed."""
    from holidays.countries.china import ChinaStaticHolidays

    from integrity.festivals import calendar_reset

    data = dict(ChinaStaticHolidays.special_public_holidays)
    monkeypatch.setattr(ChinaStaticHolidays, "special_public_holidays", data)

    def publish(year, rows):
        data[year] = tuple(data.get(year, ())) + tuple(rows)
        calendar_reset()

    calendar_reset()
    yield publish
    monkeypatch.undo()
    calendar_reset()
