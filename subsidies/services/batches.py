"""Monthly payment batches: 草稿 → 已确认 → 已导出 → 已发放.

Invariants: one batch per month; one payment per (entitlement, month) (unique constraint), at
the rate in force for that month; months after ``paid_through`` that were never paid are paid as
arrears (补发); suspended and ended entitlements are skipped; generating is idempotent and
serialised by a transaction-scoped advisory lock, and on PostgreSQL is one INSERT … SELECT;
payments are held back only while the batch is a draft, and confirming withdraws held ones (a
later batch pays them as arrears); a month whose payment failed is paid again (as arrears) only
once its re-issue is due (``Payment.Reissue.DUE``); the bank's results are in ``results``.
"""

from collections.abc import Callable
from datetime import date

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import Count, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from dfed.core.months import month_add, month_start, months_between

from ..locks import BATCH_GENERATE_LOCK, advisory_xact_lock
from ..models import BatchAccount, Entitlement, Payment, PaymentBatch
from ..selectors import rate_for
from ..signals import payment_batch_confirmed
from ..tasks import payment_summary_refresh_month as payment_summary_refresh_month_task
from ._common import require, save_with_history

Progress = Callable[[int, str], None]

GENERATE_SQL = """
INSERT INTO subsidies_payment
    (batch_id, entitlement_id, person_id, town_id, type, tier, month, amount, rate_id,
     is_arrears, held, held_reason, created_at)
SELECT %(batch)s, e.id, e.person_id, p.town_id, e.type, e.tier, m.month, r.monthly_amount, r.id,
       m.month < %(month)s, FALSE, '', %(now)s
FROM subsidies_entitlement e
JOIN people_person p ON p.id = e.person_id
CROSS JOIN LATERAL (
    SELECT gs::date AS month
    FROM generate_series(
        GREATEST(e.start_month, (e.paid_through + INTERVAL '1 month')::date)::timestamp,
        LEAST(%(month)s::date, COALESCE(e.end_month, %(month)s::date))::timestamp,
        INTERVAL '1 month'
    ) AS gs
) m
JOIN subsidies_subsidyrate r
  ON r.type = e.type AND r.tier = e.tier
 AND r.effective_from <= m.month AND (r.effective_to IS NULL OR r.effective_to >= m.month)
WHERE e.state = 'active'
  AND e.start_month <= %(month)s
  AND (e.paid_through IS NULL OR e.paid_through < %(month)s)
  AND NOT EXISTS (
      SELECT 1 FROM subsidies_payment x
      WHERE x.entitlement_id = e.id AND x.month = m.month AND x.status <> 'failed'
  )
  AND NOT EXISTS (
      SELECT 1 FROM subsidies_payment f
      WHERE f.entitlement_id = e.id AND f.month = m.month AND f.status = 'failed'
        AND f.reissue <> 'due'
  )
ON CONFLICT (entitlement_id, month) WHERE status <> 'failed' DO NOTHING
"""


def _generate_rows_python(batch: PaymentBatch, month: date) -> int:
    """The same rows as ``GENERATE_SQL``, for databases without generate_series (SQLite)."""
    entitlements = Entitlement.objects.filter(
        state=Entitlement.State.ACTIVE, start_month__lte=month
    ).select_related("person")
    paid = set(
        Payment.objects.exclude(
            status=Payment.Status.FAILED, reissue=Payment.Reissue.DUE
        ).values_list("entitlement_id", "month")
    )
    rows = []
    for entitlement in entitlements.iterator():
        first = entitlement.start_month
        if entitlement.paid_through:
            first = max(first, month_add(entitlement.paid_through, 1))
        last = min(month, entitlement.end_month or month)
        for current in months_between(first, last) if first <= last else []:
            if (entitlement.pk, current) in paid:
                continue
            rate = rate_for(type=entitlement.type, tier=entitlement.tier, month=current)
            if rate is None:
                continue
            rows.append(
                Payment(
                    batch=batch,
                    entitlement=entitlement,
                    person_id=entitlement.person_id,
                    town_id=entitlement.person.town_id,
                    type=entitlement.type,
                    tier=entitlement.tier,
                    month=current,
                    amount=rate.monthly_amount,
                    rate=rate,
                    is_arrears=current < month,
                )
            )
    Payment.objects.bulk_create(rows, batch_size=1000, ignore_conflicts=True)
    return len(rows)


def payment_batch_refresh_totals(*, batch: PaymentBatch) -> PaymentBatch:
    """Store the count, sum (元) and number of people of the payments not held back."""
    totals = Payment.objects.filter(batch=batch, held=False).aggregate(
        n=Count("pk"), total=Sum("amount"), people=Count("person_id", distinct=True)
    )
    batch.payment_count, batch.total_amount = totals["n"], totals["total"] or 0
    batch.recipient_count = totals["people"]
    batch.save(update_fields=["payment_count", "total_amount", "recipient_count", "updated_at"])
    return batch


