"""The year's subsidy figures (people distinct over the year, payments, amount) kept by the
summary refresh equal the figures computed from the payments."""

from datetime import date
from decimal import Decimal

from django.db.models import Count, Sum

from subsidies.models import FailureReason, Payment, PaymentYearSummary
from subsidies.selectors import (
    payment_list_paid,
    payment_year_figures_compute,
    subsidies_figures_for_year,
)
from subsidies.services import (
    TransferResult,
    payment_batch_mark_paid,
    payment_results_record,
    payment_summary_refresh,
)
from subsidies.tests.factories import exported

MAR, APR = date(2025, 3, 1), date(2025, 4, 1)


def by_definition(year):
    """The annual summary's definition: paid payments of batches of the year."""
    paid = payment_list_paid().filter(batch__month__year=year)
    figures = {}
    for subsidy_type in ("living", "care"):
        rows = paid.filter(type=subsidy_type).aggregate(
            people=Count("person_id", distinct=True), amount=Sum("amount"), n=Count("pk")
        )
        figures[subsidy_type] = (rows["people"], rows["amount"] or Decimal("0.00"), rows["n"])
    return figures


def as_tuples(figures):
    return {
        t: (figures.people[t], figures.amount[t], figures.payments[t]) for t in ("living", "care")
    }


def test_year_figures_from_the_summary_equal_the_payments(
    people, reviewer, django_capture_on_commit_callbacks, django_assert_max_num_queries
):
    with django_capture_on_commit_callbacks(execute=True):
        payment_batch_mark_paid(batch=exported(MAR, reviewer), by=reviewer)
    with django_capture_on_commit_callbacks(execute=True):
        april = exported(APR, reviewer)
        payment_results_record(
            batch=april,
            results={
                people["ok"].pk: TransferResult(Payment.Status.PAID, bank_serial="S1"),
                people["dead"].pk: TransferResult(
                    Payment.Status.FAILED, FailureReason.DECEASED, "户主已死亡"
                ),
            },
            by=reviewer,
            reason="回盘",
        )
    # Refreshed on commit of the results: the year row already counts April's payments.
    assert PaymentYearSummary.objects.filter(year=2025).count() == 2
    with django_assert_max_num_queries(2):  # the year rows, the batch count
        figures = subsidies_figures_for_year(year=2025)
    assert as_tuples(figures) == by_definition(2025)
    assert as_tuples(figures) == as_tuples(payment_year_figures_compute(year=2025))
    assert figures.people == {"living": 4, "care": 1}
    assert figures.batches == 2

    PaymentYearSummary.objects.all().delete()
    assert as_tuples(subsidies_figures_for_year(year=2025)) == by_definition(2025)  # computed
    assert payment_summary_refresh() > 0  # the nightly refresh rebuilds every year
    assert as_tuples(subsidies_figures_for_year(year=2025)) == by_definition(2025)
    assert subsidies_figures_for_year(year=2024).people == {"living": 0, "care": 0}
    town_a = people["ok"].town_id
    assert subsidies_figures_for_year(year=2025, towns=[town_a]).people == {
        "living": 4,
        "care": 1,
    }
