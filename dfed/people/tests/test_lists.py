"""External lists: each kind imports, bad rows are named by row and column, nothing written."""

from datetime import date, timedelta
from io import StringIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone

from dfed.core.importing.testing import csv_bytes, xlsx_bytes
from dfed.people.lists import external_list_import, list_template_rows
from dfed.people.models import (
    AssistanceRecord,
    CertificateRecord,
    DeathRecord,
    ExternalList,
    MoveRecord,
    SentenceRecord,
)

from .factories import PersonFactory, make_id

pytestmark = pytest.mark.django_db


def bad_check_digit(number: str) -> str:
    return number[:17] + ("0" if number[17] != "0" else "1")


def test_assistance_list_imports_and_keeps_who_and_when(areas, admin_user):
    person = PersonFactory()
    other = make_id()
    rows = [
        ["民政低保名单（2025年3月）"],
        ["身份证号", "姓名", "救助类型", "起始年月", "终止年月"],
        [person.id_number, person.name, "低保", "2024-01", ""],
        [other, "李四", "特困户", "2023年5月", "2025-02"],
    ]
    report = external_list_import(
        kind="assistance", source=xlsx_bytes(rows), filename="低保.xlsx", by=admin_user
    )

    assert report.ok, report.lines()
    assert report.written
    assert report.created == 2
    assert report.extra["registered"] == 1
    external = ExternalList.objects.get()
    assert (external.kind, external.imported_by, external.row_count) == (
        "assistance",
        admin_user,
        2,
    )
    first = AssistanceRecord.objects.get(id_number=person.id_number)
    assert (first.row, first.household, first.from_month, first.to_month) == (
        3,
        "dibao",
        date(2024, 1, 1),
        None,
    )
    assert AssistanceRecord.objects.get(id_number=other).to_month == date(2025, 2, 1)


def test_newer_list_makes_its_rows_current(areas):
    number = make_id()
    header = ["身份证号", "姓名", "救助类型", "起始年月", "终止年月"]
    external_list_import(
        kind="assistance",
        source=xlsx_bytes([header, [number, "甲", "低保", "2024-01", ""]]),
        filename="a.xlsx",
    )
    external_list_import(
        kind="assistance",
        source=xlsx_bytes([header, [number, "甲", "低保", "2024-01", "2025-01"]]),
        filename="b.xlsx",
    )

    rows = AssistanceRecord.objects.filter(id_number=number).order_by("pk")
    assert [(r.current, r.to_month) for r in rows] == [(False, None), (True, date(2025, 1, 1))]


@pytest.mark.parametrize(
    ("kind", "rows"),
    [
        (
            "death",
            [["身份证号", "姓名", "死亡日期", "信息来源"], ["{id}", "甲", "2025/3/4", "殡葬"]],
        ),
        (
            "move",
            [
                ["身份证号", "姓名", "迁移类型", "迁移日期", "迁往地区划代码"],
                ["{id}", "甲", "迁出", "20250304", "330106"],
            ],
        ),
        (
            "certificate",
            [
                ["身份证号", "姓名", "残疾人证号", "残疾类别", "残疾等级", "发证日期", "是否注销"],
                ["{id}", "甲", "{id}42", "肢体", "二级", "2025-03-04", "否"],
            ],
        ),
        (
            "sentence",
            [
                ["身份证号", "姓名", "服刑起始日期", "服刑截止日期"],
                ["{id}", "甲", "2025-03-04", "2027年3月3日"],
            ],
        ),
    ],
)
def test_each_kind_imports(areas, kind, rows):
    number = make_id()
    rows = [[cell.replace("{id}", number) for cell in row] for row in rows]

    report = external_list_import(kind=kind, source=csv_bytes(rows), filename="x.csv")

    assert report.written, report.lines()
    model = {
        "death": DeathRecord,
        "move": MoveRecord,
        "certificate": CertificateRecord,
        "sentence": SentenceRecord,
    }[kind]
    row = model.objects.get(id_number=number)
    assert row.current
    assert row.row == 2
    if kind == "death":
        assert (row.death_date, row.death_source) == (date(2025, 3, 4), "殡葬")
    if kind == "move":
        assert (row.direction, row.move_date, row.area_code) == ("out", date(2025, 3, 4), "330106")
    if kind == "certificate":
        assert (row.category, row.level, row.cancelled) == (4, 2, False)
    if kind == "sentence":
        assert row.to_date == date(2027, 3, 3)


