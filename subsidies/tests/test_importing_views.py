"""The admin import pages: upload → preview (counts, every error, paid-through) → confirm."""

import re
from datetime import date
from html import unescape

import pytest
from django.contrib.auth.models import Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from dfed.accounts.roles import Role
from dfed.core.importing.testing import xlsx_bytes
from dfed.people.models import Person
from subsidies.models import Entitlement

from .test_importing import HEADER, TITLE, clean_rows, id_for, messy_workbook, row

RECIPIENTS = "/imports/recipients/"
ROW = re.compile(r'<tr data-row="(\d+)" data-outcome="(\w+)">(.*?)</tr>', re.S)


def rows_of(html: str) -> dict[int, tuple[str, str]]:
    return {int(n): (outcome, body) for n, outcome, body in ROW.findall(html)}


def row_numbers(html: str) -> list[int]:
    return list(rows_of(html))


def outcomes(html: str) -> list[str]:
    return [outcome for outcome, _body in rows_of(html).values()]


def row_html(html: str, number: int) -> tuple[str, list[str]]:
    """(outcome, the lines of its 说明 cell) of the preview's row ``number``."""
    outcome, body = rows_of(html)[number]
    lines = [unescape(re.sub(r"<[^>]+>", "", li)) for li in re.findall(r"<li>(.*?)</li>", body)]
    return outcome, lines


def upload(client, data: bytes, name="roster.xlsx", paid_through="2025-06"):
    return client.post(
        RECIPIENTS,
        {"file": SimpleUploadedFile(name, data), "paid_through": paid_through},
    )


def follow_to_done(client, response):
    """Eager Celery: the job is done when the upload returns; the progress page redirects."""
    assert response.status_code == 302
    progress = client.get(response.url)
    assert progress.status_code == 302
    return client.get(progress.url)


def test_upload_preview_confirm_writes_the_roster(client, admin_user):
    client.force_login(admin_user)
    assert client.get(RECIPIENTS).status_code == 200

    preview = follow_to_done(client, upload(client, xlsx_bytes(clean_rows())))

    html = preview.content.decode()
    assert 'data-count="created">4<' in html
    assert "预览，尚未写入" in html
    assert 'value="2025-06"' in html
    assert Person.objects.count() == 0

    confirm = client.post(preview.wsgi_request.path, {"paid_through": "2025-05"})
    result = follow_to_done(client, confirm)

    assert "已全部写入" in result.content.decode()
    assert "已发放至：2025年5月" in result.content.decode()
    assert Person.objects.count() == 3
    assert {e.paid_through for e in Entitlement.objects.all()} == {date(2025, 5, 1)}
    assert {e.created_by for e in Entitlement.objects.all()} == {admin_user}


def test_preview_lists_every_error_and_offers_no_confirm(client, admin_user):
    client.force_login(admin_user)

    preview = follow_to_done(client, upload(client, messy_workbook()))

    html = preview.content.decode()
    assert row_html(html, 7) == ("error", ["公民身份号码 身份证号校验位错误"])
    assert row_html(html, 22)[1] == ["银行卡号 银行账号应为12至30位数字"]
    errors = client.get(preview.wsgi_request.path, {"outcome": "error"}).content.decode()
    assert sum(len(row_html(errors, r)[1]) for r in row_numbers(errors)) == 17
    assert set(outcomes(errors)) == {"error"}
    assert html.count("已跳过：") == 2  # the blank row and 合计, listed apart from the errors
    assert row_html(html, 6) == ("skipped", ["空行"])
    assert "确认导入" not in html
    assert client.post(preview.wsgi_request.path, {"paid_through": "2025-06"}).status_code == 400
    assert Person.objects.count() == 0


def test_status_json_for_the_progress_bar(client, admin_user, areas):
    client.force_login(admin_user)
    response = upload(client, xlsx_bytes([HEADER, row(1, "张三", id_for(1))]))
    job = response.url.rstrip("/").rsplit("/", 1)[-1]

    data = client.get(reverse("imports:status", kwargs={"job": job})).json()

    assert data["state"] == "done"
    assert data["percent"] == 100
    assert data["redirect"] == reverse("imports:preview", kwargs={"job": job})
    assert "新增1行" in data["message"]


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("roster.pdf", b"%PDF-1.4", "只能导入 xlsx、xls 或 csv 文件"),
        ("roster.xlsx", b"not a zip", "文件内容与扩展名不符"),
    ],
)
def test_upload_rejects_wrong_files(client, admin_user, name, content, message):
    client.force_login(admin_user)

    response = upload(client, content, name=name)

    assert response.status_code == 400
    assert message in response.content.decode()


def test_only_staff_and_admins_may_import(client, caseworker, reviewer):
    for user in (caseworker, reviewer):
        client.force_login(user)
        assert client.get(reverse("imports:index")).status_code == 403


def test_jobs_of_other_users_are_not_found(client, admin_user, make_user, areas):
    client.force_login(admin_user)
    response = upload(client, xlsx_bytes([HEADER, row(1, "张三", id_for(1))]))
    other = make_user("admin2", Role.ADMIN, is_staff=True)
    client.force_login(other)

    assert client.get(response.url).status_code == 404


