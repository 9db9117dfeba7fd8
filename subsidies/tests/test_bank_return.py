"""The bank's return file: the exported bank file with the bank's result columns added."""

import io
from datetime import date

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from dfed.core.importing import read_rows
from dfed.core.importing.testing import csv_bytes, xlsx_bytes
from dfed.people.models import Person
from dfed.people.tests.factories import make_id
from subsidies.bank_return import bank_return_import, failure_code_for
from subsidies.exports import bank_workbook
from subsidies.models import AccountCorrection, BatchAccount, Payment, PaymentBatch
from subsidies.services import payment_batch_mark_exported
from subsidies.tests.factories import exported

MAR = date(2025, 3, 1)


def exported_rows(batch) -> list[list]:
    """The bank file dfed exports for ``batch``, read back as rows."""
    buffer = io.BytesIO()
    bank_workbook(batch).workbook.save(buffer)
    return read_rows(buffer.getvalue(), name="bank.xlsx")


def return_file(batch, people, results: dict, headers=("处理结果", "失败原因", "银行流水号")):
    """The exported file plus the bank's columns; ``results``: key → (result, reason)."""
    rows = exported_rows(batch)
    by_id = {p.id_number: key for key, p in people.items()}
    out = [[*rows[0], *headers]]
    for number, row in enumerate(rows[1:-1], start=1):  # the last row is 合计
        result, reason = results[by_id[row[1]]]
        out.append([*row, result, reason, f"SN{number:04d}"])
    out.append(rows[-1])
    return out


RESULTS = {
    "ok": ("成功", ""),
    "account": ("失败", "该账户已销户"),
    "dead": ("失败", "户主已死亡"),
    "other": ("失败", "系统繁忙，请稍后重试"),
}


def statuses(batch):
    return sorted(Payment.objects.filter(batch=batch).values_list("status", "failure_code"))


def test_failure_text_to_reason():
    assert failure_code_for("该账户已销户") == "closed"
    assert failure_code_for("户名不符") == "name"
    assert failure_code_for("账户冻结") == "frozen"
    assert failure_code_for("无此账户") == "invalid"
    assert failure_code_for("户主已死亡") == "deceased"
    assert failure_code_for("系统繁忙") == "other"


def test_return_file_preview_then_record_then_reimport_changes_nothing(people, reviewer):
    batch = exported(MAR, reviewer)
    data = xlsx_bytes(return_file(batch, people, RESULTS))

    preview = bank_return_import(
        source=data, filename="回盘.xlsx", batch=batch.pk, by=reviewer, dry_run=True
    )
    assert preview.ok, preview.lines()
    assert (preview.rows, preview.created, preview.written) == (4, 4, False)
    assert preview.extra == {
        "paid": 1,
        "paid_amount": "500.00",
        "failed": 3,
        "failed_amount": "900.00",
    }
    assert {s for s, _code in statuses(batch)} == {"pending"}  # the preview wrote nothing

    report = bank_return_import(source=data, filename="回盘.xlsx", batch=batch.pk, by=reviewer)
    assert report.written
    assert report.extra["batch_paid"]
    batch.refresh_from_db()
    assert batch.status == PaymentBatch.Status.PAID
    assert statuses(batch) == [
        ("failed", "closed"),
        ("failed", "deceased"),
        ("failed", "other"),
        ("paid", ""),
        ("paid", ""),
    ]
    assert Payment.objects.get(batch=batch, person=people["other"]).bank_serial.startswith("SN")
    assert AccountCorrection.objects.count() == 1
    stamps = list(Payment.objects.order_by("pk").values_list("result_at", flat=True))

    again = bank_return_import(source=data, filename="回盘.xlsx", batch=batch.pk, by=reviewer)
    assert again.ok, again.lines()
    assert (again.created, again.unchanged) == (0, 4)
    assert list(Payment.objects.order_by("pk").values_list("result_at", flat=True)) == stamps
    assert AccountCorrection.objects.count() == 1