def test_bad_rows_are_named_and_nothing_is_written(areas):
    good, twice = make_id(), make_id()
    tomorrow = timezone.localdate() + timedelta(days=1)
    rows = [
        ["身份证号", "姓名", "死亡日期", "信息来源"],
        [good, "甲", "2025-01-02", "公安"],
        [bad_check_digit(make_id()), "乙", "2025-01-02", "公安"],
        [make_id(), "丙", tomorrow.isoformat(), "公安"],
        [twice, "丁", "2025-01-02", "公安"],
        [twice, "丁", "2025-01-09", "殡葬"],
        [twice, "丁", "2025-01-02", "公安"],  # the same values again: accepted
    ]

    report = external_list_import(kind="death", source=xlsx_bytes(rows), filename="d.xlsx")

    assert report.error_lines() == [
        "第3行 身份证号 身份证号校验位错误",
        f"第4行 死亡日期 不能晚于今天（{timezone.localdate().isoformat()}）",
        "第6行 身份证号 与第5行重复且死亡日期、信息来源不一致",
    ]
    assert not report.written
    assert not ExternalList.objects.exists()
    assert not DeathRecord.objects.exists()


def test_to_month_before_from_month_is_a_row_error(areas):
    rows = [
        ["身份证号", "姓名", "救助类型", "起始年月", "终止年月"],
        [make_id(), "甲", "低保", "2025-03", "2025-01"],
    ]
    report = external_list_import(kind="assistance", source=xlsx_bytes(rows), filename="a.xlsx")

    assert report.error_lines() == ["第2行 终止年月 不能早于起始年月"]
    assert not AssistanceRecord.objects.exists()


def test_dry_run_runs_the_same_checks_and_writes_nothing(areas):
    person = PersonFactory()
    rows = [["身份证号", "姓名", "死亡日期"], [person.id_number, person.name, "2025-01-02"]]

    report = external_list_import(
        kind="death", source=xlsx_bytes(rows), filename="d.xlsx", dry_run=True
    )

    assert report.ok
    assert not report.written
    assert report.extra["registered"] == 1
    assert not ExternalList.objects.exists()


def call(*args) -> str:
    out = StringIO()
    call_command("import_list", *args, stdout=out)
    return out.getvalue()


def test_import_list_command_exit_codes(areas, tmp_path):
    good = tmp_path / "s.xlsx"
    good.write_bytes(xlsx_bytes([["身份证号", "服刑起始日期"], [make_id(), "2025-01-01"]]))
    bad = tmp_path / "bad.xlsx"
    bad.write_bytes(
        xlsx_bytes(
            [["身份证号", "服刑起始日期", "服刑截止日期"], [make_id(), "2025-01-01", "2024-01-01"]]
        )
    )
    broken = tmp_path / "broken.xlsx"
    broken.write_bytes(b"not a workbook")

    assert "预览，尚未写入" in call("sentence", str(good), "--dry-run")
    assert not SentenceRecord.objects.exists()
    assert "已全部写入" in call("sentence", str(good))
    assert SentenceRecord.objects.count() == 1
    with pytest.raises(CommandError) as rows_wrong:
        call("sentence", str(bad))
    assert rows_wrong.value.returncode == 1
    with pytest.raises(CommandError) as unreadable:
        call("sentence", str(broken))
    assert unreadable.value.returncode == 2
    with pytest.raises(CommandError) as missing:
        call("sentence", str(tmp_path / "nope.xlsx"))
    assert missing.value.returncode == 2


