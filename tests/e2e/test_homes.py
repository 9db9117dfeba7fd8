"""残疾人之家 in the browser: attendance on a phone, and an approval that changes a star level."""

from datetime import date
from decimal import Decimal

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from homes import services
from homes.models import Attendance, StarAssessment
from homes.tests.factories import HomeFactory, small_template

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]


def test_caseworker_records_todays_attendance_on_a_phone(
    phone_page, login_as, areas, caseworker, person_factory
):
    page = phone_page
    home = HomeFactory(name="和平阳光家园", community=areas["community_a1"])
    HomeFactory(name="外镇家园", community=areas["community_b1"])
    people = [person_factory(name=n, community=areas["community_a1"]) for n in ("张丽", "王强")]
    for person in people:
        services.membership_join(
            home=home, person=person, joined_on=date(2026, 1, 1), by=caseworker
        )
    login_as(page, caseworker)

    page.goto("/homes/attendance/")
    expect(page.get_by_role("heading", name="和平阳光家园")).to_be_visible()
    expect(page.get_by_label("残疾人之家")).not_to_contain_text("外镇家园")
    box = page.get_by_text("张丽").bounding_box()
    row = page.locator("label.member").first.bounding_box()
    assert row["height"] >= 44  # a comfortable touch target
    assert box is not None
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 360  # nothing spills sideways at phone width

    page.get_by_label("张丽").check()
    expect(page.locator("#present-count")).to_have_text("1")
    page.get_by_role("button", name="保存出勤").tap()
    expect(page.get_by_role("status")).to_contain_text("1 人到场")
    expect(page.get_by_label("张丽")).to_be_checked()
    expect(page.get_by_label("王强")).not_to_be_checked()
    today = timezone.localdate()
    assert list(Attendance.objects.filter(date=today).values_list("person__name", flat=True)) == [
        "张丽"
    ]


def test_reviewer_approval_changes_the_star_level_on_coverage(
    page, login_as, areas, town_reviewer, reviewer
):
    small_template(2026)
    home = HomeFactory(name="东风康乐之家", community=areas["community_a1"])
    assessment = services.assessment_create(home=home, year=2026, by=town_reviewer)
    lines = list(assessment.scores.order_by("item__order"))
    points = ["20", "16", "16", "16", "16"]  # 84: four stars
    services.assessment_score(
        assessment=assessment,
        by=town_reviewer,
        scores={line.item_id: (Decimal(p), "") for line, p in zip(lines, points, strict=True)},
    )
    services.assessment_submit(assessment=assessment, by=town_reviewer)
    login_as(page, reviewer)

    page.goto("/homes/coverage/")
    row = page.locator("tr", has_text="东风康乐之家")
    expect(row).to_contain_text("未评定")
    expect(page.locator("tr", has_text="B镇")).to_contain_text("尚未建立残疾人之家")

    page.goto("/homes/assessments/")
    page.get_by_role("link", name="东风康乐之家").click()
    expect(page.get_by_test_id("computed-level")).to_contain_text("4星")
    expect(page.get_by_test_id("reasons")).to_contain_text("达到四星标准")
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="审定通过").click()
    expect(page.get_by_role("status").first).to_contain_text("已审定")
    expect(page.get_by_test_id("status")).to_have_text("已审定")

    page.goto("/homes/coverage/")
    expect(page.locator("tr", has_text="东风康乐之家")).to_contain_text("4星")
    assessment.refresh_from_db()
    assert (assessment.status, assessment.decided_by) == (StarAssessment.Status.APPROVED, reviewer)
