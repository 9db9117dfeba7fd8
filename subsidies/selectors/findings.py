"""Findings of the data comparison, and their figures for dfed.reports."""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db.models import (
    Count,
    Q,
    QuerySet,
    Sum,
)
from django.shortcuts import get_object_or_404

from dfed.core.scoping import scope_to_towns

from ..models import (
    Application,
    Finding,
    RecoveryItem,
)


def finding_list_visible_to(user) -> QuerySet[Finding]:
    """Findings of the user's towns (a finding with no town — a certificate holder not yet
    registered, from an unknown area — only for district-wide users), most urgent first:
    stops (the most money already overpaid first), corrections, then invitations."""
    queryset = Finding.objects.select_related(
        "person", "town", "source", "entitlement", "application", "invitation", "proposed_by"
    )
    return scope_to_towns(queryset, user, field="town")


def finding_get_visible(*, user, pk) -> Finding:
    return get_object_or_404(finding_list_visible_to(user), pk=pk)


@dataclass
class FindingFigures:
    """What the comparison did in a period: findings by kind and town, acts, days from the
    list's import to the act, money stopped (元 a month no longer paid) and recovered (元),
    people newly reached (a drafted application from a start finding) and approved."""

    by_town: list[dict]  # {town, town_name, stop, start, correct, acted}
    found: dict[str, int]  # kind → findings found in the period
    acted: int
    average_days: Decimal | None  # days from list import to act, one decimal
    stopped_monthly: Decimal  # 元 a month no longer paid
    overpaid: Decimal  # 元 paid after the event, turned into recovery items
    recovered: Decimal  # 元 of those recovery items recovered
    reached: int  # people with an application drafted from a start finding
    approved: int  # … of whom approved


def finding_figures(*, start: date, end: date, town_ids: list[int] | None = None):
    """``FindingFigures`` for findings first found on ``start`` ≤ day < ``end`` (acts counted
    whenever they happened); ``town_ids`` None = the whole district."""
    findings = Finding.objects.filter(created_at__date__gte=start, created_at__date__lt=end)
    if town_ids is not None:
        findings = findings.filter(town_id__in=town_ids)
    rows = (
        findings.values("town_id", "town__name", "town__code")
        .annotate(
            stop=Count("pk", filter=Q(kind=Finding.Kind.STOP)),
            start=Count("pk", filter=Q(kind=Finding.Kind.START)),
            correct=Count("pk", filter=Q(kind=Finding.Kind.CORRECT)),
            acted=Count("pk", filter=Q(status=Finding.Status.ACTED)),
        )
        .order_by("town__code")
    )
    found = findings.aggregate(**{k: Count("pk", filter=Q(kind=k)) for k in Finding.Kind.values})
    acted = findings.filter(status=Finding.Status.ACTED)
    days = [
        (at - imported).total_seconds() / 86400
        for at, imported in acted.filter(source__isnull=False).values_list(
            "acted_at", "source__imported_at"
        )
    ]
    stops = acted.filter(kind=Finding.Kind.STOP)
    stopped = stops.aggregate(total=Sum("monthly_amount"))["total"] or Decimal("0.00")
    recoveries = RecoveryItem.objects.filter(
        entitlement__in=stops.exclude(entitlement=None).values("entitlement_id")
    ).aggregate(
        overpaid=Sum("amount"),
        recovered=Sum("amount", filter=Q(status=RecoveryItem.Status.RECOVERED)),
    )
    starts = acted.filter(kind=Finding.Kind.START, application__isnull=False)
    return FindingFigures(
        by_town=[
            {
                "town": r["town_id"],
                "town_name": r["town__name"] or "",
                **{k: r[k] for k in ("stop", "start", "correct", "acted")},
            }
            for r in rows
        ],
        found=found,
        acted=acted.count(),
        average_days=(Decimal(sum(days) / len(days)).quantize(Decimal("0.1")) if days else None),
        stopped_monthly=stopped,
        overpaid=recoveries["overpaid"] or Decimal("0.00"),
        recovered=recoveries["recovered"] or Decimal("0.00"),
        reached=starts.values("person_id").distinct().count(),
        approved=starts.filter(application__status=Application.Status.APPROVED)
        .values("person_id")
        .distinct()
        .count(),
    )
