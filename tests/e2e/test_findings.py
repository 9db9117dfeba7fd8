"""A caseworker works through the comparison worklist; a reviewer confirms the proposed stop."""

import pytest
from playwright.sync_api import expect

from dfed.people.models import Person
from subsidies.models import Application, Entitlement, Finding, RecoveryItem
from subsidies.tests.factories import demo_rates
from subsidies.tests.findings_data import build_world, compare

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]


def test_caseworker_works_through_the_worklist(
    page, login_as, areas, person_factory, caseworker, reviewer
):
    demo_rates()
    world = build_world(areas, person_factory)
    compare()
    page.on("dialog", lambda dialog: dialog.accept())
    login_as(page, caseworker)

    page.goto("/subsidies/")
    page.get_by_role("button", name="补贴发放").click()
    page.get_by_role("link", name="比对发现").click()
    rows = page.locator("#findings tbody tr")
    expect(rows.first).to_contain_text("停发")  # money at risk first
    expect(page.locator("#findings")).not_to_contain_text("新办证")  # no town: reviewers only

    # A correction: the registry takes the certificate list's name.
    page.locator('tr[data-rule="name"]').get_by_role("button", name="按名单更正").click()
    expect(page.get_by_role("status")).to_contain_text("已更正登记信息")
    assert Person.objects.get(pk=world["renamed"].pk).name == "王新名"

    # A start: invite by SMS, then draft the application.
    row = page.locator('tr[data-rule="start_living"]')
    row.get_by_role("button", name="短信邀请").click()
    expect(page.get_by_role("status")).to_contain_text("邀请短信已进入发送队列")
    row = page.locator('tr[data-rule="start_living"]')
    expect(row).to_contain_text("邀请短信")
    row.get_by_role("button", name="生成申请草稿").click()
    expect(page.get_by_role("status")).to_contain_text("已生成申请草稿")
    assert Application.objects.get(person=world["missed"]).status == "draft"

    # A stop with months already paid: only proposed by a caseworker.
    page.locator('tr[data-rule="died"]').get_by_role("button", name="提议停发").click()
    expect(page.get_by_role("status")).to_contain_text("等待区残联审核人确认")

    # A dismissal needs a reason.
    row = page.locator('tr[data-rule="sentenced"]')
    row.get_by_placeholder("排除原因").fill("同名错报，已核实")
    row.get_by_role("button", name="排除").click()
    expect(page.get_by_role("status")).to_contain_text("已排除")
    assert Finding.objects.get(rule="sentenced").status == "dismissed"
    page.get_by_role("button", name="退出").click()

    # The reviewer confirms the proposed stop: ended, with recovery items.
    login_as(page, reviewer)
    page.goto("/subsidies/findings/?proposed=on")
    page.locator('tr[data-rule="died"]').get_by_role("button", name="确认停发").click()
    expect(page.get_by_role("status")).to_contain_text("已处理")
    entitlement = Entitlement.objects.get(person=world["dead"])
    assert entitlement.state == "ended"
    assert RecoveryItem.objects.filter(entitlement=entitlement).count() == 7
