"""An admin imports a recipient roster in the browser: upload → preview → confirm."""

from datetime import date

import pytest
from playwright.sync_api import expect

from dfed.core.importing.testing import xlsx_bytes
from dfed.people.models import Person
from subsidies.models import Entitlement
from subsidies.tests.test_importing import clean_rows, messy_workbook

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]


def test_admin_uploads_previews_and_confirms_a_roster(page, login_as, areas, admin_user, tmp_path):
    messy = tmp_path / "乡镇花名册.xlsx"
    messy.write_bytes(messy_workbook())
    clean = tmp_path / "花名册.xlsx"
    clean.write_bytes(xlsx_bytes(clean_rows()))
    login_as(page, admin_user)

    page.goto("/imports/recipients/")
    page.get_by_label("花名册文件").set_input_files(str(messy))
    page.get_by_label("已发放至（年月）").fill("2025-06")
    page.get_by_role("button", name="上传并预览").click()
    expect(page.get_by_role("heading", name="花名册预览")).to_be_visible()
    rows = page.locator("#import-rows tbody tr")
    expect(page.locator('#import-rows tr[data-row="6"]')).to_contain_text("空行")
    page.locator("#row-filter").get_by_role("link", name="有误").click()
    expect(page.locator("#row-filter a.active")).to_contain_text("有误")
    expect(rows.first).to_contain_text("公民身份号码 身份证号校验位错误")
    expect(rows.first.locator("td").first).to_have_text("7")
    assert set(rows.evaluate_all("rs => rs.map(r => r.dataset.outcome)")) == {"error"}
    expect(page.get_by_role("button", name="确认导入")).to_have_count(0)
    assert Person.objects.count() == 0

    page.get_by_role("link", name="重新上传").click()
    page.get_by_label("花名册文件").set_input_files(str(clean))
    page.get_by_role("button", name="上传并预览").click()
    expect(page.locator('[data-count="created"]')).to_have_text("4")
    expect(page.locator("#import-summary")).to_contain_text("预览，尚未写入")
    page.get_by_label("已发放至（年月）").fill("2025-04")
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="确认导入").click()

    expect(page.get_by_role("heading", name="导入结果")).to_be_visible()
    expect(page.locator("#import-summary")).to_contain_text("已全部写入")
    expect(page.get_by_text("已发放至：2025年4月")).to_be_visible()
    assert Person.objects.count() == 3
    assert {e.paid_through for e in Entitlement.objects.all()} == {date(2025, 4, 1)}


def test_preview_shows_each_row_and_an_update_field_by_field(
    page, login_as, areas, admin_user, tmp_path
):
    from subsidies.tests.test_importing import import_bytes

    assert import_bytes(xlsx_bytes(clean_rows()), by=admin_user).written
    changed = clean_rows()
    for line in changed[2], changed[3]:  # 张三's two rows: a new phone
        line[10] = "13900139000"
    file = tmp_path / "更新.xlsx"
    file.write_bytes(xlsx_bytes(changed))
    login_as(page, admin_user)

    page.goto("/imports/recipients/")
    page.get_by_label("花名册文件").set_input_files(str(file))
    page.get_by_label("已发放至（年月）").fill("2025-06")  # as the first import: no change
    page.get_by_role("button", name="上传并预览").click()
    expect(page.get_by_role("heading", name="花名册预览")).to_be_visible()
    expect(page.locator('[data-count="updated"]')).to_have_text("2")
    rows = page.locator("#import-rows tbody tr")
    expect(rows).to_have_count(4)
    expect(page.locator('#import-rows tr[data-row="3"]')).to_contain_text(
        "联系电话：13800138000 → 13900139000"
    )
    expect(page.locator('#import-rows tr[data-row="5"]')).to_contain_text("未变化")

    page.locator("#row-filter").get_by_role("link", name="更新").click()
    expect(rows).to_have_count(2)
    assert rows.evaluate_all("rs => rs.map(r => r.dataset.row)") == ["3", "4"]
    assert Person.objects.get(name="张三").phone == "13800138000"
