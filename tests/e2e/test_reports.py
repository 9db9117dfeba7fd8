"""An official reads the dashboard, switches a chart to its table, changes the year, and
downloads the annual work summary."""

import re
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from docx import Document
from playwright.sync_api import expect

from dfed.people.models import Person
from dfed.reports.models import AnnualSummary

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]


def test_official_dashboard_table_view_year_filter_and_annual_summary(
    page, login_as, areas, official, person_factory, tmp_path
):
    for community, level in (("community_a1", 1), ("community_a2", 2), ("community_b1", 2)):
        person_factory(community=areas[community], level=level)
    Person.objects.update(created_at=datetime(2025, 3, 1, tzinfo=ZoneInfo("Asia/Shanghai")))
    login_as(page, official)

    expect(page.get_by_role("heading", name="全区概览", level=1)).to_be_visible()
    card = page.locator("#widget-people-by-town")
    expect(card).to_have_attribute("data-loaded", "true")
    expect(card.locator("canvas")).to_be_visible()

    toggle = card.get_by_role("button", name="表格视图")
    toggle.click()
    table = card.get_by_role("table")
    expect(table).to_be_visible()
    expect(card.locator("canvas")).to_be_hidden()
    expect(toggle).to_have_attribute("aria-pressed", "true")  # a fixed label; the state is pressed
    expect(table.locator("caption")).to_contain_text("在册残疾人（按镇街道、等级）")
    expect(table.get_by_role("rowheader", name="A镇")).to_be_visible()
    expect(table.get_by_role("row", name=re.compile("A镇"))).to_contain_text("2")
    expect(table.locator("tfoot")).to_contain_text("3")

    page.get_by_label("年度").select_option("2025")
    page.get_by_role("button", name="查询").click()
    expect(page).to_have_url(re.compile(r"[?&]year=2025"))
    expect(page.get_by_text("统计期间：2025年")).to_be_visible()
    expect(page.locator("#widget-people-by-town")).to_have_attribute(
        "data-widget-url", re.compile(r"year=2025")
    )

    page.get_by_role("link", name="年度工作总结").click()
    expect(page).to_have_url(re.compile(r"/reports/annual/2025/$"))
    expect(page.locator('[data-figure="registry.people"] td').first).to_have_text("3")
    with page.expect_download() as download_info:
        page.get_by_role("button", name="生成年度工作总结（Word）").click()
    download = download_info.value
    assert download.suggested_filename == "2025年度工作总结.docx"
    path = tmp_path / "summary.docx"
    download.save_as(path)
    document = Document(path)
    assert document.paragraphs[0].text.endswith("2025年度工作总结")
    text = "\n".join(p.text for p in document.paragraphs)
    assert "{{" not in text
    assert AnnualSummary.objects.get().status == AnnualSummary.Status.DONE
