from dfed.reports.filters import ReportFilters
from dfed.reports.widgets import get_widget


def table(key, user, **kwargs):
    filters = ReportFilters.for_year(2026, **kwargs)
    return get_widget(key).compute(filters, user)


def test_people_by_category_counts_active_people_district_wide(registry, official):
    result = table("people-by-category", official)
    counts = {row[0]: row[1] for row in result.rows}
    assert counts["肢体残疾"] == 3
    assert counts["视力残疾"] == 1  # the deceased one is not counted
    assert counts["听力残疾"] == 1
    assert counts["精神残疾"] == 1
    assert counts["智力残疾"] == 0
    assert result.totals == ["合计", 6]


def test_people_by_level_for_a_caseworker_counts_only_their_town(registry, caseworker):
    result = table("people-by-level", caseworker)
    assert [row[1] for row in result.rows] == [1, 2, 0, 1]


def test_people_by_town_splits_levels_per_town(registry, official, town_b):
    result = table("people-by-town", official)
    assert result.rows == [["A镇", 1, 2, 0, 1, 4], ["B镇", 1, 0, 1, 0, 2]]
    assert result.totals == ["合计", 2, 2, 1, 1, 6]
    only_b = table("people-by-town", official, town=town_b)
    assert only_b.rows == [["B镇", 1, 0, 1, 0, 2]]


def test_filters_label_and_querystring():
    from datetime import date

    whole = ReportFilters.for_year(2025)
    assert whole.label == "2025年"
    assert whole.querystring() == "year=2025"
    part = ReportFilters(year=2025, start=date(2025, 3, 1), end=date(2025, 6, 1))
    assert part.label == "2025年3月—2025年6月"
    assert part.querystring() == "year=2025&from=2025-03&to=2025-06"
    assert part.end_exclusive == date(2025, 7, 1)
    assert ReportFilters.for_year(2025).end_exclusive == date(2026, 1, 1)