def test_the_upload_is_kept_for_the_retention_period_then_deleted(client, admin_user, settings):
    from datetime import timedelta

    from django.utils import timezone

    from dfed.imports.models import ImportJob
    from dfed.imports.services import import_files_purge

    client.force_login(admin_user)
    preview = follow_to_done(client, upload(client, xlsx_bytes(clean_rows())))
    folder = settings.MEDIA_ROOT / "imports"
    assert len(list(folder.iterdir())) == 1

    follow_to_done(client, client.post(preview.wsgi_request.path, {"paid_through": "2025-05"}))

    assert len(list(folder.iterdir())) == 1  # kept (the error file is made from it)
    assert import_files_purge(now=timezone.now() + timedelta(days=6)) == 0
    assert import_files_purge(now=timezone.now() + timedelta(days=8)) == 1
    assert list(folder.iterdir()) == []
    jobs = ImportJob.objects.filter(created_by=admin_user)
    assert [(j.dry_run, j.state, j.written) for j in jobs.order_by("created_at")] == [
        (True, "done", False),
        (False, "done", True),
    ]


def test_a_job_whose_worker_died_twice_shows_failed_on_its_page(client, admin_user, tmp_path):
    from dfed.imports.models import ImportJob
    from dfed.imports.services import import_job_create
    from dfed.imports.tasks import import_job_run

    job = import_job_create(
        importer="recipients",
        path="imports/big.xlsx",
        filename="big.xlsx",
        by=admin_user,
        dry_run=True,
        options={"paid_through": "2025-06-01"},
    )
    ImportJob.objects.filter(pk=job.pk).update(state="running", attempts=2)
    import_job_run.run(str(job.pk))  # the redelivery after the second lost worker

    client.force_login(admin_user)
    page = client.get(reverse("imports:progress", kwargs={"job": job.pk}))
    html = page.content.decode()
    assert 'class="alert alert-danger"' in html
    assert "导入进程在处理该文件时意外终止（已重试一次），任务已停止" in html
    status = client.get(reverse("imports:status", kwargs={"job": job.pk})).json()
    assert status["state"] == "failed"


def test_error_file_is_the_upload_with_an_error_column_and_red_cells(client, admin_user):
    import io

    from openpyxl import load_workbook

    client.force_login(admin_user)
    preview = follow_to_done(client, upload(client, messy_workbook(), name="东湖街道.xlsx"))
    html = preview.content.decode()
    assert "下载错误标注文件" in html

    job = preview.wsgi_request.resolver_match.kwargs["job"]
    response = client.get(reverse("imports:error-file", kwargs={"job": job}))

    assert response.status_code == 200
    assert "%E9%94%99%E8%AF%AF%E6%A0%87%E6%B3%A8.xlsx" in response["Content-Disposition"]
    sheet = load_workbook(io.BytesIO(response.content)).worksheets[0]
    header_row = next(r for r in range(1, 6) if sheet.cell(row=r, column=4).value == "公民身份号码")
    last = sheet.max_column
    assert sheet.cell(row=header_row, column=last).value == "错误说明"
    assert last == len(HEADER) + 1
    note = sheet.cell(row=7, column=last).value
    assert "公民身份号码：身份证号校验位错误" in note
    assert sheet.cell(row=7, column=4).fill.start_color.rgb == "FFFFC7CE"
    assert sheet.cell(row=7, column=2).fill.fill_type is None  # the good cell stays as it was
    annotated_rows = {
        r for r in range(header_row + 1, sheet.max_row + 1) if sheet.cell(row=r, column=last).value
    }
    assert len(annotated_rows) == 17  # every rejected row, once


def test_upload_page_offers_the_template_with_drop_downs(client, admin_user):
    import io

    from openpyxl import load_workbook

    client.force_login(admin_user)
    page = client.get(RECIPIENTS).content.decode()
    assert reverse("imports:template", kwargs={"key": "recipients"}) in page

    response = client.get(reverse("imports:template", kwargs={"key": "recipients"}))

    assert response.status_code == 200
    book = load_workbook(io.BytesIO(response.content))
    sheet = book["名册"]
    assert [c.value for c in sheet[2]][:4] == ["序号", "姓名", "性别", "公民身份号码"]
    assert sheet.cell(row=3, column=2).value == "王芳"
    assert len(sheet.data_validations.dataValidation) == 5
    options = book["选项"]
    towns = [c.value for c in options["E"] if c.value]
    assert towns == ["A镇", "B镇"]


