"""Keyboard only: every step below is a key press (Tab, Enter, Space, arrows, typing), never a
click; and the header at laptop widths."""

from datetime import date

import pytest
from django.conf import settings
from playwright.sync_api import expect

from homes import services as home_services
from homes.tests.factories import HomeFactory

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]

FOCUSED = "el => el === document.activeElement"


def tab_to(page, locator, *, limit: int = 80, backwards: bool = False):
    """Press Tab (or Shift+Tab) until ``locator`` has the focus; fail after ``limit`` presses."""
    for _ in range(limit):
        if locator.count() and locator.first.evaluate(FOCUSED):
            return
        page.keyboard.press("Shift+Tab" if backwards else "Tab")
    raise AssertionError(f"Tab never reached {locator}")


def focused_id(page) -> str:
    return page.evaluate("document.activeElement.id")


def test_login_by_keyboard(page, areas, caseworker):
    from dfed.accounts.tests.factories import PASSWORD

    page.goto("/accounts/login/")
    expect(page.get_by_label("用户名")).to_be_focused()
    page.keyboard.type(caseworker.username)
    page.keyboard.press("Tab")
    expect(page.get_by_label("密码")).to_be_focused()
    page.keyboard.type("wrong")
    page.keyboard.press("Enter")
    expect(page.locator("#form-errors")).to_be_focused()  # the error is announced first
    tab_to(page, page.get_by_label("密码"))
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Enter")
    page.wait_for_url(lambda url: "/accounts/login/" not in url)
    expect(page.get_by_role("button", name="退出")).to_be_visible()


def test_search_and_open_a_person_by_keyboard(page, login_as, areas, caseworker, person_factory):
    person_factory(name="林键盘", community=areas["community_a1"])
    person_factory(name="周其他", community=areas["community_a1"])
    login_as(page, caseworker)
    page.goto("/people/")
    page.keyboard.press("Tab")
    expect(page.get_by_role("link", name="跳到主要内容")).to_be_focused()
    page.keyboard.press("Enter")
    tab_to(page, page.get_by_label("搜索"))
    page.keyboard.type("林键盘")
    page.keyboard.press("Enter")
    page.wait_for_url("**/people/?*q=*")
    tab_to(page, page.get_by_role("link", name="林键盘"))
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="林键盘")).to_be_visible()


def test_a_form_with_an_error_moves_focus_to_the_summary_and_on_to_the_field(
    page, login_as, areas, caseworker
):
    login_as(page, caseworker)
    page.goto("/people/new/")
    tab_to(page, page.get_by_label("姓名"))
    page.keyboard.type("吴错号")
    tab_to(page, page.get_by_label("身份证号"))
    page.keyboard.type("330199198005170012")  # wrong check digit
    page.keyboard.press("Enter")
    summary = page.locator("#form-errors")
    expect(summary).to_be_focused()
    expect(summary).to_contain_text("校验位")
    page.keyboard.press("Tab")
    link = summary.get_by_role("link", name="身份证号")
    expect(link).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.get_by_label("身份证号")).to_be_focused()


def test_attendance_entry_by_keyboard(page, login_as, areas, caseworker, person_factory):
    HomeFactory(name="东门家园", community=areas["community_a1"])
    home = HomeFactory(name="西门家园", community=areas["community_a2"])
    for name in ("钱一", "钱二"):
        home_services.membership_join(
            home=home,
            person=person_factory(name=name, community=areas["community_a2"]),
            joined_on=date(2026, 1, 1),
            by=caseworker,
        )
    login_as(page, caseworker)
    page.goto("/homes/attendance/")
    expect(page.get_by_text("这个字段是必填项")).to_have_count(0)  # nothing before a submit
    tab_to(page, page.get_by_label("残疾人之家"))
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowDown")
    expect(page.get_by_label("残疾人之家")).to_have_value(str(home.pk))
    tab_to(page, page.get_by_role("button", name="打开名单"))
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="西门家园")).to_be_visible()
    tab_to(page, page.get_by_label("钱二"))
    page.keyboard.press("Space")
    tab_to(page, page.get_by_role("button", name="保存出勤"))
    page.keyboard.press("Enter")
    expect(page.get_by_role("status")).to_contain_text("1 人到场")


