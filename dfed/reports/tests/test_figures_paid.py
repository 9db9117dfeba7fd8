"""Spending figures count only money the bank paid; failures have their own widgets."""

from datetime import date
from decimal import Decimal

import pytest

from dfed.reports.figures.subsidies import subsidy_figures
from dfed.reports.filters import ReportFilters
from dfed.reports.widgets import get_widget
from subsidies.models import FailureReason, Payment
from subsidies.services import (
    TransferResult,
    entitlement_open,
    payment_batch_confirm,
    payment_batch_generate,
    payment_batch_mark_exported,
    payment_results_record,
)
from subsidies.tests.factories import demo_rates

JAN = date(2027, 1, 1)


@pytest.fixture
def january(areas, person_factory, reviewer):
    """Three people on 生活补贴 (300 a month) from 2027-01; the bank pays one of three."""
    demo_rates()
    people = [
        person_factory(community=areas["community_a1"]),
        person_factory(community=areas["community_a1"]),
        person_factory(community=areas["community_b1"]),
    ]
    for person in people:
        entitlement_open(person=person, type="living", tier="none", start_month=JAN, by=reviewer)
    batch = payment_batch_generate(month=JAN)
    payment_batch_confirm(batch=batch, by=reviewer)
    payment_batch_mark_exported(batch=batch, by=reviewer)
    payment_results_record(
        batch=batch,
        results={
            people[0].pk: TransferResult(Payment.Status.PAID),
            people[1].pk: TransferResult(
                Payment.Status.FAILED, FailureReason.ACCOUNT_CLOSED, "已销户"
            ),
            people[2].pk: TransferResult(Payment.Status.FAILED, FailureReason.DECEASED, "户主死亡"),
        },
        by=reviewer,
        reason="test",
    )
    return people


def test_annual_spending_counts_only_paid_money(january):
    values = {f.key: f.value for f in subsidy_figures(2027).figures}
    assert values["living_people"] == 1  # two of the three transfers failed
    assert values["living_wan"] == Decimal("0.0")


def test_failure_widgets_by_reason_and_town(january, official, caseworker):
    filters = ReportFilters.for_year(2027)
    by_reason = get_widget("subsidy-failures-by-reason").compute(filters, official)
    assert by_reason.rows == [
        ["账户已销户", 1, Decimal("300.00")],
        ["户主死亡", 1, Decimal("300.00")],
    ]
    assert "银行退回 600.00 元，已补发 0.00 元，不再补发（死亡）300.00 元" in by_reason.note
    by_town = get_widget("subsidy-failures-by-town").compute(filters, official)
    assert by_town.rows == [
        ["A镇", 1, Decimal("300.00"), Decimal("0.00"), Decimal("0.00")],
        ["B镇", 1, Decimal("300.00"), Decimal("0.00"), Decimal("300.00")],
    ]
    mine = get_widget("subsidy-failures-by-town").compute(filters, caseworker)
    assert [r[0] for r in mine.rows] == ["A镇"]