def test_bad_rows_are_errors_naming_row_and_column_and_nothing_is_written(people, reviewer):
    batch = exported(MAR, reviewer)
    rows = return_file(
        batch, people, RESULTS, headers=("状态", "失败原因", "流水号")
    )  # column variants
    header, good = rows[0], rows[1:-1]
    unknown = [*good[0]]
    unknown[1] = make_id(date(1960, 1, 1), seq=777)
    wrong_amount = [*good[1]]
    wrong_amount[4] = "301.00"
    no_reason = [*good[2]]
    no_reason[6], no_reason[7] = "失败", ""
    wrong_account = [*good[3]]
    wrong_account[3] = "6222020000000000001"
    duplicate = [*good[0]]
    data = csv_bytes([header, good[0], unknown, wrong_amount, no_reason, wrong_account, duplicate])

    report = bank_return_import(source=data, filename="回盘.csv", batch=batch.pk, by=reviewer)

    assert report.error_lines() == [
        "第3行 身份证号 本批次中没有该身份证号的发放明细",
        "第4行 金额 金额301.00元与本批次应发300.00元不一致",
        "第5行 失败原因 处理结果为失败时必须填写失败原因",
        "第6行 账号 与本批次发放的账号不一致",
        "第7行 身份证号 与第2行是同一笔发放，重复",
    ]
    assert not report.written
    assert {s for s, _code in statuses(batch)} == {"pending"}
    assert AccountCorrection.objects.count() == 0
    batch.refresh_from_db()
    assert batch.status == PaymentBatch.Status.EXPORTED


def test_the_return_is_matched_against_the_account_the_bank_file_gave(people, reviewer):
    """An account corrected after the file went to the bank does not refuse the bank's return
    of that file; a new download of the file carries the corrected account."""
    batch = exported(MAR, reviewer)
    sent = people["account"].bank_account
    assert sent
    data = xlsx_bytes(return_file(batch, people, RESULTS))
    Person.objects.filter(pk=people["account"].pk).update(bank_account="6222020000000000099")

    report = bank_return_import(
        source=data, filename="回盘.xlsx", batch=batch.pk, by=reviewer, dry_run=True
    )

    assert report.ok, report.lines()
    assert BatchAccount.objects.get(batch=batch, person=people["account"]).bank_account == sent

    payment_batch_mark_exported(batch=batch, by=reviewer)  # the file downloaded again
    accounts = {row[1]: row[3] for row in exported_rows(batch)[1:-1]}
    assert accounts[people["account"].id_number] == "6222020000000000099"
    stale = bank_return_import(
        source=data, filename="回盘.xlsx", batch=batch.pk, by=reviewer, dry_run=True
    )
    assert stale.error_lines() == ["第3行 账号 与本批次发放的账号不一致"]


def test_unreadable_result_and_missing_columns(people, reviewer):
    batch = exported(MAR, reviewer)
    rows = return_file(batch, people, RESULTS)
    rows[1][6] = "待定"
    report = bank_return_import(
        source=xlsx_bytes(rows), filename="r.xlsx", batch=batch.pk, by=reviewer
    )
    assert report.error_lines()[0].startswith("第2行 处理结果 处理结果无法识别：待定")
    no_result = [row[:6] for row in rows]
    report = bank_return_import(
        source=xlsx_bytes(no_result), filename="r.xlsx", batch=batch.pk, by=reviewer
    )
    assert "缺少必需的列：处理结果" in report.file_error


def test_return_file_needs_the_reviewers_permission(people, reviewer, official):
    batch = exported(MAR, reviewer)
    with pytest.raises(PermissionDenied):
        bank_return_import(
            source=xlsx_bytes(return_file(batch, people, RESULTS)),
            filename="r.xlsx",
            batch=batch.pk,
            by=official,
        )


