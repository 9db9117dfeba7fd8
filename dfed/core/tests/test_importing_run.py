"""``roster_import_run``: the shared frame of the roster importers (progress, rollback, report)."""

import pytest

from dfed.core.importing import Column, ImportSpec
from dfed.core.importing.run import roster_import_run
from dfed.core.importing.staging import execute, fetch_all, staging_copy, staging_create
from dfed.core.importing.testing import csv_bytes

SPEC = ImportSpec(columns=[Column("name", ("姓名",), required=True, blank_ok=False)])
STAGE = "test_frame_stage"
PROBE = "test_frame_probe"


def _check(table, report, progress):
    progress(0.6, "比对")
    staging_create(STAGE, [("row_no", "integer"), ("name", "varchar(50)")])
    staging_copy(STAGE, ["row_no", "name"], [(r.row, r.values["name"]) for r in table.records])
    for record in table.records:
        if record.values["name"] == "坏":
            table.errors.append(table.error(record.row, "name", "不行"))


def _write(report):
    execute(f"CREATE TABLE {PROBE} AS SELECT * FROM {STAGE}")


def _run(rows, **kwargs):
    calls = []
    report = roster_import_run(
        spec=SPEC,
        source=csv_bytes(rows),
        filename="dir/名册.csv",
        progress=lambda fraction, message="": calls.append((fraction, message)),
        check=_check,
        write=_write,
        stage=STAGE,
        **kwargs,
    )
    written = fetch_all("SELECT to_regclass(%s) IS NOT NULL", [PROBE])[0][0]
    return report, calls, written


@pytest.mark.django_db
def test_a_clean_file_is_written_with_the_progress_steps():
    report, calls, written = _run([["姓名"], ["甲"], ["乙"]], extra={"first": 1})
    assert (written, report.written, report.errors) == (True, True, [])
    assert (report.filename, report.rows, report.skipped) == ("名册.csv", 2, [])
    assert list(report.extra) == ["first", "header_row"]
    steps = [call for call in calls if call[1]]
    assert steps == [(0.02, "正在读取文件……"), (0.6, "比对"), (0.8, "正在写入……"), (1.0, "完成")]
    assert all(0.1 <= f <= 0.6 for f, message in calls if not message)


@pytest.mark.django_db
def test_a_dry_run_runs_the_write_and_rolls_it_back():
    report, calls, written = _run([["姓名"], ["甲"]], dry_run=True)
    assert (written, report.written, report.errors) == (False, False, [])
    assert (0.8, "正在写入……") in calls


@pytest.mark.django_db
def test_a_row_error_skips_the_write():
    report, calls, written = _run([["姓名"], ["甲"], ["坏"]])
    assert (written, report.written) == (False, False)
    assert [e.row for e in report.errors] == [3]
    assert (0.8, "正在写入……") not in calls
    assert calls[-1] == (1.0, "完成")


@pytest.mark.django_db
def test_an_unreadable_file_sets_file_error_and_rolls_back_before():
    probe = []

    def before():
        execute(f"CREATE TABLE {PROBE} (x integer)")
        probe.append(True)

    report, calls, written = _run([["别的"], ["甲"]], before=before, parse_span=None)
    assert (probe, written, report.written) == ([True], False, False)
    assert report.file_error
    assert calls == [(0.02, "正在读取文件……")]
