"""Reads for subsidies; every user-facing read is scoped by the person's town."""

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.db.models import (
    BooleanField,
    Count,
    ExpressionWrapper,
    F,
    Q,
    QuerySet,
    Sum,
)
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext_lazy

from dfed.core.masking import mask_bank_account
from dfed.core.months import month_start
from dfed.core.scoping import scope_to_towns
from dfed.people.models import Area

from .models import (
    AccountCorrection,
    Application,
    ApplicationAttachment,
    Entitlement,
    FailureReason,
    Finding,
    Payment,
    PaymentBatch,
    PaymentSummary,
    PaymentYearSummary,
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


def rates_in_force(*, month: date) -> dict[tuple[str, str], SubsidyRate]:
    """Every rate in force for ``month``, by (type, tier), in one read of the small rate table."""
    rates = SubsidyRate.objects.filter(effective_from__lte=month).filter(
        Q(effective_to__isnull=True) | Q(effective_to__gte=month)
    )
    return {(rate.type, rate.tier): rate for rate in rates.order_by("effective_from")}


# --- user-scoped reads ------------------------------------------------------------------------


def application_list_visible_to(user) -> QuerySet[Application]:
    queryset = Application.objects.select_related("person", "person__town", "created_by")
    return scope_to_towns(queryset, user, field="person__town")


def application_get_visible(*, user, pk) -> Application:
    return get_object_or_404(application_list_visible_to(user), pk=pk)


def application_list_drafts_of(user) -> QuerySet[Application]:
    """The drafts (new or returned) the user created, and the online applications of the user's
    towns that no caseworker has submitted yet (网上申请)."""
    online = Q(created_by__isnull=True, channel=Application.Channel.ONLINE)
    return application_list_visible_to(user).filter(
        Q(created_by=user) | online, status=Application.Status.DRAFT
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


def payment_list_counted() -> QuerySet[Payment]:
    """The payments that count as paid out: those in batches confirmed or later
    (``PaymentBatch.COUNTED_STATUSES``)."""
    return Payment.objects.filter(batch__status__in=PaymentBatch.COUNTED_STATUSES)


def payment_list_visible_to(user) -> QuerySet[Payment]:
    queryset = Payment.objects.select_related("person", "town", "batch")
    return scope_to_towns(queryset, user, field="town")


def _money(value) -> Decimal:
    """A sum in 元 with 2 places (SQLite drops them)."""
    return (value or Decimal(0)).quantize(Decimal("0.01"))


def payment_batch_totals(batch: PaymentBatch) -> dict:
    """Per town and type (payments not held): count, people, arrears and amount (元); per type;
    the batch total; what is held; the results (待发放 / 已发放 / 发放失败).

    A counted batch (confirmed or later) reads its rows from the month's summary table
    (``PaymentSummary``: at most towns × types rows) and its total from the batch row; only the
    payments not yet paid are read, off a partial index. A draft batch, whose payments still
    change, and a counted batch whose summary is not built yet are computed from the payments.
    Returns ``{"rows", "by_type", "total", "held", "results"}``.
    """
    if batch.status in PaymentBatch.COUNTED_STATUSES:
        summary = list(
            PaymentSummary.objects.filter(month=batch.month)
            .select_related("town")
            .order_by("town__code", "type")
        )
        if summary or not batch.payment_count:
            return _payment_batch_totals_from_summary(batch, summary)
    return _payment_batch_totals_computed(batch)


def _results(batch: PaymentBatch, by_status: dict, total: dict) -> list[dict]:
    """待发放 / 已发放 / 发放失败 with count and amount (元), adding up to the total."""
    if Payment.Status.PAID not in by_status:
        unpaid_count = sum(row["count"] for row in by_status.values())
        unpaid_amount = sum((row["amount"] or Decimal(0) for row in by_status.values()), Decimal(0))
        by_status[Payment.Status.PAID] = {
            "count": total["count"] - unpaid_count,
            "amount": (total["amount"] or Decimal(0)) - unpaid_amount,
        }
    return [
        {
            "status": status,
            "label": Payment.Status(status).label,
            "count": by_status.get(status, {}).get("count", 0),
            "amount": _money(by_status.get(status, {}).get("amount")),
        }
        for status in Payment.Status.values
    ]


def _payment_batch_totals_from_summary(batch: PaymentBatch, summary: list) -> dict:
    rows, by_type = [], {}
    for item in summary:
        rows.append(
            {
                "town__code": item.town.code,
                "town__name": item.town.name,
                "type": item.type,
                "type_label": subsidy_type_short(item.type),
                "count": item.payments,
                "people": item.recipients,
                "arrears": item.arrears_amount,
                "amount": item.amount,
            }
        )
        kind = by_type.setdefault(item.type, {"type": item.type, "count": 0, "amount": 0})
        kind["count"] += item.payments
        kind["amount"] += item.amount
    total = {
        "count": batch.payment_count,
        "people": batch.recipient_count,
        "arrears": sum((row["arrears"] for row in rows), Decimal(0)),
        "amount": batch.total_amount,
    }
    # Held payments leave the batch when it is confirmed: a counted batch holds none.
    unpaid = (
        Payment.objects.filter(batch=batch)
        .exclude(status=Payment.Status.PAID)
        .order_by()
        .values("status")
        .annotate(count=Count("pk"), amount=Sum("amount"))
    )
    by_status = {row["status"]: row for row in unpaid}
    return {
        "rows": rows,
        "by_type": [
            {"type_label": subsidy_type_short(t), **by_type[t]}
            for t in SubsidyType.values
            if t in by_type
        ],
        "total": total,
        "held": {"count": 0, "amount": None},
        "results": _results(batch, by_status, total),
    }


def _payment_batch_totals_computed(batch: PaymentBatch) -> dict:
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
    by_type: dict = {}
    for row in rows:
        kind = by_type.setdefault(row["type"], {"type": row["type"], "count": 0, "amount": 0})
        kind["count"] += row["count"]
        kind["amount"] += row["amount"]
    total = {
        "count": sum(row["count"] for row in rows),
        "people": payments.filter(held=False).aggregate(people=Count("person", distinct=True))[
            "people"
        ],
        "arrears": sum((row["arrears"] for row in rows), Decimal(0)),
        "amount": sum((row["amount"] for row in rows), Decimal(0)),
    }
    held = payments.filter(held=True).aggregate(count=Count("pk"), amount=Sum("amount"))
    by_status = {
        row["status"]: row
        for row in payments.filter(held=False)
        .order_by()
        .values("status")
        .annotate(count=Count("pk"), amount=Sum("amount"))
    }
    return {
        "rows": rows,
        "by_type": [
            {"type_label": subsidy_type_short(t), **by_type[t]}
            for t in SubsidyType.values
            if t in by_type
        ],
        "total": total,
        "held": held,
        "results": _results(batch, by_status, total),  # adding up to the total
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


def account_correction_list_visible_to(user) -> QuerySet[AccountCorrection]:
    """银行信息更正 of the user's towns, open ones first."""
    queryset = AccountCorrection.objects.select_related("person", "person__town", "payment__batch")
    return scope_to_towns(queryset, user, field="person__town")


def account_correction_get_visible(*, user, pk) -> AccountCorrection:
    return get_object_or_404(account_correction_list_visible_to(user), pk=pk)


def entitlement_count_missing_payment(month: date) -> int:
    """Active entitlements due for ``month`` with no payment for it (e.g. no rate in force)."""
    return (
        Entitlement.objects.filter(state=Entitlement.State.ACTIVE, start_month__lte=month)
        .filter(Q(end_month__isnull=True) | Q(end_month__gte=month))
        .filter(Q(paid_through__isnull=True) | Q(paid_through__lt=month))
        .exclude(payments__month=month)
        .count()
    )


# --- figures for dfed.reports ------------------------------------------------------------------


def payment_list_paid() -> QuerySet[Payment]:
    """Payments the bank has paid (已发放): the money actually spent."""
    return Payment.objects.filter(status=Payment.Status.PAID)


def payment_failure_figures(
    *, start: date | None = None, end: date | None = None, town_ids=None
) -> dict:
    """Failed payments of batches whose 发放月份 is in [start, end] (towns: ``town_ids`` or all).

    Returns ``{"by_reason": [{code, label, count, amount}], "by_town": [{town_id, town, count,
    amount, reissued, never}], "returned": 元 the bank sent back, "reissued": 元 paid again by a
    later batch (whatever its month), "never": 元 not to be re-issued (death)}``; amounts in 元.
    Failures are few: they are read through their partial index and added up here, and the
    re-issues are looked up by (entitlement, month), never by scanning the paid payments.
    """
    failed = Payment.objects.filter(status=Payment.Status.FAILED)
    if start is not None:
        failed = failed.filter(batch__month__gte=start)
    if end is not None:
        failed = failed.filter(batch__month__lte=end)
    if town_ids is not None:
        failed = failed.filter(town_id__in=town_ids)
    rows = list(
        failed.order_by().values_list(
            "entitlement_id", "month", "town_id", "failure_code", "reissue", "amount"
        )
    )
    zero = Decimal("0.00")
    by_reason: dict[str, list] = {}
    by_town: dict[int, dict] = {}
    months: dict[tuple[int, date], int] = {}
    for entitlement_id, month, town_id, code, reissue, amount in rows:
        reason = by_reason.setdefault(code, [0, zero])
        reason[0] += 1
        reason[1] += amount
        town = by_town.setdefault(
            town_id,
            {"town_id": town_id, "count": 0, "amount": zero, "reissued": zero, "never": zero},
        )
        town["count"] += 1
        town["amount"] += amount
        if reissue == Payment.Reissue.NEVER:
            town["never"] += amount
        months[(entitlement_id, month)] = town_id
    reissued = payment_list_paid().filter(
        entitlement_id__in={e for e, _m in months}, month__in={m for _e, m in months}
    )
    for entitlement_id, month, amount in reissued.values_list("entitlement_id", "month", "amount"):
        town_id = months.get((entitlement_id, month))
        if town_id is not None:
            by_town[town_id]["reissued"] += amount
    areas = {
        pk: (code, name)
        for pk, code, name in Area.objects.filter(pk__in=list(by_town)).values_list(
            "pk", "code", "name"
        )
    }
    towns = sorted(by_town.values(), key=lambda t: areas.get(t["town_id"], ("", ""))[0])
    for town in towns:
        town["town"] = areas.get(town["town_id"], ("", ""))[1]
    return {
        "by_reason": [
            {
                "code": code,
                "label": FailureReason(code).label,
                "count": by_reason[code][0],
                "amount": _money(by_reason[code][1]),
            }
            for code in FailureReason.values
            if code in by_reason
        ],
        "by_town": towns,
        "returned": _money(sum((t["amount"] for t in towns), zero)),
        "reissued": _money(sum((t["reissued"] for t in towns), zero)),
        "never": _money(sum((t["never"] for t in towns), zero)),
    }


# --- the family service (/service/): one verified person's own records -------------------------

FAMILY_STEP_TEXT = {
    "create": gettext_lazy("申请已建立"),
    "submit": gettext_lazy("已提交，等待镇（街道）审核"),
    "town_approve": gettext_lazy("镇（街道）审核通过，等待区残联审定"),
    "return": gettext_lazy("退回补充材料"),
    "approve": gettext_lazy("已批准"),
    "reject": gettext_lazy("未获批准"),
}


def _family_timeline(application: Application) -> list[dict]:
    steps = []
    for event in application.events.all():
        if event.action not in FAMILY_STEP_TEXT:
            continue
        text = FAMILY_STEP_TEXT[event.action]
        if event.action == "create" and application.channel == Application.Channel.ONLINE:
            text = gettext_lazy("网上申请已收到")
        steps.append({"at": event.at, "action": event.action, "text": text, "note": event.comment})
    return steps


def family_overview(*, person) -> dict:
    """What /service/status shows a verified person: applications with their timeline (newest
    first, at most 20), entitlements with this month's amount in 元 (``None`` when no rate is in
    force), the last 12 payments (month, amount, 补发, batch status) and the masked account."""
    applications = list(
        Application.objects.filter(person=person)
        .prefetch_related("events")
        .order_by("-created_at", "-pk")[:20]
    )
    entitlements = list(Entitlement.objects.filter(person=person).order_by("type", "-start_month"))
    rates = rates_in_force(month=month_start(timezone.localdate())) if entitlements else {}
    for entitlement in entitlements:
        rate = rates.get((entitlement.type, entitlement.tier))
        current = entitlement.state != Entitlement.State.ENDED
        entitlement.monthly_amount = rate.monthly_amount if rate and current else None
    payments = list(
        Payment.objects.filter(entitlement_id__in=[e.pk for e in entitlements])
        .select_related("batch")
        .order_by("-month", "type", "-pk")[:12]
    )
    return {
        "applications": [{"application": a, "timeline": _family_timeline(a)} for a in applications],
        "entitlements": entitlements,
        "payments": payments,
        "bank_name": person.bank_name,
        "bank_account": mask_bank_account(person.bank_account),
    }


def family_application_get(*, person, reference: str) -> Application:
    """The person's own application by its receipt reference (404 otherwise)."""
    return get_object_or_404(
        Application.objects.prefetch_related("attachments"), person=person, reference=reference
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


# --- For reports (dashboards and the annual summary) -----------------------------------------


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


def payment_batch_latest_month() -> date | None:
    """The month of the newest payment batch, or None before the first one."""
    return PaymentBatch.objects.order_by("-month").values_list("month", flat=True).first()