@transaction.atomic
def payment_batch_generate(
    *, month: date, by=None, progress: Progress | None = None
) -> PaymentBatch:
    """Build (or complete) the draft batch for ``month``; returns it with ``.inserted`` set.

    Re-running adds only what is missing (nothing, if nothing changed); a batch past 草稿 is left
    as it is. Two runs at once queue on an advisory lock, so only one writes.

    Raises: PermissionDenied if ``by`` (a user; None for the scheduler) lacks
    subsidies.add_paymentbatch.
    """
    if by is not None:
        require(by, "subsidies.add_paymentbatch")
    month = month_start(month)
    progress = progress or (lambda percent, message: None)
    progress(5, _("等待其他生成任务完成…"))
    advisory_xact_lock(BATCH_GENERATE_LOCK)
    batch = PaymentBatch.objects.select_for_update().filter(month=month).first()
    if batch is None:
        batch = PaymentBatch(month=month, created_by=by)
        batch.full_clean()
        save_with_history(batch, by=by, reason=_("生成批次"))
    if batch.status != PaymentBatch.Status.DRAFT:
        batch.inserted = 0
        progress(100, _("批次已确认，未做更改"))
        return batch
    progress(20, _("正在按标准生成发放明细…"))
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            # generate_series makes the planner expect ~1000 months per entitlement; the huge
            # estimate would switch JIT compilation on, which costs more than it saves here.
            cursor.execute("SET LOCAL jit = off")
            cursor.execute(GENERATE_SQL, {"batch": batch.pk, "month": month, "now": timezone.now()})
            inserted = cursor.rowcount
    else:
        inserted = _generate_rows_python(batch, month)
    progress(80, _("正在汇总…"))
    batch.generated_at = timezone.now()
    if by is not None and batch.created_by_id is None:
        batch.created_by = by
    batch.save(update_fields=["generated_at", "created_by", "updated_at"])
    payment_batch_refresh_totals(batch=batch)
    batch.inserted = inserted
    progress(100, _("已生成 %(n)d 笔") % {"n": inserted})
    return batch


def _locked_batch(batch: PaymentBatch) -> PaymentBatch:
    return PaymentBatch.objects.select_for_update().get(pk=batch.pk)


@transaction.atomic
def payment_hold(*, payment: Payment, by, held: bool, reason: str = "") -> Payment:
    """Hold a payment back (or release it) while its batch is a draft.

    Raises: PermissionDenied if ``by`` lacks subsidies.change_payment; ValidationError if the
    batch is not a draft or a hold has no reason."""
    require(by, "subsidies.change_payment")
    batch = _locked_batch(payment.batch)
    if batch.status != PaymentBatch.Status.DRAFT:
        raise ValidationError(_("只有草稿批次可以暂缓或恢复发放"))
    if held and not (reason or "").strip():
        raise ValidationError({"held_reason": _("暂缓发放必须填写原因")})
    payment = Payment.objects.select_for_update().get(pk=payment.pk)
    payment.held, payment.held_reason = held, (reason if held else "")
    payment.save(update_fields=["held", "held_reason"])
    payment_batch_refresh_totals(batch=batch)
    return payment


@transaction.atomic
def payment_batch_confirm(*, batch: PaymentBatch, by) -> PaymentBatch:
    """Confirm the draft; held payments leave the batch (a later batch pays them as arrears).

    Once committed, the month's summary rows are rebuilt (``payment_summary_refresh_month``).
    Raises PermissionDenied without ``subsidies.confirm_paymentbatch``, ValidationError when the
    batch is not a draft or has no payment left to pay.
    """
    require(by, "subsidies.confirm_paymentbatch")
    batch = _locked_batch(batch)
    batch.transition_to(PaymentBatch.Status.CONFIRMED)
    if not Payment.objects.filter(batch=batch, held=False).exists():
        raise ValidationError(_("批次中没有可发放的明细"))
    withdrawn, _detail = Payment.objects.filter(batch=batch, held=True).delete()
    batch.confirmed_by, batch.confirmed_at = by, timezone.now()
    payment_batch_refresh_totals(batch=batch)
    save_with_history(
        batch,
        by=by,
        reason=_("确认（暂缓 %(n)d 笔移出本批）") % {"n": withdrawn},
        update_fields=["status", "confirmed_by", "confirmed_at", "updated_at"],
    )
    payment_batch_confirmed.send(sender=PaymentBatch, batch=batch, by=by)
    payment_summary_refresh_month_task.delay_on_commit(batch.month.isoformat())
    return batch


@transaction.atomic
def payment_batch_mark_exported(*, batch: PaymentBatch, by) -> PaymentBatch:
    """Record that the bank file was produced (again, if downloaded twice), and the bank details
    it gives each person (``BatchAccount``, replaced on each download): the bank's return file
    is matched against those, and the file is written from them.

    Raises: PermissionDenied if ``by`` lacks subsidies.export_paymentbatch; ValidationError if
    the batch is not confirmed or exported."""
    require(by, "subsidies.export_paymentbatch")
    batch = _locked_batch(batch)
    batch.transition_to(PaymentBatch.Status.EXPORTED)
    batch.exported_by, batch.exported_at = by, timezone.now()
    save_with_history(
        batch,
        by=by,
        reason=_("导出银行文件"),
        update_fields=["status", "exported_by", "exported_at", "updated_at"],
    )
    _batch_accounts_write(batch)
    return batch


def _batch_accounts_write(batch: PaymentBatch) -> None:
    """The bank details every person paid in ``batch`` (payments not held) has now, as the
    batch's ``BatchAccount`` rows, replacing earlier ones: one DELETE and one INSERT … SELECT
    (300,000 people in a province's batch)."""
    BatchAccount.objects.filter(batch=batch).delete()
    person_table = Payment._meta.get_field("person").related_model._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {BatchAccount._meta.db_table} "
            "(batch_id, person_id, bank_name, bank_account) "
            f"SELECT %s, p.id, p.bank_name, p.bank_account FROM {person_table} p "
            f"WHERE p.id IN (SELECT person_id FROM {Payment._meta.db_table} "
            "WHERE batch_id = %s AND NOT held)",
            [batch.pk, batch.pk],
        )
