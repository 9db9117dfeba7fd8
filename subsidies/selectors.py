"""Reads for subsidies; every user-facing read is scoped by the person's town."""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db.models import BooleanField, Count, ExpressionWrapper, F, Q, QuerySet, Sum
from django.shortcuts import get_object_or_404
from django.utils import timezone

from dfed.core.months import month_start
from dfed.core.scoping import scope_to_towns

from .models import (
    Application,
    ApplicationAttachment,
    Entitlement,
    Finding,
    Payment,
    PaymentBatch,
    RecoveryItem,
    SubsidyRate,
    SubsidyType,
    subsidy_type_short,
)


def rate_for(*, type: str, tier: str, month: date) -> SubsidyRate | None:  # noqa: A002
    """The rate in force for ``month`` (the one whose range covers it), or ``None``."""
    return (
        SubsidyRate.objects.filter(type=type, tier=tier, effective_from__lte=month)
        .filter(Q(effective_to__isnull=True) | Q(effective_to__gte=month))
        .order_by("-effective_from")
        .first()
    )


# --- user-scoped reads ------------------------------------------------------------------------


def application_list_visible_to(user) -> QuerySet[Application]:
    queryset = Application.objects.select_related("person", "person__town", "created_by")
    return scope_to_towns(queryset, user, field="person__town")


def application_get_visible(*, user, pk) -> Application:
    return get_object_or_404(application_list_visible_to(user), pk=pk)


def application_list_drafts_of(user) -> QuerySet[Application]:
    """The drafts (new or returned) the user created."""
    return application_list_visible_to(user).filter(
        status=Application.Status.DRAFT, created_by=user
    )


def application_list_waiting_for(user) -> QuerySet[Application]:
    """What waits for this user's review: 乡镇审核 in their towns, 区残联审定 for reviewers."""
    statuses = []
    if user.has_perm("subsidies.town_review_application"):
        statuses.append(Application.Status.TOWN_REVIEW)
    if user.has_perm("subsidies.district_review_application"):
        statuses.append(Application.Status.DISTRICT_REVIEW)
    return application_list_visible_to(user).filter(status__in=statuses).order_by("submitted_at")


def attachment_get_visible(*, user, pk) -> ApplicationAttachment:
    visible = application_list_visible_to(user).values("pk")
    return get_object_or_404(
        ApplicationAttachment.objects.select_related("application"),
        pk=pk,
        application__in=visible,
    )


def entitlement_list_visible_to(user) -> QuerySet[Entitlement]:
    queryset = Entitlement.objects.select_related("person", "person__town", "person__community")
    return scope_to_towns(queryset, user, field="person__town")


def entitlement_get_visible(*, user, pk) -> Entitlement:
    return get_object_or_404(entitlement_list_visible_to(user), pk=pk)


def entitlement_list_review_due(user, *, month: date | None = None) -> QuerySet[Entitlement]:
    """年审: current entitlements whose review is due, or whose person's facts changed."""
    month = month or month_start(timezone.localdate())
    changed_household = ~Q(person__household=F("confirmed_household"))
    changed_level = ~Q(person__level=F("confirmed_level"))
    changed_category = ~Q(person__category=F("confirmed_category"))
    left = ~Q(person__status="active")
    due = Q(review_due__lte=month) | Q(review_due__isnull=True)
    return (
        entitlement_list_visible_to(user)
        .exclude(state=Entitlement.State.ENDED)
        .filter(due | changed_household | changed_level | changed_category | left)
        .annotate(
            household_changed=ExpressionWrapper(changed_household, output_field=BooleanField()),
            level_changed=ExpressionWrapper(
                changed_level | changed_category, output_field=BooleanField()
            ),
            review_overdue=ExpressionWrapper(due, output_field=BooleanField()),
            person_left=ExpressionWrapper(left, output_field=BooleanField()),
        )
        .order_by("review_due", "person__town__code", "person__name")
    )


def subsidy_rate_list() -> QuerySet[SubsidyRate]:
    return SubsidyRate.objects.order_by("type", "tier", "-effective_from")


def payment_batch_list() -> QuerySet[PaymentBatch]:
    return PaymentBatch.objects.order_by("-month")


def payment_batch_get(*, pk) -> PaymentBatch:
    return get_object_or_404(PaymentBatch, pk=pk)


def payment_list_visible_to(user) -> QuerySet[Payment]:
    queryset = Payment.objects.select_related("person", "town", "batch")
    return scope_to_towns(queryset, user, field="town")


def payment_batch_totals(batch: PaymentBatch) -> dict:
    """Per town and type (payments not held): count, people, arrears and amount; plus totals."""
    payments = Payment.objects.filter(batch=batch)
    rows = list(
        payments.filter(held=False)
        .values("town__code", "town__name", "type")
        .annotate(
            count=Count("pk"),
            people=Count("person", distinct=True),
            arrears=Sum("amount", filter=Q(is_arrears=True), default=Decimal(0)),
            amount=Sum("amount"),
        )
        .order_by("town__code", "type")
    )
    for row in rows:
        row["type_label"] = subsidy_type_short(row["type"])
    by_type = {
        row["type"]: row
        for row in payments.filter(held=False)
        .values("type")
        .annotate(count=Count("pk"), amount=Sum("amount"))
    }
    total = payments.filter(held=False).aggregate(
        count=Count("pk"),
        people=Count("person", distinct=True),
        arrears=Sum("amount", filter=Q(is_arrears=True), default=Decimal(0)),
        amount=Sum("amount", default=Decimal(0)),
    )
    held = payments.filter(held=True).aggregate(count=Count("pk"), amount=Sum("amount"))
    return {
        "rows": rows,
        "by_type": [
            {"type_label": subsidy_type_short(t), **by_type[t]}
            for t in SubsidyType.values
            if t in by_type
        ],
        "total": total,
        "held": held,
    }


def bank_rows(batch: PaymentBatch):
    """One row per person (payments not held): name, ID, bank, account, amount, months."""
    payments = (
        Payment.objects.filter(batch=batch, held=False)
        .select_related("person", "town")
        .order_by("town__code", "person__name", "person_id", "type", "month")
    )
    current, rows = None, []
    for payment in payments.iterator(chunk_size=5000):
        if current is None or current["person"].pk != payment.person_id:
            current = {
                "person": payment.person,
                "town": payment.town,
                "amount": Decimal(0),
                "items": {},
            }
            rows.append(current)
        current["amount"] += payment.amount
        current["items"].setdefault(payment.type, []).append(payment.month)
    return rows


def recovery_list_visible_to(user) -> QuerySet[RecoveryItem]:
    queryset = RecoveryItem.objects.select_related(
        "person", "person__town", "entitlement", "payment__batch"
    )
    return scope_to_towns(queryset, user, field="person__town")


def entitlement_count_missing_payment(month: date) -> int:
    """Active entitlements due for ``month`` with no payment for it (e.g. no rate in force)."""
    return (
        Entitlement.objects.filter(state=Entitlement.State.ACTIVE, start_month__lte=month)
        .filter(Q(end_month__isnull=True) | Q(end_month__gte=month))
        .filter(Q(paid_through__isnull=True) | Q(paid_through__lt=month))
        .exclude(payments__month=month)
        .count()
    )


# --- findings of the data comparison -----------------------------------------------------------


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
