"""A subsidy from application to bank file, through every role's pages."""

import pytest
from django.utils import timezone
from openpyxl import load_workbook
from playwright.sync_api import expect

from dfed.core.months import month_add, month_start
from subsidies.models import Entitlement, PaymentBatch
from subsidies.tests.factories import PDF_BYTES, demo_rates

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]


def test_application_to_bank_file(
    page,
    login_as,
    pick_person,
    areas,
    caseworker,
    town_reviewer,
    reviewer,
    person_factory,
    tmp_path,
):
    demo_rates()
    person = person_factory(name="孙秋菊", community=areas["community_a1"])
    this_month = month_start(timezone.localdate())
    last_month = month_add(this_month, -1)
    page.on("dialog", lambda dialog: dialog.accept())

    # Caseworker: new application with an attachment, saved and submitted at once.
    login_as(page, caseworker)
    page.goto("/subsidies/applications/new/")
    pick_person(page, person.name)
    page.locator("#id_type").select_option(value="living")
    page.locator("#id_reason").fill("低保户，无收入")
    attachment = tmp_path / "低保证.pdf"
    attachment.write_bytes(PDF_BYTES)
    page.locator("#id_attachment").set_input_files(str(attachment))
    page.get_by_role("button", name="保存并提交").click()
    expect(page.get_by_role("status")).to_contain_text("已提交乡镇审核")
    expect(page.get_by_role("link", name="低保证.pdf")).to_be_visible()
    detail_url = page.url
    page.get_by_role("button", name="退出").click()

    # Town head: approve from the queue.
    login_as(page, town_reviewer)
    page.goto("/subsidies/applications/queue/")
    page.get_by_role("link", name="孙秋菊").click()
    page.get_by_label("审核意见").fill("情况属实")
    page.get_by_role("button", name="审核通过").click()
    expect(page.get_by_role("status")).to_contain_text("已报区残联审定")
    page.get_by_role("button", name="退出").click()

    # Reviewer: approve from last month; the entitlement appears.
    login_as(page, reviewer)
    page.goto(detail_url)
    page.locator("#id_approved_from").fill(f"{last_month:%Y-%m}")
    page.get_by_role("button", name="批准").click()
    expect(page.get_by_role("status")).to_contain_text("已批准")
    expect(page.get_by_test_id("timeline")).to_contain_text("情况属实")
    page.goto("/subsidies/entitlements/")
    expect(page.get_by_role("link", name="孙秋菊")).to_be_visible()
    assert Entitlement.objects.get(person=person).start_month == last_month

    # Reviewer: generate this month's batch, see progress then totals, confirm, download.
    page.goto("/subsidies/batches/")
    page.get_by_label("发放月份").fill(f"{this_month:%Y-%m}")
    with page.expect_response(lambda r: "/batches/progress/" in r.url) as progress:
        page.get_by_role("button", name="生成发放批次").click()
    # The progress page polls and moves on to the batch (at once when already done).
    assert progress.value.status in (200, 302)
    page.wait_for_url("**/subsidies/batches/*/")
    expect(page.get_by_role("status").first).to_contain_text("发放批次已生成：新增 2 笔")
    expect(page.get_by_test_id("batch-total")).to_contain_text(
        "共 1 人 2 笔，合计 600.00 元（其中补发 300.00 元）"
    )
    page.get_by_role("button", name="确认批次").click()
    expect(page.get_by_test_id("batch-status")).to_have_text("已确认")
    with page.expect_download() as download_info:
        page.get_by_role("button", name="下载银行发放文件").click()
    path = tmp_path / "bank.xlsx"
    download_info.value.save_as(path)
    rows = list(load_workbook(path).worksheets[0].iter_rows(values_only=True))
    assert rows[1][:5] == ("孙秋菊", person.id_number, "农商银行", person.bank_account, 600)
    assert rows[-1][4] == 600
    assert PaymentBatch.objects.get().status == PaymentBatch.Status.EXPORTED
