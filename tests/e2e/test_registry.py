"""A caseworker works with the registry; an admin sees full values and the access log."""

import re

import pytest
from playwright.sync_api import expect

from dfed.people.models import Person, SensitiveAccessLog
from dfed.people.tests.factories import make_id

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]


def test_caseworker_searches_opens_masked_detail_and_registers(
    page, login_as, areas, caseworker, admin_user, person_factory
):
    person = person_factory(name="赵春花", community=areas["community_a1"])
    person_factory(name="外镇人", community=areas["community_b1"])
    login_as(page, caseworker)

    page.get_by_role("link", name="残疾人名册").click()
    page.get_by_label("搜索").fill("赵春")
    page.get_by_role("button", name="查询").click()
    expect(page.get_by_role("link", name="赵春花")).to_be_visible()
    expect(page.get_by_text("外镇人")).to_have_count(0)

    page.get_by_role("link", name="赵春花").click()
    masked = f"{person.id_number[:6]}********{person.id_number[-4:]}"
    expect(page.get_by_test_id("id-number")).to_have_text(masked)

    page.goto("/people/new/")
    page.locator("#id_name").fill("钱秋月")
    page.locator("#id_id_number").fill("330199198005170012")  # wrong check digit
    page.locator("#id_category").select_option(label="肢体残疾")
    page.locator("#id_level").select_option(label="二级")
    page.locator("#id_community").select_option(index=1)
    page.get_by_role("button", name="保存").click()
    expect(page.get_by_role("alert")).to_contain_text("身份证号校验位错误")
    assert not Person.objects.filter(name="钱秋月").exists()

    good = make_id()
    page.locator("#id_id_number").fill(good)
    page.get_by_role("button", name="保存").click()
    expect(page.get_by_role("status")).to_contain_text("已登记 钱秋月")
    assert Person.objects.get(name="钱秋月").id_number == good

    page.get_by_role("button", name="退出").click()
    login_as(page, admin_user)
    page.goto(f"/people/{person.pk}/")
    expect(page.get_by_test_id("id-number")).to_have_text(person.id_number)
    assert SensitiveAccessLog.objects.filter(user=admin_user, person=person).exists()
    page.goto("/people/access-log/")
    expect(page.get_by_role("table")).to_contain_text("赵春花")
    expect(page).to_have_title(re.compile("敏感信息查看记录"))


def test_a_search_for_an_id_number_stays_out_of_the_address_bar(
    page, login_as, areas, caseworker, person_factory
):
    person = person_factory(name="赵春花", community=areas["community_a1"])
    person_factory(name="钱秋月", community=areas["community_a1"])
    login_as(page, caseworker)

    page.goto("/people/")
    page.get_by_label("搜索").fill(person.id_number)
    page.get_by_role("button", name="查询").click()

    expect(page.get_by_role("link", name="赵春花")).to_be_visible()
    expect(page.get_by_text("钱秋月")).to_have_count(0)
    assert "qk=" in page.url
    assert person.id_number not in page.url
    expect(page.get_by_label("搜索")).to_have_value(person.id_number)

    # A name still searches by GET, in the URL as before.
    page.get_by_label("搜索").fill("钱秋")
    page.get_by_role("button", name="查询").click()
    expect(page.get_by_role("link", name="钱秋月")).to_be_visible()
    assert "q=" in page.url
    assert "qk=" not in page.url
