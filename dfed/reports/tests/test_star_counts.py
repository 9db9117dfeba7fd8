"""The annual summary and the dashboard count open homes by star level with the homes app's
single rule (latest approved assessment; open on the day), so they agree."""

from datetime import date, timedelta

from django.utils import timezone

from dfed.reports.figures import annual_figures
from dfed.reports.filters import ReportFilters
from dfed.reports.widgets import get_widget
from homes.models import Home, StarAssessment, StarAssessmentTemplate


def test_annual_summary_and_dashboard_give_the_same_star_counts(areas, official, admin_user):
    today = timezone.localdate()
    year = today.year
    a1, b1 = areas["community_a1"], areas["community_b1"]
    this_year = StarAssessmentTemplate.objects.create(year=year)
    last_year = StarAssessmentTemplate.objects.create(year=year - 1)

    def home(name, community, **fields):
        return Home.objects.create(name=name, community=community, town=community.parent, **fields)

    rated_twice = home("一家", a1, opened_on=date(year - 2, 1, 1))
    rated_last_year = home("二家", a1)
    unrated = home("三家", b1, opened_on=date(year - 1, 6, 1))
    closed = home("四家", b1, status=Home.Status.CLOSED)
    not_open_yet = home("五家", b1, opened_on=today + timedelta(days=1))
    approved, submitted = StarAssessment.Status.APPROVED, StarAssessment.Status.SUBMITTED
    for h, template, star, status in (
        (rated_twice, last_year, 2, approved),
        (rated_twice, this_year, 4, approved),  # the latest approved one counts
        (rated_last_year, last_year, 3, approved),
        (unrated, this_year, 5, submitted),  # not approved: not rated
        (closed, this_year, 1, approved),  # closed: not counted
        (not_open_yet, this_year, 1, approved),  # opens tomorrow: not counted
    ):
        StarAssessment.objects.create(
            home=h,
            year=template.year,
            template=template,
            star_level=star,
            status=status,
            created_by=admin_user,
        )

    summary = annual_figures(year)["homes"]
    dashboard = get_widget("homes-by-star").compute(ReportFilters.for_year(year), official)
    by_label = {row[0]: row[1] for row in dashboard.rows}

    summary_counts = [summary.value(f"star{level}") for level in (5, 4, 3, 2, 1)]
    dashboard_counts = [
        by_label[label] for label in ("五星级", "四星级", "三星级", "二星级", "一星级")
    ]
    assert summary_counts == dashboard_counts == [0, 1, 1, 0, 0]
    assert by_label["未评星"] == 1
    assert summary.value("homes") == dashboard.totals[1] == 3
