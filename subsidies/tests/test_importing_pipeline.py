"""The pipelined import (PostgreSQL): chunks written while the file is parsed must end exactly
where the set-based path ends — the same counts, warnings, errors and rows — including people
whose rows fall into different chunks, and must leave nothing behind when it gives way."""

import sys
from datetime import date
from decimal import Decimal

import pytest
from django.db import connection, transaction

from dfed.core.importing.testing import xlsx_bytes
from dfed.people.models import Person
from subsidies.importing import pipeline, run
from subsidies.models import Entitlement, SubsidyRate

from .test_importing import HEADER, id_for, import_bytes, row

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the pipelined path is PostgreSQL's"
)


@pytest.fixture(autouse=True)
def small_chunks(monkeypatch):
    """Two rows a chunk (the first chunk has one), so every file here spans many chunks."""
    monkeypatch.setattr(pipeline, "CHUNK_ROWS", 2)


def state():
    """What an import leaves in the database, comparable between two runs."""
    people = sorted(
        Person.objects.values_list(
            "id_number", "name", "phone", "household", "community__name", "bank_account"
        )
    )
    ents = sorted(
        Entitlement.objects.values_list(
            "person__id_number", "type", "tier", "start_month", "paid_through", "state"
        )
    )
    history = sorted(
        Person.history.values_list("id_number", "history_type", "name", "phone")
    ) + sorted(Entitlement.history.values_list("person_id", "history_type", "tier"))
    return people, ents, len(history)


def both_ways(data: bytes, **kwargs):
    """Import ``data`` pipelined and set-based, each rolled back: (report, state) of each."""
    out = []
    for pipelined in (True, False):
        with transaction.atomic():
            report = import_bytes(data, pipelined=pipelined, **kwargs)
            out.append((report, state()))
            transaction.set_rollback(True)
    return out


def summary(report):
    return (
        report.created,
        report.updated,
        report.unchanged,
        report.rows,
        report.written,
        report.lines(),
    )


@pytest.fixture
def registered(person_factory, areas):
    """Two people already registered: one the file changes, one it leaves as is."""
    changed = person_factory(
        id_number=id_for(101), name="旧名", phone="13900139000", community=areas["community_a1"]
    )
    same = person_factory(
        id_number=id_for(102),
        name="钱七",
        phone="13800138000",
        household="dibao",
        community=areas["community_a1"],
        certificate_number="",
    )
    # The changed person's care entitlement is as the file has it: its row, chunks after the
    # row that changes the person, counts as updated (the person changed), as set-based.
    Entitlement.objects.create(
        person=changed,
        type="care",
        tier="level2",
        start_month=date(2025, 1, 1),
        paid_through=date(2025, 6, 1),
    )
    Entitlement.objects.create(
        person=same,
        type="living",
        tier="none",
        start_month=date(2025, 1, 1),
        paid_through=date(2025, 6, 1),
    )
    return changed, same


def mixed_rows():
    """New and registered people, each with rows in different chunks (one type, then the
    other, as towns often send them), and amounts that differ from the rate."""
    return [
        HEADER,
        row(1, "新名", id_for(101), type="生活补贴"),  # registered, changed
        row(2, "钱七", id_for(102), cert="", type="生活补贴"),  # registered, unchanged
        row(3, "孙八", id_for(103), type="生活补贴", amount="750"),  # new
        row(4, "周九", id_for(104), type="生活补贴"),  # new
        row(5, "吴十", id_for(105), level="一级", type="护理补贴"),  # new, care only
        row(6, "新名", id_for(101), type="护理补贴"),  # second type, chunks later
        row(7, "孙八", id_for(103), type="护理补贴", phone=""),  # second type, blank phone
        row(8, "钱七", id_for(102), cert="", type="护理补贴"),
    ]


def test_mixed_file_ends_as_the_set_based_path_does(areas, admin_user, registered):
    SubsidyRate.objects.create(
        type="living", tier="none", monthly_amount=Decimal("800"), effective_from=date(2025, 1, 1)
    )
    (piped, piped_state), (setwise, set_state) = both_ways(xlsx_bytes(mixed_rows()), by=admin_user)

    assert summary(piped) == summary(setwise)
    assert piped_state == set_state
    assert (piped.created, piped.updated, piped.unchanged) == (6, 1, 1)
    assert piped.warnings
    assert piped.written


