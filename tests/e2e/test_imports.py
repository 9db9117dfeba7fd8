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

    page.goto("/imports/")
    page.get_by_label("花名册文件").set_input_files(str(messy))
    page.get_by_label("已发放至（年月）").fill("2025-06")
    page.get_by_role("button", name="上传并预览").click()
    expect(page.get_by_role("heading", name="花名册预览")).to_be_visible()
    errors = page.locator("#import-errors li")
    expect(errors).to_have_count(17)
    expect(errors.first).to_have_text("第7行 公民身份号码 身份证号校验位错误")
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
