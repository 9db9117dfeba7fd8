"""A reviewer imports the bank's return file in the browser: upload → errors → preview → record."""

from datetime import date

import pytest
from playwright.sync_api import expect

from dfed.core.importing.testing import xlsx_bytes
from subsidies.models import Payment, PaymentBatch
from subsidies.services import entitlement_open
from subsidies.tests.factories import demo_rates, exported
from subsidies.tests.test_bank_return import return_file

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]

MAR = date(2025, 3, 1)


def test_reviewer_uploads_a_return_file(page, login_as, areas, person_factory, reviewer, tmp_path):
    demo_rates()
    people = {}
    for key in ("ok", "account"):
        people[key] = person_factory(community=areas["community_a1"])
        entitlement_open(
            person=people[key], type="living", tier="none", start_month=MAR, by=reviewer
        )
    batch = exported(MAR, reviewer)
    results = {"ok": ("成功", ""), "account": ("失败", "户名不符")}
    rows = return_file(batch, people, results)
    bad = tmp_path / "回盘有误.xlsx"
    bad.write_bytes(xlsx_bytes([*rows[:2], [*rows[2][:4], "299", *rows[2][5:]], rows[3]]))
    good = tmp_path / "回盘.xlsx"
    good.write_bytes(xlsx_bytes(rows))
    login_as(page, reviewer)

    page.goto(f"/subsidies/batches/{batch.pk}/")
    page.get_by_role("link", name="导入银行回盘文件").click()
    page.get_by_label("银行回盘文件").set_input_files(str(bad))
    page.get_by_role("button", name="上传并预览").click()
    errors = page.locator("#import-errors li")
    expect(errors).to_have_count(1)
    expect(errors.first).to_have_text("第3行 金额 金额299.00元与本批次应发300.00元不一致")
    expect(page.get_by_role("button", name="确认登记")).to_have_count(0)

    page.get_by_role("link", name="重新上传").click()
    page.get_by_label("银行回盘文件").set_input_files(str(good))
    page.get_by_role("button", name="上传并预览").click()
    expect(page.locator('[data-count="failed"]')).to_have_text("1 笔 300.00 元")
    assert set(Payment.objects.values_list("status", flat=True)) == {"pending"}
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="确认登记").click()
    expect(page.locator("#import-summary")).to_contain_text("批次已发放")

    page.get_by_role("link", name="返回批次").click()
    expect(page.get_by_test_id("batch-status")).to_have_text("已发放")
    expect(page.get_by_test_id("batch-results")).to_contain_text("发放失败 1 笔 300.00 元")
    batch.refresh_from_db()
    assert batch.status == PaymentBatch.Status.PAID