def test_preview_of_a_job_without_rows_pages_its_error_lines(client, admin_user):
    """A job stored before rows were (only the report's errors): 200 error lines a page."""
    from dfed.imports.models import ImportJob
    from dfed.imports.services import import_job_create

    rows = 1_000
    job = import_job_create(
        importer="recipients",
        path="imports/none.xlsx",
        filename="全区.xlsx",
        by=admin_user,
        dry_run=True,
        options={"paid_through": "2025-06-01"},
    )
    report = {
        "filename": "全区.xlsx",
        "rows": rows,
        "errors": [[r, 3, "公民身份号码", "身份证号校验位错误"] for r in range(2, rows + 2)],
        "warnings": [f"第{r}行 手机号 提示" for r in range(2, rows + 2)],
        "skipped": [[r, "空行"] for r in range(rows + 2, 2 * rows + 2)],
    }
    ImportJob.objects.filter(pk=job.pk).update(state="done", report=report)
    client.force_login(admin_user)

    page = client.get(reverse("imports:preview", kwargs={"job": job.pk}))

    html = page.content.decode()
    assert "第2行 公民身份号码 身份证号校验位错误" in html
    assert "1 / 5" in html  # 200 errors a page
    second = client.get(reverse("imports:preview", kwargs={"job": job.pk}), {"page": 2})
    assert "第202行 公民身份号码" in second.content.decode()


def many_rows(count: int, *, bad_every: int = 10) -> list[list]:
    """``count`` recipients (distinct IDs), every ``bad_every``-th in a town that does not
    exist; data rows start at Excel row 3 (title, header)."""
    rows = [TITLE, HEADER]
    for i in range(count):
        number = id_for(i % 500, birth=date(1950 + i // 500, 3, 9))
        town = "C镇" if i % bad_every == bad_every - 1 else "A镇"
        rows.append(row(i + 1, f"人员{i}", number, town=town))
    return rows


@pytest.mark.slow
def test_preview_of_a_generated_roster_is_paged_filtered_and_small(client, admin_user):
    """3,000 rows: the page shows 50 of them whatever the file's size (a 100k-row file's
    preview stays far under 1 MB), the filter narrows to one outcome, and pages follow."""
    client.force_login(admin_user)

    preview = follow_to_done(client, upload(client, xlsx_bytes(many_rows(3_000))))

    html = preview.content.decode()
    assert preview.status_code == 200
    assert len(preview.content) < 200_000  # 50 rows a page, plus the counts and the warnings
    assert row_numbers(html) == list(range(3, 53))
    assert "1 / 60" in html
    assert 'data-filter="error">有误 <span class="badge text-bg-light">300<' in html
    path = preview.wsgi_request.path
    errors = client.get(path, {"outcome": "error", "page": 6}).content.decode()
    assert "6 / 6" in errors
    assert set(outcomes(errors)) == {"error"}
    assert row_numbers(errors)[-1] == 3_002
    assert row_html(errors, 3_002)[1] == ["镇（街道） 镇（街道）不存在：C镇"]
    created = client.get(path, {"outcome": "created", "page": 2}).content.decode()
    assert set(outcomes(created)) == {"created"}
    assert len(row_numbers(created)) == 50
    assert len(created.encode()) < 200_000


def test_preview_shows_an_update_field_by_field_masked(client, admin_user, make_user, areas):
    """Old → new for each changed field; phones and accounts masked without view_sensitive."""
    from subsidies.tests.test_importing import import_bytes

    assert import_bytes(xlsx_bytes(clean_rows()), by=admin_user).written
    changed = clean_rows()
    for line in changed[2], changed[3]:  # 张三's two rows: phone and account
        line[10], line[16] = "13900139000", "622848009876543210"
    changed[5][9] = "B镇1社区"  # 王强 moves within B镇
    clerk = make_user("clerk", Role.OFFICIAL, is_staff=True)  # no view_sensitive
    clerk.user_permissions.add(Permission.objects.get(codename="add_entitlement"))
    clerk = type(clerk).objects.get(pk=clerk.pk)
    client.force_login(clerk)

    preview = follow_to_done(client, upload(client, xlsx_bytes(changed)))

    html = preview.content.decode()
    assert row_html(html, 3) == (
        "updated",
        [
            "联系电话：138****8000 → 139****9000",
            "银行账号：6228**********7890 → 6228**********3210",
        ],
    )
    assert row_html(html, 4) == ("updated", [])  # the same person's second row
    assert row_html(html, 5) == ("unchanged", [])
    assert row_html(html, 6) == ("updated", ["社区村：B镇2社区 → B镇1社区"])
    assert "13900139000" not in html
    assert id_for(21) not in html
    updated = client.get(preview.wsgi_request.path, {"outcome": "updated"}).content.decode()
    assert row_numbers(updated) == [3, 4, 6]
    assert Person.objects.get(id_number=id_for(21)).phone == "13800138000"  # a preview


def test_preview_shows_full_values_to_view_sensitive_and_logs_it(client, admin_user):
    from dfed.people.models import SensitiveAccessLog
    from subsidies.tests.test_importing import import_bytes

    assert import_bytes(xlsx_bytes(clean_rows()), by=admin_user).written
    changed = clean_rows()
    changed[2][10] = changed[3][10] = "13900139000"
    client.force_login(admin_user)

    preview = follow_to_done(client, upload(client, xlsx_bytes(changed)))

    assert row_html(preview.content.decode(), 3)[1] == ["联系电话：13800138000 → 13900139000"]
    assert SensitiveAccessLog.objects.filter(user=admin_user).exists()
