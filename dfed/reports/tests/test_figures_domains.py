"""Each annual figure against the value computed by hand in dataset.py."""

from decimal import Decimal

import pytest

from dfed.reports.figures import annual_figures

EXPECTED = {
    "registry": {"people": 6, "severe": 4, "new": 7},
    "subsidies": {
        "living_people": 3,
        "living_wan": Decimal("0.2"),
        "care_people": 2,
        "care_wan": Decimal("0.1"),
        "batches": 2,
        # The dataset has no external lists, so the comparison found nothing.
        "findings_stop": 0,
        "findings_correct": 0,
        "findings_acted": 0,
        "findings_days": Decimal(0),
        "stopped_yuan": Decimal("0.00"),
        "recovered_wan": Decimal("0.0"),
        "findings_start": 0,
        "reached": 0,
    },
    "homes": {
        "homes": 2,
        "towns_covered": 1,
        "towns_total": 2,
        "star5": 1,
        "star4": 0,
        "star3": 1,
        "star2": 0,
        "star1": 0,
        "members": 2,
        "served": 3,
        "attendance": 3,
    },
    "accessibility": {
        "households": 2,
        "spend_wan": Decimal("2.0"),
        "budget_wan": Decimal("8.0"),
        "in_progress": 1,
        "communities": 1,
    },
    "integrity": {
        "letters": 2,
        "commitments": 3,
        "topic_studies": 2,
        "study_sessions": 4,
        "inspections": 2,
        "talks": 3,
        "risk_points": 2,
        "major_decisions": 2,
        "service_visits": 2,
        "visit_families": 8,
        "risk_points_total": 3,
    },
    "sms": {"festivals": 2, "sent": 5, "failed": 1},
}


@pytest.fixture
def figures(known_year):
    return annual_figures(2026)


@pytest.mark.parametrize("group", list(EXPECTED))
def test_annual_figures_match_hand_computed_values(figures, group):
    values = {f.key: f.value for f in figures[group].figures}
    assert figures[group].available
    assert values == EXPECTED[group]


def test_another_year_has_its_own_figures(known_year):
    figures = annual_figures(2025)
    assert figures["subsidies"].value("living_people") == 0
    assert figures["integrity"].value("topic_studies") == 1
    assert figures["homes"].value("star4") == 1  # h1's 2025 assessment; h2 not open yet
    assert figures["homes"].value("homes") == 1
    assert figures["accessibility"].value("households") == 1


def test_figures_link_to_the_lists_they_count(figures):
    assert (
        figures["integrity"]["topic_studies"].url == "/integrity/sessions/?year=2026&kind=special"
    )
    assert figures["sms"]["sent"].url == "/integrity/campaigns/?year=2026"
    assert figures["registry"]["people"].url == "/people/"
