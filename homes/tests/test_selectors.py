from datetime import date
from decimal import Decimal

import pytest
from django.http import Http404

from dfed.accounts.roles import Role
from homes import selectors, services
from homes.models import Home, ServiceType
from homes.tests.factories import HomeFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def february(home_a, home_b, person_factory, areas, caseworker, make_user):
    """Hand-computed February 2026 at home A (see the assertions)."""
    caseworker_b = make_user("caseworker_b", Role.CASEWORKER, towns=[areas["town_b"]])
    staff = {home_a: caseworker, home_b: caseworker_b}
    a1, b1 = areas["community_a1"], areas["community_b1"]
    ann, bob, cat, dan = (person_factory(name=n, community=a1) for n in "甲乙丙丁")
    zed = person_factory(name="戊", community=b1)
    join, leave = services.membership_join, services.membership_leave
    join(home=home_a, person=ann, joined_on=date(2026, 1, 1), by=caseworker)
    m = join(home=home_a, person=bob, joined_on=date(2026, 2, 10), by=caseworker)
    leave(membership=m, left_on=date(2026, 2, 20), reason="", by=caseworker)
    join(home=home_a, person=cat, joined_on=date(2026, 3, 1), by=caseworker)
    m = join(home=home_a, person=dan, joined_on=date(2025, 6, 1), by=caseworker)
    join(home=home_b, person=zed, joined_on=date(2025, 1, 1), by=caseworker_b)
    for day, present in [
        (date(2026, 1, 30), [ann]),
        (date(2026, 2, 2), [ann]),
        (date(2026, 2, 3), [ann]),
        (date(2026, 2, 4), [ann]),
        (date(2026, 2, 11), [ann, bob]),
        (date(2026, 3, 2), [ann, cat]),
    ]:
        services.attendance_save(
            home=home_a, day=day, present=[p.pk for p in present], by=caseworker
        )
    services.attendance_save(home=home_b, day=date(2026, 2, 2), present=[zed.pk], by=caseworker_b)
    care, rehab = ServiceType.objects.get(code="care"), ServiceType.objects.get(code="rehab")
    for home, day, kind, hours, people in [
        (home_a, date(2025, 7, 1), care, "2", [dan]),
        (home_a, date(2026, 2, 3), care, "2.5", [ann]),
        (home_a, date(2026, 2, 17), care, "1.5", [ann, bob]),
        (home_a, date(2026, 2, 4), rehab, "2", [ann]),
        (home_a, date(2026, 3, 1), rehab, "3", [cat]),
        (home_b, date(2026, 2, 5), care, "4", [zed]),
    ]:
        services.service_record_create(
            home=home,
            by=staff[home],
            date=day,
            service_type=kind,
            hours=Decimal(hours),
            attendees=[p.pk for p in people],
        )
    leave(membership=m, left_on=date(2026, 1, 31), reason="", by=caseworker)
    return {"ann": ann, "bob": bob, "cat": cat, "dan": dan, "zed": zed}


def test_monthly_figures_match_hand_count(february, caseworker, reviewer, home_a, home_b):
    (row,) = selectors.home_monthly_figures(user=caseworker, month=date(2026, 2, 1))
    assert row.home == home_a
    assert row.members == 2  # ann (whole month) and bob (10th–20th); cat joined in March
    assert row.attendance_days == 5  # ann 2, 3, 4, 11 Feb and bob 11 Feb
    assert row.attendees == 2
    assert row.hours_by_type == {"care": Decimal("4.0"), "rehab": Decimal("2.0")}
    assert row.total_hours == Decimal("6.0")
    rows = {
        r.home: r for r in selectors.home_monthly_figures(user=reviewer, month=date(2026, 2, 1))
    }
    assert (rows[home_b].members, rows[home_b].attendance_days) == (1, 1)
    assert rows[home_b].hours_by_type == {"care": Decimal("4.0")}


def test_people_served_by_service_type_counts_distinct_members(february, caseworker, reviewer):
    served = {
        (t.code if t else None): n
        for t, n in selectors.people_served_by_service_type(user=caseworker, year=2026)
    }
    assert served == {
        "care": 2,  # ann twice, bob
        "rehab": 2,  # ann, cat
        "skills": 0,
        "recreation": 0,
        "work": 0,
        None: 3,  # ann, bob, cat; dan was served in 2025
    }
    district = dict(selectors.people_served_by_service_type(user=reviewer, year=2026))
    assert district[None] == 4  # + zed in town B


def test_homes_are_scoped_by_town(home_a, home_b, caseworker, reviewer):
    assert list(selectors.home_list_visible_to(caseworker)) == [home_a]
    assert set(selectors.home_list_visible_to(reviewer)) == {home_a, home_b}
    with pytest.raises(Http404):
        selectors.home_get_visible(user=caseworker, pk=home_b.pk)


def test_assessments_are_scoped_by_town(home_b, template, reviewer, caseworker):
    assessment = services.assessment_create(home=home_b, year=2026, by=reviewer)
    assert not selectors.assessment_list_visible_to(caseworker).exists()
    with pytest.raises(Http404):
        selectors.assessment_get_visible(user=caseworker, pk=assessment.pk)


def test_coverage_marks_towns_without_open_home(areas, reviewer, caseworker):
    HomeFactory(community=areas["community_a1"])
    HomeFactory(community=areas["community_b1"], status=Home.Status.CLOSED)
    rows, summary = selectors.home_coverage(user=reviewer)
    assert [(r.town.name, r.is_gap) for r in rows] == [("A镇", False), ("B镇", True)]
    assert summary["covered"] == 1
    assert summary["gaps"] == [areas["town_b"]]
    assert summary["unrated"] == 1
    rows, _ = selectors.home_coverage(user=caseworker)
    assert [r.town.name for r in rows] == ["A镇"]


def test_attendance_ledger_for_a_month(february, home_a):
    sheet = selectors.home_attendance_month(home=home_a, month=date(2026, 2, 1))
    assert len(sheet.days) == 28
    # cat joined in March, dan left in January: neither is on the February ledger
    totals = {person.name: total for person, _marks, total in sheet.rows}
    assert totals == {"甲": 4, "乙": 1}
    assert sheet.day_totals[10] == 2  # 11 February: both
    assert sheet.total == 5


def test_assessment_star_counts_for_reports(
    home_a, home_b, template, town_reviewer, reviewer, make_user, areas
):
    reviewer_b = make_user("townhead_b", Role.TOWN_REVIEWER, towns=[areas["town_b"]])
    for home, points in [(home_a, (20, 20, 20, 20, 20)), (home_b, (0, 20, 20, 20, 20))]:
        assessor = town_reviewer if home == home_a else reviewer_b
        assessment = services.assessment_create(home=home, year=2026, by=assessor)
        lines = list(assessment.scores.order_by("item__order"))
        services.assessment_score(
            assessment=assessment,
            by=assessor,
            scores={ln.item_id: (Decimal(p), "") for ln, p in zip(lines, points, strict=True)},
        )
        services.assessment_submit(assessment=assessment, by=assessor)
        services.assessment_approve(assessment=assessment, by=reviewer)
    counts = selectors.assessment_star_counts(user=reviewer, year=2026)
    assert counts == {5: 1, 4: 0, 3: 0, 2: 1, 1: 0}
    assert selectors.assessment_star_counts(user=town_reviewer, year=2026)[2] == 0
