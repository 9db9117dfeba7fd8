"""For reports (dashboards and the annual summary)."""

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.db.models import (
    Count,
    Q,
    Sum,
)
from django.utils import timezone

from dfed.core.months import month_start

from ..models import (
    Application,
    PaymentBatch,
    PaymentSummary,
    PaymentYearSummary,
    RecoveryItem,
    SubsidyType,
    subsidy_type_short,
)
from .payments import payment_list_paid


def subsidy_type_choices() -> list[tuple[str, str]]:
    """The two subsidy types as (value, short label), in display order (生活补贴, 护理补贴)."""
    return [(t, subsidy_type_short(t)) for t in (SubsidyType.LIVING, SubsidyType.CARE)]


def _in_towns(queryset, towns: Iterable[int] | None, field: str):
    return queryset if towns is None else queryset.filter(**{f"{field}__in": list(towns)})


@dataclass(frozen=True)
class SubsidyYearFigures:
    """Payments the bank has paid (``payment_list_paid``: failed and unanswered ones are not
    spent) of batches whose 发放月份 falls in a year.

    ``people`` and ``amount`` are keyed by subsidy type; people are distinct over the year,
    amounts in 元. ``batches`` counts the year's counted batches (``COUNTED_STATUSES``,
    district-wide).
    """

    year: int
    people: dict[str, int]
    amount: dict[str, Decimal]
    batches: int
    payments: dict[str, int] = field(default_factory=dict)  # paid payments per type


def payment_year_figures_compute(
    *, year: int, towns: Iterable[int] | None = None
) -> SubsidyYearFigures:
    """``SubsidyYearFigures`` straight from the payments (one pass over the year's paid
    payments; the year is a range of 发放月份, never the date part of a column)."""
    batches = PaymentBatch.objects.filter(
        month__gte=date(year, 1, 1), month__lt=date(year + 1, 1, 1)
    )
    payments = _in_towns(
        payment_list_paid().filter(batch__in=batches.values("pk")), towns, "town_id"
    )
    types = SubsidyType.values
    sums = payments.aggregate(
        **{f"{t}_people": Count("person_id", distinct=True, filter=Q(type=t)) for t in types},
        **{f"{t}_amount": Sum("amount", filter=Q(type=t)) for t in types},
        **{f"{t}_count": Count("pk", filter=Q(type=t)) for t in types},
    )
    return SubsidyYearFigures(
        year=year,
        people={t: sums[f"{t}_people"] for t in types},
        amount={t: sums[f"{t}_amount"] or Decimal("0.00") for t in types},
        batches=batches.filter(status__in=PaymentBatch.COUNTED_STATUSES).count(),
        payments={t: sums[f"{t}_count"] for t in types},
    )


def subsidies_figures_for_year(
    *, year: int, towns: Iterable[int] | None = None
) -> SubsidyYearFigures:
    """People paid and money paid (元) in ``year`` per subsidy type; ``towns``: town ids, or
    ``None`` for the whole district. The whole district's figures are read from the year
    summary (``PaymentYearSummary``, refreshed with the monthly one); towns, and a year not
    summarised yet, are computed from the payments."""
    rows = list(PaymentYearSummary.objects.filter(year=year)) if towns is None else []
    if not rows:
        return payment_year_figures_compute(year=year, towns=towns)
    by_type = {row.type: row for row in rows}
    types = SubsidyType.values
    batches = PaymentBatch.objects.filter(
        month__gte=date(year, 1, 1),
        month__lt=date(year + 1, 1, 1),
        status__in=PaymentBatch.COUNTED_STATUSES,
    ).count()
    return SubsidyYearFigures(
        year=year,
        people={t: by_type[t].recipients if t in by_type else 0 for t in types},
        amount={t: by_type[t].amount if t in by_type else Decimal("0.00") for t in types},
        batches=batches,
        payments={t: by_type[t].payments if t in by_type else 0 for t in types},
    )


@dataclass(frozen=True)
class PaymentSummaryRow:
    """One row of the summary table: a 发放月份 × town × type; money in 元."""

    month: date
    town_id: int
    type: str
    recipients: int
    payments: int
    amount: Decimal
    arrears_amount: Decimal


def payment_summary_list(
    *, start: date, end: date, towns: Iterable[int] | None = None
) -> list[PaymentSummaryRow]:
    """Summary rows for the 发放月份 from ``start`` to ``end`` (first days, inclusive), in
    ``towns`` (ids; ``None``: all), ordered by month, town and type."""
    rows = _in_towns(
        PaymentSummary.objects.filter(month__gte=start, month__lte=end), towns, "town_id"
    )
    # Tuples, not model instances: a year of a province is 2,400 rows, and building a model
    # instance per row (with its foreign key descriptor) cost ten times the query itself.
    columns = ("month", "town_id", "type", "recipients", "payments", "amount", "arrears_amount")
    return [
        PaymentSummaryRow(*values)
        for values in rows.order_by("month", "town_id", "type").values_list(*columns)
    ]


def payment_summary_grouped(
    *,
    start: date,
    end: date,
    by: tuple[str, ...],
    towns: Iterable[int] | None = None,
) -> list[dict]:
    """Summary rows for the 发放月份 from ``start`` to ``end`` (first days, inclusive), in
    ``towns`` (ids; ``None``: all), added up in the database by ``by`` (a subset of ``("month",
    "town_id", "type")``): dicts of those keys plus ``recipients``, ``payments``, ``amount`` and
    ``arrears_amount`` (元). Recipients add up only within a month (a person is counted once per
    month and town). A widget gets tens of rows instead of a province's thousands."""
    rows = _in_towns(
        PaymentSummary.objects.filter(month__gte=start, month__lte=end), towns, "town_id"
    )
    return list(
        rows.order_by()
        .values(*by)
        .annotate(
            recipients=Sum("recipients"),
            payments=Sum("payments"),
            amount=Sum("amount"),
            arrears_amount=Sum("arrears_amount"),
        )
        .order_by(*by)
    )


@dataclass(frozen=True)
class SubsidiesWorkQueue:
    """Subsidy work in hand: counts of applications and recoveries waiting, and this month's
    batch (``None`` when not generated yet)."""

    my_drafts: int
    town_review: int
    district_review: int
    recoveries_pending: int
    batch_month: date
    batch: PaymentBatch | None


def subsidies_work_queue(*, user, towns: Iterable[int] | None = None) -> SubsidiesWorkQueue:
    """What waits for ``user`` and the reviewers in ``towns`` (ids; ``None``: all)."""
    apps = _in_towns(Application.objects.all(), towns, "person__town")
    status = Application.Status
    this_month = month_start(timezone.localdate())
    recoveries = _in_towns(RecoveryItem.objects.all(), towns, "person__town")
    return SubsidiesWorkQueue(
        my_drafts=apps.filter(created_by=user, status=status.DRAFT).count(),
        town_review=apps.filter(status=status.TOWN_REVIEW).count(),
        district_review=apps.filter(status=status.DISTRICT_REVIEW).count(),
        recoveries_pending=recoveries.filter(status=RecoveryItem.Status.PENDING).count(),
        batch_month=this_month,
        batch=PaymentBatch.objects.filter(month=this_month).first(),
    )
