"""Domain widgets on the known data set, scoped per user."""

from datetime import date
from decimal import Decimal

import pytest
from django.utils import timezone

from dfed.reports.filters import ReportFilters
from dfed.reports.widgets import get_widget
from subsidies.services import payment_summary_refresh


@pytest.fixture
def data(known_year):
    payment_summary_refresh()
    return known_year


def table(key, user, **kwargs):
    return get_widget(key).compute(ReportFilters.for_year(2026, **kwargs), user)


def test_subsidy_by_month_reads_the_summary_table(data, official):
    result = table("subsidy-by-month", official)
    assert len(result.rows) == 12
    assert result.rows[0] == ["2026年1月", 2, Decimal("600.00"), 2, Decimal("500.00")]
    assert result.rows[1] == ["2026年2月", 3, Decimal("900.00"), 2, Decimal("500.00")]
    assert result.rows[2] == ["2026年3月", 0, Decimal("0.00"), 0, Decimal("0.00")]  # draft batch
    assert result.totals == ["合计", "", Decimal("1500.00"), "", Decimal("1000.00")]


def test_subsidy_by_month_for_a_caseworker_counts_only_their_town(data, caseworker):
    result = table("subsidy-by-month", caseworker)
    assert result.rows[0] == ["2026年1月", 1, Decimal("300.00"), 1, Decimal("200.00")]


def test_subsidy_by_town_uses_the_last_paid_month_for_people(data, official):
    result = table("subsidy-by-town", official)
    assert result.rows == [
        ["A镇", 1, Decimal("600.00"), 1, Decimal("400.00")],
        ["B镇", 2, Decimal("900.00"), 1, Decimal("600.00")],
    ]
    assert "2026年2月" in result.note


def test_subsidy_by_month_respects_a_month_range(data, official):
    filters = ReportFilters(year=2026, start=date(2026, 2, 1), end=date(2026, 3, 1))
    rows = get_widget("subsidy-by-month").compute(filters, official).rows
    assert [r[0] for r in rows] == ["2026年2月", "2026年3月"]


def test_homes_widgets(data, official, caseworker):
    stars = {r[0]: r[1] for r in table("homes-by-star", official).rows}
    assert stars == {"五星级": 1, "四星级": 0, "三星级": 1, "二星级": 0, "一星级": 0, "未评星": 0}
    coverage = table("homes-coverage", official)
    # Current open memberships: one in h1, one in h2 (joining in 2027, still open).
    assert coverage.rows == [["A镇", 2, 2, "已覆盖"], ["B镇", 0, 0, "未覆盖"]]
    assert "未覆盖：B镇" in coverage.note
    assert [r[0] for r in table("homes-coverage", caseworker).rows] == ["A镇"]


def test_retrofit_widgets(data, official, town_b):
    statuses = {r[0]: r[1] for r in table("retrofits-by-status", official).rows}
    assert statuses["完成"] == 2
    assert statuses["施工"] == 1
    assert table("retrofits-by-status", official).totals == ["合计", 3]
    spend = table("retrofits-spend", official)
    assert spend.rows[0] == [
        "A镇",
        Decimal("50000"),
        Decimal("20000.50"),
        Decimal("20000.50"),
        2,
        40.0,
    ]
    assert spend.rows[1] == ["B镇", Decimal("30000"), Decimal("15000.00"), Decimal("0.00"), 0, 0.0]
    assert spend.totals[3] == Decimal("20000.50")
    assert [r[0] for r in table("retrofits-spend", official, town=town_b).rows] == ["B镇"]


def test_integrity_duties_done_vs_due(data, integrity_officer):
    rows = {r[0]: r[1:] for r in table("integrity-duties", integrity_officer).rows}
    assert rows["责任书签订"] == [2, 2, 100.0]
    assert rows["廉政承诺书签订"] == [3, 4, 75.0]
    assert rows["专题研究"] == [2, None, None]


def test_integrity_by_month_and_sms(data, integrity_officer):
    months = table("integrity-by-month", integrity_officer)
    assert months.rows[2] == ["2026年3月", 1, 0, 2, 0]
    assert months.totals == ["合计", 4, 2, 3, 2]
    today = timezone.localdate()  # the texts were created today
    sms = get_widget("sms-by-status").compute(ReportFilters.for_year(today.year), integrity_officer)
    assert sms.totals == ["合计", 6, 1, 0, 0]
    assert sms.rows[today.month - 1][1:3] == [6, 1]


def test_work_widgets(data, caseworker, reviewer):
    mine = dict(table("my-work", caseworker).rows)
    assert mine["办理中的改造项目"] == 0  # A镇's two projects are completed
    queues = dict(table("reviewer-queues", reviewer).rows)
    assert queues["待审批的改造项目"] == 0
    assert queues["待区残联审定的补贴申请"] == 0


def test_domain_widgets_are_hidden_without_their_permission(integrity_officer, caseworker):
    assert not get_widget("subsidy-by-month").visible_to(integrity_officer)
    assert get_widget("sms-by-status").visible_to(integrity_officer)
    assert not get_widget("integrity-duties").visible_to(caseworker)
    assert not get_widget("reviewer-queues").visible_to(caseworker)
