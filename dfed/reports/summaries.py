"""The subsidy summary table (``PaymentSummary``): how it is rebuilt and how it is kept fresh.

Invariants: for every 发放月份 whose batch is confirmed (or later: exported, paid) the table
holds one row per town × type equal to ``COUNT(DISTINCT person)``, ``COUNT(*)`` and
``SUM(amount)`` of that batch's payments; months without such a batch have no rows. A refresh
replaces a month's rows in one transaction while holding the month's batch row lock, so two
refreshes of a month never interleave. It runs after a batch is confirmed (on commit) and for
all months nightly (Celery beat, see migration 0002).
"""

from collections.abc import Iterable
from datetime import date

from django.db import transaction
from django.db.models import Count, Q, Sum
from django.utils import timezone

from .models import PaymentSummary

COUNTED_STATUSES = ("confirmed", "exported", "paid")


def counted_payments():
    """The payments the summary counts: those in batches confirmed or later."""
    from subsidies.models import Payment

    return Payment.objects.filter(batch__status__in=COUNTED_STATUSES)


def payment_summary_rows(months: Iterable[date] | None = None) -> list[PaymentSummary]:
    """The summary rows computed straight from the payments (one GROUP BY)."""
    payments = counted_payments()
    if months is not None:
        payments = payments.filter(batch__month__in=list(months))
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
    """Rebuild the summary for ``months`` (all months when ``None``); returns the rows written."""
    from subsidies.models import PaymentBatch

    batches = PaymentBatch.objects.select_for_update().order_by("month")
    if months is not None:
        months = sorted(set(months))
        batches = batches.filter(month__in=months)
    list(batches.values_list("pk", flat=True))  # take the locks
    rows = payment_summary_rows(months)
    stale = PaymentSummary.objects.all()
    if months is not None:
        stale = stale.filter(month__in=months)
    stale.delete()
    PaymentSummary.objects.bulk_create(rows, batch_size=1000)
    return len(rows)


def on_payment_batch_confirmed(sender, batch, **kwargs) -> None:
    """Signal receiver: refresh the batch's month once the confirmation commits."""
    from .tasks import payment_summary_refresh_month

    payment_summary_refresh_month.delay_on_commit(batch.month.isoformat())
