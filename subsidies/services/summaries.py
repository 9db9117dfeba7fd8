"""The subsidy summary table (``PaymentSummary``): how it is rebuilt and kept fresh.

Invariants: for every 发放月份 whose batch is counted (``PaymentBatch.COUNTED_STATUSES``:
confirmed, exported, paid) the table holds one row per town × type equal to
``COUNT(DISTINCT person)``, ``COUNT(*)`` and ``SUM(amount)`` of that batch's payments; months
without such a batch have no rows. A refresh replaces a month's rows in one transaction while
holding the month's batch row lock, so two refreshes of a month never interleave. It runs after a
batch is confirmed (on commit, ``payment_batch_confirm``) and for all months nightly (Celery
beat, ``subsidies.tasks.payment_summary_refresh_all``). Each refresh also rebuilds the year
summary (``PaymentYearSummary``: paid payments, people distinct over the year) of the years it
touches; results recorded for a batch refresh its month again (``subsidies.services.results``).
"""

from collections.abc import Iterable
from datetime import date

from django.db import transaction
from django.db.models import Count, Q, Sum
from django.utils import timezone

from ..models import PaymentBatch, PaymentSummary, PaymentYearSummary
from ..selectors import payment_list_counted, payment_year_figures_compute


def _summary_rows(months: list[date] | None) -> list[PaymentSummary]:
    """The summary rows computed straight from the payments (one GROUP BY)."""
    payments = payment_list_counted()
    if months is not None:
        payments = payments.filter(batch__month__in=months)
    now = timezone.now()
    grouped = (
        payments.order_by()
        .values("batch__month", "town_id", "type")
        .annotate(
            recipients=Count("person_id", distinct=True),
            n=Count("pk"),
            total=Sum("amount"),
            arrears=Sum("amount", filter=Q(is_arrears=True)),
        )
    )
    return [
        PaymentSummary(
            month=row["batch__month"],
            town_id=row["town_id"],
            type=row["type"],
            recipients=row["recipients"],
            payments=row["n"],
            amount=row["total"],
            arrears_amount=row["arrears"] or 0,
            refreshed_at=now,
        )
        for row in grouped
    ]


@transaction.atomic
def payment_summary_refresh(*, months: Iterable[date] | None = None) -> int:
    """Rebuild the summary for ``months`` (first days of months; all months when ``None``), and
    the year summary (``PaymentYearSummary``) of their years (every year when ``None``).

    Returns the number of monthly rows written. Raises nothing of its own (database errors
    propagate).
    """
    batches = PaymentBatch.objects.select_for_update().order_by("month")
    if months is not None:
        months = sorted(set(months))
        batches = batches.filter(month__in=months)
    list(batches.values_list("pk", flat=True))  # take the locks
    rows = _summary_rows(months)
    stale = PaymentSummary.objects.all()
    if months is not None:
        stale = stale.filter(month__in=months)
    stale.delete()
    PaymentSummary.objects.bulk_create(rows, batch_size=1000)
    payment_year_summary_refresh(years=None if months is None else {m.year for m in months})
    return len(rows)


def payment_year_summary_refresh(*, years: Iterable[int] | None = None) -> int:
    """Rebuild ``PaymentYearSummary`` for ``years`` (every year that has a batch when None);
    returns the rows written. One pass over each year's paid payments (about 3M in a province).
    Call inside a transaction (``payment_summary_refresh`` is one)."""
    if years is None:
        years = {month.year for month in PaymentBatch.objects.values_list("month", flat=True)}
    now = timezone.now()
    written = 0
    for year in sorted(set(years)):
        figures = payment_year_figures_compute(year=year)
        PaymentYearSummary.objects.filter(year=year).delete()
        rows = [
            PaymentYearSummary(
                year=year,
                type=subsidy_type,
                recipients=figures.people[subsidy_type],
                payments=figures.payments[subsidy_type],
                amount=figures.amount[subsidy_type],
                refreshed_at=now,
            )
            for subsidy_type in figures.people
        ]
        written += len(PaymentYearSummary.objects.bulk_create(rows))
    return written
