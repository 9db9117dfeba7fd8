"""A retrofit from application to acceptance, through the browser."""

from decimal import Decimal

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from accessibility import services
from accessibility.models import RetrofitProject
from accessibility.tests.factories import PNG, RetrofitItemFactory, budget

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]


def test_caseworker_applies_and_assesses_reviewer_approves_and_accepts(
    page, login_as, pick_person, areas, caseworker, reviewer, person_factory
):
    year = timezone.localdate().year
    today = timezone.localdate().isoformat()
    person = person_factory(name="赵扶手", community=areas["community_a1"])
    RetrofitItemFactory(year=year, name="卫生间安全扶手", unit="套", price_cap="600.00")
    RetrofitItemFactory(year=year, name="入户坡道", unit="米", price_cap="800.00")
    budget(areas["town_a"], "20000.00", year)

    # The caseworker applies, takes the application in and records the assessment.
    login_as(page, caseworker)
    page.get_by_role("button", name="无障碍改造").click()
    page.get_by_role("link", name="新建改造申请").click()
    pick_person(page, person.name)
    page.locator("#id_needs").fill("卫生间如厕困难")
    page.get_by_role("button", name="提交申请").click()
    expect(page.get_by_role("status")).to_contain_text("已提交 赵扶手 的改造申请")
    page.get_by_role("button", name="受理并安排入户评估").click()
    expect(page.get_by_test_id("project-status")).to_have_text("入户评估")

    page.get_by_role("link", name="登记入户评估").click()
    page.locator("#id_assessor").fill("王评估")
    page.locator("#id_assessed_on").fill(today)
    page.locator("#id_items-0-item").select_option(label="卫生间安全扶手（套，≤600.00元）")
    page.locator("#id_items-0-quantity").fill("2")
    page.locator("#id_items-0-unit_price").fill("550")
    page.locator("#id_items-1-item").select_option(label="入户坡道（米，≤800.00元）")
    page.locator("#id_items-1-quantity").fill("3")
    page.locator("#id_items-1-unit_price").fill("900")
    page.get_by_role("button", name="保存评估").click()
    expect(page.get_by_role("alert")).to_contain_text("超过上限 800.00 元，请填写理由")
    page.locator("#id_items-1-over_cap_reason").fill("坡道需加宽")
    page.get_by_role("button", name="保存评估").click()
    expect(page.get_by_test_id("project-status")).to_have_text("审批")
    expect(page.get_by_test_id("estimate")).to_have_text("3,800.00")
    page.get_by_role("button", name="退出").click()

    # The reviewer approves against the town's budget.
    login_as(page, reviewer)
    project = RetrofitProject.objects.get(person=person)
    page.goto(f"/accessibility/projects/{project.pk}/")
    page.get_by_role("link", name="审批").click()
    expect(page.get_by_test_id("remaining")).to_contain_text("20,000.00 元")
    page.get_by_role("button", name="审批通过").click()
    expect(page.get_by_test_id("project-status")).to_have_text("施工")

    # Construction is recorded (by the town, through the service), then accepted with a photo.
    line_costs = {line.pk: Decimal("1000") for line in project.items.all()}
    services.project_record_construction(
        project=project,
        by=caseworker,
        contractor="平安装修队",
        start=timezone.localdate(),
        finish=timezone.localdate(),
        actual_costs=line_costs,
    )
    page.reload()
    page.get_by_role("link", name="验收", exact=True).click()
    page.get_by_label("改造内容已全部完成").check()
    page.get_by_label("家庭对改造满意").check()
    page.locator("#id_signed_by").fill("赵扶手")
    page.locator("#id_accepted_on").fill(today)
    page.locator("#id_after_photo").set_input_files(
        {"name": "after.png", "mimeType": "image/png", "buffer": PNG}
    )
    page.get_by_role("button", name="验收通过").click()
    expect(page.get_by_role("status")).to_contain_text("验收通过，项目已完成")
    expect(page.get_by_test_id("project-status")).to_have_text("完成")
    expect(page.get_by_role("img", name="改造后")).to_have_count(1)
    expect(page.get_by_test_id("timeline")).to_contain_text("验收通过")

    page.goto(f"/accessibility/figures/?year={year}")
    expect(page.get_by_test_id("completed-count")).to_have_text("1")
    expect(page.get_by_test_id("spent")).to_have_text("2,000.00")
