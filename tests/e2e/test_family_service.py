"""The family service on a phone: verify by SMS code, apply online with papers, the town's
caseworker picks the application up, it is approved, and the family sees it and gets the texts."""

import re

import pytest
from django.core.cache import cache
from playwright.sync_api import expect

from dfed.notifications.models import SmsMessage
from dfed.people.tests.factories import make_id
from subsidies.models import Application
from subsidies.services import application_approve, application_town_approve
from subsidies.tests.factories import PDF_BYTES, PNG_BYTES, demo_rates

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]

GUARDIAN = "13900139000"
JPG = b"\xff\xd8\xff" + b"0" * 64


def code_sent() -> str:
    message = SmsMessage.objects.filter(purpose="family_code").order_by("-pk").first()
    return re.search(r"验证码(\d{6})", message.body).group(1)


def fits_360(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def verify(page, id_number: str, phone: str) -> None:
    page.get_by_label("身份证号").fill(id_number)
    page.get_by_label("手机号").fill(phone)
    page.get_by_role("button", name="获取验证码").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("第二步：输入验证码")


@pytest.fixture(autouse=True)
def _fresh_limits():
    cache.clear()
    yield
    cache.clear()


def test_family_applies_on_phone_caseworker_submits_and_family_sees_approval(
    phone_page,
    browser,
    live_server,
    login_as,
    areas,
    caseworker,
    town_reviewer,
    reviewer,
    person_factory,
    tmp_path,
):
    demo_rates()
    person = person_factory(
        name="李家人", community=areas["community_a1"], phone="", guardian_phone=GUARDIAN
    )
    page = phone_page

    # An unknown ID gets the same answer and no text.
    page.goto("/service/")
    expect(page.get_by_role("navigation")).to_have_count(0)  # no staff navigation
    page.get_by_role("link", name="网上申请补贴").click()
    verify(page, make_id(), GUARDIAN)
    unknown_text = page.locator("main").inner_text()
    assert not SmsMessage.objects.exists()
    page.goto("/service/apply/")
    expect(page).to_have_url(re.compile(r"/service/verify/"))  # nothing without the code

    # The guardian verifies with the phone on file.
    verify(page, person.id_number, GUARDIAN)
    assert page.locator("main").inner_text() == unknown_text
    page.get_by_label("短信验证码").fill(code_sent())
    page.get_by_role("button", name="验证", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("网上申请补贴")
    expect(page.get_by_test_id("check-living")).to_contain_text("可以申请")
    assert fits_360(page)

    # Apply with the three papers; the consent is required.
    page.get_by_label("困难残疾人生活补贴").check()
    page.get_by_label("身份证", exact=True).set_input_files(
        {"name": "sfz.jpg", "mimeType": "image/jpeg", "buffer": JPG}
    )
    page.get_by_label("户口本", exact=True).set_input_files(
        {"name": "hukou.png", "mimeType": "image/png", "buffer": PNG_BYTES}
    )
    page.get_by_label("残疾人证", exact=True).set_input_files(
        {"name": "zheng.pdf", "mimeType": "application/pdf", "buffer": PDF_BYTES}
    )
    page.get_by_role("button", name="提交申请").click()
    expect(page.get_by_role("alert")).to_contain_text("需要您同意数据比对")
    for label, name, mime, data in [
        ("身份证", "sfz.jpg", "image/jpeg", JPG),
        ("户口本", "hukou.png", "image/png", PNG_BYTES),
        ("残疾人证", "zheng.pdf", "application/pdf", PDF_BYTES),
    ]:
        page.get_by_label(label, exact=True).set_input_files(
            {"name": name, "mimeType": mime, "buffer": data}
        )
    page.get_by_label("困难残疾人生活补贴").check()
    page.get_by_label("我同意数据比对").check()
    page.get_by_role("button", name="提交申请").click()
    expect(page.get_by_role("heading", name="补贴申请回执")).to_be_visible()
    application = Application.objects.get(person=person)
    expect(page.get_by_test_id("reference")).to_have_text(application.reference)
    expect(page.get_by_role("button", name="打印回执")).to_be_visible()
    assert fits_360(page)

    # The town's caseworker finds it among the drafts and submits it.
    context = browser.new_context(base_url=live_server.url, locale="zh-CN")
    staff = context.new_page()
    login_as(staff, caseworker)
    staff.goto("/subsidies/applications/drafts/")
    staff.get_by_role("link", name="李家人").click()
    expect(staff.get_by_test_id("channel")).to_have_text("网上申请")
    expect(staff.get_by_text("hukou.png")).to_be_visible()
    staff.get_by_role("button", name="提交乡镇审核").click()
    expect(staff.get_by_role("status").first).to_contain_text("已提交乡镇审核")
    context.close()

    application.refresh_from_db()
    application_town_approve(application=application, by=town_reviewer)
    application_approve(application=application, by=reviewer)

    # The family sees the approval; the texts went once per event to the guardian.
    page.goto("/service/status/")
    expect(page.get_by_test_id("app-status").first).to_have_text("已批准")
    expect(page.get_by_test_id("monthly-amount")).to_have_text("300.00")
    assert fits_360(page)
    notices = list(
        SmsMessage.objects.filter(purpose="subsidy_notice")
        .order_by("pk")
        .values_list("phone", "body")
    )
    assert [phone for phone, _ in notices] == [GUARDIAN, GUARDIAN]
    assert application.reference in notices[0][1]
    assert "已收到" in notices[0][1]
    assert "已批准" in notices[1][1]

    # English switch, then leave.
    page.get_by_role("button", name="English").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    page.get_by_role("button", name=re.compile("退出|Sign out|Log out|Exit")).click()
    page.goto("/service/status/")
    expect(page).to_have_url(re.compile(r"/service/verify/"))