def test_warning_names_the_column_as_the_file_heads_it(areas):
    SubsidyRate.objects.create(
        type="living", tier="none", monthly_amount=Decimal("800"), effective_from=date(2025, 1, 1)
    )
    header = ["月标准" if h == "月标准（元）" else h for h in HEADER]
    rows = [header, row(1, "孙八", id_for(131), amount="750"), row(2, "周九", id_for(132))]

    (piped, _piped_state), (setwise, _set_state) = both_ways(xlsx_bytes(rows))

    assert piped.warnings == setwise.warnings
    assert piped.warnings[0].startswith("月标准与补贴标准不一致：第2行")


def test_reimport_of_the_mixed_file_is_unchanged_both_ways(areas, admin_user, registered):
    data = xlsx_bytes(mixed_rows())
    import_bytes(data, by=admin_user, pipelined=False)

    (piped, piped_state), (setwise, set_state) = both_ways(data, by=admin_user)

    assert summary(piped) == summary(setwise)
    assert (piped.created, piped.updated, piped.unchanged) == (0, 0, 8)
    assert piped_state == set_state


def test_clean_file_is_written_by_the_pipeline_alone(areas, admin_user, monkeypatch):
    def set_based(*args, **kwargs):
        raise AssertionError("a clean file should not need the set-based path")

    monkeypatch.setattr(run, "_check_and_write", set_based)

    report = import_bytes(xlsx_bytes(mixed_rows()), by=admin_user)

    assert report.written
    assert report.created == 8
    assert Person.objects.count() == 5
    assert Entitlement.objects.count() == 8
    # One history time for the whole import, however many chunks wrote it.
    assert Person.history.values("history_date").distinct().count() == 1


def test_error_in_a_late_chunk_rolls_back_what_earlier_chunks_wrote(areas):
    rows = mixed_rows() + [row(9, "", id_for(109))]

    (piped, piped_state), (setwise, _set_state) = both_ways(xlsx_bytes(rows))
    assert summary(piped) == summary(setwise)
    assert piped.error_lines() == ["第10行 姓名 不能为空"]

    report = import_bytes(xlsx_bytes(rows))
    assert not report.written
    assert Person.objects.count() == 0
    assert Entitlement.objects.count() == 0


def test_progress_never_steps_back():
    """A file that falls back from the pipelined path starts the set-based steps lower."""
    seen = []
    report = run.forward_only(lambda fraction, message="": seen.append((fraction, message)))

    for fraction, message in [(0.1, "读取"), (0.9, ""), (0.5, "比对"), (1.0, "完成")]:
        report(fraction, message)

    assert seen == [(0.1, "读取"), (0.9, ""), (0.9, "比对"), (1.0, "完成")]


def test_deceased_person_in_a_late_chunk_is_the_set_based_error(areas, person_factory):
    person_factory(
        id_number=id_for(110), name="故人", status="deceased", status_date=date(2025, 3, 1)
    )
    rows = mixed_rows() + [row(9, "故人", id_for(110))]

    report = import_bytes(xlsx_bytes(rows))

    assert report.error_lines() == ["第10行 公民身份号码 本人已死亡，不在册"]
    assert Person.objects.count() == 1
    assert Entitlement.objects.count() == 0


def test_blank_filled_by_a_row_chunks_later_reaches_the_person(areas):
    rows = [
        HEADER,
        row(1, "孙八", id_for(121), type="生活补贴", phone="", account=""),
        row(2, "周九", id_for(122)),
        row(3, "吴十", id_for(123)),
        row(4, "郑一", id_for(124)),
        row(5, "孙八", id_for(121), type="护理补贴", phone="13700137000"),
    ]
    (piped, piped_state), (setwise, set_state) = both_ways(xlsx_bytes(rows))

    assert summary(piped) == summary(setwise)
    assert piped_state == set_state

    import_bytes(xlsx_bytes(rows))
    sun = Person.objects.get(id_number=id_for(121))
    assert (sun.phone, sun.bank_account) == ("13700137000", "622848001234567890")


def test_switch_interval_is_restored_by_the_last_import_out():
    before = sys.getswitchinterval()
    first, second = pipeline.short_switch_interval(), pipeline.short_switch_interval()
    first.__enter__()
    second.__enter__()
    assert sys.getswitchinterval() == pytest.approx(pipeline.SWITCH_INTERVAL)
    first.__exit__(None, None, None)  # the first one out leaves the other import its setting
    assert sys.getswitchinterval() == pytest.approx(pipeline.SWITCH_INTERVAL)
    second.__exit__(None, None, None)
    assert sys.getswitchinterval() == before


def test_unreadable_file_is_a_file_error(areas):
    report = import_bytes(b"not a workbook")

    assert report.file_error
    assert not report.written