def test_return_pages_upload_preview_confirm(client, people, reviewer, official):
    batch = exported(MAR, reviewer)
    client.force_login(reviewer)
    page = client.get(reverse("subsidies:batch-return", args=[batch.pk]))
    assert "下载回盘文件模板" in page.content.decode()
    template = client.get(reverse("subsidies:batch-return-template"))
    assert template.status_code == 200
    assert read_rows(b"".join(template.streaming_content), name="t.xlsx")[0][6] == "处理结果"

    upload = SimpleUploadedFile("回盘.xlsx", xlsx_bytes(return_file(batch, people, RESULTS)))
    response = client.post(reverse("subsidies:batch-return", args=[batch.pk]), {"file": upload})
    assert response.status_code == 302
    preview = client.get(response.url).content.decode()  # eager Celery: already done
    assert 'data-count="failed">3 笔 900.00 元<' in preview
    assert "确认登记" in preview
    done = client.get(client.post(response.url).url).content.decode()
    assert "批次已发放" in done
    batch.refresh_from_db()
    assert batch.status == PaymentBatch.Status.PAID

    detail = client.get(reverse("subsidies:batch-detail", args=[batch.pk])).content.decode()
    assert "500.00 元" in detail
    assert "900.00 元" in detail
    assert "户主死亡" in detail
    assert "不补发" in detail

    client.force_login(official)  # may see batches, not record results
    assert client.get(reverse("subsidies:batch-return", args=[batch.pk])).status_code == 403
    assert client.get(response.url).status_code in (403, 404)


def test_return_jobs_are_engine_jobs_scoped_to_batch_and_uploader(
    client, people, reviewer, make_user
):
    from dfed.accounts.roles import Role
    from dfed.imports.models import ImportJob

    batch = exported(MAR, reviewer)
    client.force_login(reviewer)
    upload = SimpleUploadedFile("回盘.xlsx", xlsx_bytes(return_file(batch, people, RESULTS)))
    response = client.post(reverse("subsidies:batch-return", args=[batch.pk]), {"file": upload})
    preview = ImportJob.objects.get()
    assert response.url == reverse("subsidies:batch-return-job", args=[batch.pk, preview.pk])
    assert (preview.importer, preview.options, preview.dry_run, preview.state) == (
        "bank_return",
        {"batch": batch.pk},
        True,
        "done",
    )
    status = client.get(response.url, headers={"accept": "application/json"}).json()
    assert (status["state"], status["percent"]) == ("done", 100)
    other_batch = reverse("subsidies:batch-return-job", args=[batch.pk + 1, preview.pk])
    assert client.get(other_batch).status_code == 404

    confirm = client.post(response.url)
    again = client.post(response.url)  # confirmed twice: the first run is shown
    real = ImportJob.objects.get(dry_run=False)
    assert (
        confirm.url == again.url == reverse("subsidies:batch-return-job", args=[batch.pk, real.pk])
    )
    assert (real.path, real.written) == (preview.path, True)
    assert client.post(confirm.url).url == confirm.url  # a real run is not confirmed again
    assert ImportJob.objects.count() == 2

    client.force_login(make_user("reviewer2", Role.REVIEWER))
    assert client.get(response.url).status_code == 404


def test_manual_results_on_the_batch_page(client, people, reviewer):
    batch = exported(MAR, reviewer)
    client.force_login(reviewer)
    payment = Payment.objects.get(batch=batch, person=people["dead"])
    page = client.get(reverse("subsidies:batch-detail", args=[batch.pk])).content.decode()
    assert "其余登记为已发放" in page
    assert "data-confirm" in page
    client.post(
        reverse("subsidies:payment-fail", args=[payment.pk]),
        {"failure_code": "deceased", "failure_text": "户主死亡"},
    )
    client.post(reverse("subsidies:batch-action", args=[batch.pk, "paid"]))
    batch.refresh_from_db()
    assert batch.status == PaymentBatch.Status.PAID
    assert statuses(batch).count(("paid", "")) == 4