@pytest.mark.parametrize("kind", ExternalList.Kind.values)
def test_template_reimports_cleanly(areas, kind, client, admin_user):
    client.force_login(admin_user)
    response = client.get(f"/people/lists/{kind}/template/")
    assert response.status_code == 200
    data = b"".join(response.streaming_content)

    report = external_list_import(kind=kind, source=data, filename="t.xlsx", dry_run=True)

    headers, _example = list_template_rows(kind)
    assert report.ok, report.lines()
    assert report.rows == 1
    assert headers[0] == "公民身份号码"


def test_upload_preview_confirm(
    areas, client, admin_user, caseworker, django_capture_on_commit_callbacks
):
    person = PersonFactory()
    rows = [["身份证号", "姓名", "死亡日期"], [person.id_number, person.name, "2025-01-02"]]
    upload = SimpleUploadedFile("死亡.xlsx", xlsx_bytes(rows))
    client.force_login(caseworker)
    assert client.get("/people/lists/").status_code == 403
    client.force_login(admin_user)

    response = client.post("/people/lists/", {"kind": "death", "file": upload}, follow=True)

    assert "其中1行是本区在册残疾人" in response.content.decode()
    assert not ExternalList.objects.exists()
    job = response.context["job"]
    with django_capture_on_commit_callbacks(execute=True):
        done = client.post(f"/people/lists/jobs/{job}/", follow=True)
    assert done.status_code == 200
    external = ExternalList.objects.get()
    assert (external.kind, external.imported_by, external.filename) == (
        "death",
        admin_user,
        "死亡.xlsx",
    )
    assert "死亡.xlsx" in done.content.decode()


def test_list_jobs_are_engine_jobs_scoped_to_their_uploader_and_confirmed_once(
    areas, client, admin_user, make_user
):
    from dfed.accounts.roles import Role
    from dfed.imports.models import ImportJob

    rows = [["身份证号", "姓名", "死亡日期"], [make_id(), "甲", "2025-01-02"]]
    client.force_login(admin_user)
    response = client.post(
        "/people/lists/", {"kind": "death", "file": SimpleUploadedFile("死亡.csv", csv_bytes(rows))}
    )
    preview = ImportJob.objects.get()
    assert response.url == f"/people/lists/jobs/{preview.pk}/"
    assert (preview.importer, preview.options, preview.dry_run, preview.state) == (
        "external_list",
        {"kind": "death"},
        True,
        "done",
    )
    status = client.get(response.url, headers={"accept": "application/json"}).json()
    assert (status["state"], status["percent"]) == ("done", 100)

    confirm = client.post(response.url)
    client.post(response.url)  # confirmed twice (a double click): imported once
    real = ImportJob.objects.get(dry_run=False)
    assert confirm.url == f"/people/lists/jobs/{real.pk}/"
    assert (real.path, real.state, real.written) == (preview.path, "done", True)
    assert ExternalList.objects.count() == 1
    assert "返回名单" in client.get(confirm.url).content.decode()

    other = make_user("admin2", Role.ADMIN, is_staff=True)
    client.force_login(other)
    assert client.get(response.url).status_code == 404
    assert client.post(response.url).status_code == 404
    assert client.get("/people/lists/jobs/not-a-job/").status_code == 404


def test_list_preview_shows_progress_until_the_job_has_run(areas, client, admin_user):
    from django.core.files.base import ContentFile

    from dfed.imports.services import import_job_create, import_upload_save

    job = import_job_create(
        importer="external_list",
        path=import_upload_save(upload=ContentFile(b"x", name="a.csv")),
        filename="死亡.csv",
        by=admin_user,
        dry_run=True,
        options={"kind": "death"},
    )
    client.force_login(admin_user)
    page = client.get(f"/people/lists/jobs/{job.pk}/").content.decode()
    assert "data-progress-url" in page
    assert "确认导入" not in page
    assert client.post(f"/people/lists/jobs/{job.pk}/").status_code == 302
    assert not ExternalList.objects.exists()
