"""纪检 records a 专题研究 session and a signed 责任书, sees them counted in the yearly overview,
and previews a holiday reminder campaign."""

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from integrity.models import ResponsibilityLetter, Staff, StudySession
from integrity.services import reminder_campaigns_ensure_year
from integrity.tests.factories import DepartmentFactory, StaffFactory

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]


def test_integrity_officer_records_duties_and_previews_campaign(page, login_as, integrity_officer):
    year = timezone.localdate().year
    office = DepartmentFactory(name="办公室")
    secretary = StaffFactory(name="李书记", post=Staff.Post.SECRETARY, department=office)
    deputy = StaffFactory(
        name="王副理事长", post=Staff.Post.DEPUTY, department=office, supervisor=secretary
    )
    reminder_campaigns_ensure_year(year=2026)
    login_as(page, integrity_officer)

    # A 专题研究 session with its attendance
    page.get_by_role("button", name="党风廉政").click()
    page.get_by_role("link", name="学习与专题研究").click()
    page.get_by_role("link", name="新增学习与专题研究").click()
    page.locator("#id_held_on").fill(f"{year}-03-06")
    page.locator("#id_kind").select_option(label="专题研究")
    page.locator("#id_topic").fill("专题研究党风廉政建设责任制落实")
    page.get_by_label("李书记").check()
    page.get_by_label("王副理事长").check()
    page.get_by_role("button", name="保存").click()
    expect(page.get_by_role("status")).to_contain_text("已保存")
    assert StudySession.objects.get(kind="special").attendees.count() == 2

    # A signed responsibility letter
    page.goto("/integrity/letters/new/")
    page.locator("#id_year").fill(str(year))
    page.locator("#id_issuer").select_option(label="李书记")
    page.locator("#id_signer").select_option(label="王副理事长")
    page.locator("#id_signed_on").fill(f"{year}-02-20")
    page.get_by_role("button", name="保存").click()
    expect(page.get_by_role("status")).to_contain_text("已保存")
    assert ResponsibilityLetter.objects.get(signer=deputy).signed_on is not None

    # The yearly overview counts both and links to the lists
    page.goto("/integrity/overview/")
    expect(page.get_by_test_id("done-letters")).to_have_text("1")
    expect(page.get_by_test_id("done-special")).to_have_text("1")
    page.get_by_test_id("done-special").click()
    expect(page.get_by_role("table")).to_contain_text("专题研究党风廉政建设责任制落实")

    # Campaign preview: 春节 2026 goes out on the make-up Saturday
    page.goto("/integrity/campaigns/?year=2026")
    expect(page.get_by_role("row", name="春节")).to_contain_text("2026-02-14")
    page.get_by_role("link", name="春节").click()
    expect(page.get_by_test_id("send-on")).to_contain_text("2026-02-14")
    expect(page.get_by_test_id("preview").first).to_contain_text("李书记同志：春节将至")
