"""Switching the portal to English with the language form in the header."""

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]


def test_header_form_switches_navigation_to_english_and_back(page, login_as, areas, caseworker):
    # Wide enough for the whole English menu in the bar (narrower, it folds behind the menu
    # button: tests/e2e/test_keyboard.py checks the header at laptop widths).
    page.set_viewport_size({"width": 1920, "height": 900})
    login_as(page, caseworker)
    nav = page.get_by_role("navigation", name="主导航")
    expect(nav.get_by_role("link", name="残疾人名册")).to_be_visible()

    page.get_by_label("语言").select_option("en")
    page.get_by_role("button", name="切换").click()

    nav = page.get_by_role("navigation", name="Main navigation")
    expect(nav.get_by_role("link", name="Dashboard")).to_be_visible()
    expect(nav.get_by_role("link", name="Disability register")).to_be_visible()
    expect(nav.get_by_role("button", name="Allowance payments")).to_be_visible()
    expect(nav.get_by_role("button", name="Log out")).to_be_visible()
    expect(page.locator("html")).to_have_attribute("lang", "en")

    # The choice sticks while browsing.
    nav.get_by_role("link", name="Disability register").click()
    expect(page.get_by_role("heading", name="Disability register")).to_be_visible()

    page.get_by_label("Language").select_option("zh-hans")
    page.get_by_role("button", name="Switch").click()
    expect(page.get_by_role("heading", name="残疾人名册")).to_be_visible()
    expect(page.locator("html")).to_have_attribute("lang", "zh-CN")