def test_a_dashboard_chart_table_by_keyboard(page, login_as, official):
    login_as(page, official)
    toggle = page.get_by_role("button", name="表格视图").first
    expect(toggle).to_have_attribute("aria-pressed", "false")
    card = page.locator("[data-widget-url]").first
    expect(card).to_have_attribute("data-loaded", "true")
    tab_to(page, toggle)
    label = toggle.inner_text()
    page.keyboard.press("Enter")
    expect(toggle).to_have_attribute("aria-pressed", "true")
    assert toggle.inner_text() == label  # the label names the view; the state is aria-pressed
    table = card.locator(".widget-table table")
    expect(table).to_be_visible()
    expect(card.locator(".widget-chart")).to_be_hidden()
    expect(card.locator(".widget-summary")).not_to_be_empty()
    page.keyboard.press("Space")
    expect(toggle).to_have_attribute("aria-pressed", "false")
    expect(card.locator(".widget-chart")).to_be_visible()


@pytest.mark.parametrize("language", ["zh-hans", "en"])
@pytest.mark.parametrize("width", [1366, 1280])
def test_admin_header_stays_one_row_at_laptop_widths(
    browser, live_server, login_as, admin_user, language, width
):
    context = browser.new_context(
        base_url=live_server.url, viewport={"width": width, "height": 800}
    )
    page = context.new_page()
    login_as(page, admin_user)
    context.add_cookies(
        [{"name": settings.LANGUAGE_COOKIE_NAME, "value": language, "url": live_server.url}]
    )
    page.goto("/")
    header = page.locator("header.portal-header")
    for element in ("#userMenu", "#language-select", "form[action='/accounts/logout/'] button"):
        expect(page.locator(element)).to_be_in_viewport()
    assert header.bounding_box()["height"] <= 72
    assert not page.evaluate(
        "document.documentElement.scrollWidth > document.documentElement.clientWidth"
    )
    context.close()


def test_choosing_a_person_in_a_form_by_keyboard(page, login_as, areas, caseworker, person_factory):
    from subsidies.models import Application

    chosen = person_factory(name="林选中", community=areas["community_a1"])
    person_factory(name="林同镇", community=areas["community_a2"])
    person_factory(name="林外镇", community=areas["community_b1"])  # another town: never offered
    login_as(page, caseworker)
    page.goto("/subsidies/applications/new/")
    box = page.get_by_role("combobox", name="残疾人")

    # Saved without a person: the summary names the picker and leads back into it.
    tab_to(page, page.get_by_role("button", name="保存草稿"))
    page.keyboard.press("Enter")
    summary = page.locator("#form-errors")
    expect(summary).to_be_focused()
    expect(summary).to_contain_text("请选择残疾人")
    page.keyboard.press("Tab")
    expect(summary.get_by_role("link", name="残疾人")).to_be_focused()
    page.keyboard.press("Enter")
    expect(box).to_be_focused()

    # Type part of the name, walk the answers with the arrows, choose with Enter.
    page.keyboard.type("林")
    listbox = page.get_by_role("listbox")
    expect(listbox.get_by_role("option")).to_have_count(2)
    expect(listbox).not_to_contain_text("林外镇")
    expect(listbox).to_contain_text(f"{chosen.id_number[:6]}********{chosen.id_number[-4:]}")
    for _ in range(3):
        active = box.get_attribute("aria-activedescendant")
        if active and "林选中" in page.locator(f"#{active}").inner_text():
            break
        page.keyboard.press("ArrowDown")
    page.keyboard.press("Enter")
    expect(listbox).to_be_hidden()
    expect(page.locator("#id_person-ts-status")).to_contain_text("已选择：林选中")

    tab_to(page, page.get_by_role("button", name="保存草稿"))
    page.keyboard.press("Enter")
    expect(page.get_by_role("status")).to_contain_text("草稿已保存")
    assert Application.objects.get().person == chosen
