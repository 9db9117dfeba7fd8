"""Payment batches, payments, recoveries and bank account corrections; payment figures."""

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
from dfed.people.models import Area

from ..models import (
    AccountCorrection,
    BatchAccount,
    FailureReason,
    Payment,
    PaymentBatch,
    PaymentSummary,
    RecoveryItem,
    SubsidyType,
    subsidy_type_short,
)


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
            "colour": Payment.STATUS_COLOURS.get(status, "secondary"),
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


def batch_accounts(batch: PaymentBatch) -> dict[int, tuple[str, str]]:
    """Person id → (开户银行, 银行账号) as ``batch``'s bank file gave them (``BatchAccount``,
    written at export); empty for a batch not exported since the table exists."""
    return {
        person_id: (bank_name, bank_account)
        for person_id, bank_name, bank_account in BatchAccount.objects.filter(
            batch=batch
        ).values_list("person_id", "bank_name", "bank_account")
    }


def bank_rows(batch: PaymentBatch):
    """One row per person (payments not held): ``person``, ``town``, ``bank_name``,
    ``bank_account`` (as written at export, else the person's current ones), ``amount`` (元),
    ``items`` (type → months)."""
    accounts = batch_accounts(batch)
    payments = (
        Payment.objects.filter(batch=batch, held=False)
        .select_related("person", "town")
        .order_by("town__code", "person__name", "person_id", "type", "month")
    )
    current, rows = None, []
    for payment in payments.iterator(chunk_size=5000):
        if current is None or current["person"].pk != payment.person_id:
            person = payment.person
            bank_name, bank_account = accounts.get(
                person.pk, (person.bank_name, person.bank_account)
            )
            current = {
                "person": person,
                "town": payment.town,
                "bank_name": bank_name,
                "bank_account": bank_account,
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


def payment_batch_latest_month() -> date | None:
    """The month of the newest payment batch, or None before the first one."""
    return PaymentBatch.objects.order_by("-month").values_list("month", flat=True).first()
