"""The bank's results for an exported batch: each payment 待发放 → 已发放 or 发放失败.

Invariants: a result is recorded once (the same result again changes nothing, a different one
is refused); the bank pays one transfer per person and batch, so a transfer's result applies to
all of that person's payments in the batch; a batch becomes 已发放 only when every payment in it
has a result; ``paid_through`` moves only over paid months, up to the first month not paid
(history records why); a failure the bank details caused opens one 银行信息更正 task per person
and its months wait for it (``Reissue.WAITING``); a failure because the person died is never
re-issued and suspends the person's entitlements until the registry records the death (whose
rules then end them and list paid months to recover); any other failure is due for re-issue in
the next batch, as arrears.
"""

from dataclasses import dataclass
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_update_with_history

from dfed.core.history import delete_with_history
from dfed.core.months import month_label

from ..models import (
    ACCOUNT_FAILURES,
    AccountCorrection,
    Entitlement,
    FailureReason,
    Payment,
    PaymentBatch,
    RecoveryItem,
)
from ..tasks import payment_summary_refresh_month as payment_summary_refresh_month_task
from ._common import require, save_with_history

RESULT_FIELDS = [
    "status",
    "failure_code",
    "failure_text",
    "bank_serial",
    "reissue",
    "result_at",
    "result_by",
]


@dataclass(frozen=True)
class TransferResult:
    """The bank's answer for one transfer: ``status`` is ``Payment.Status.PAID`` or ``FAILED``."""

    status: str
    failure_code: str = ""
    failure_text: str = ""
    bank_serial: str = ""

    def same_as(self, payment: Payment) -> bool:
        return payment.status == self.status and payment.failure_code == self.failure_code


@dataclass
class ResultSummary:
    paid: int = 0
    failed: int = 0
    unchanged: int = 0
    batch_paid: bool = False


def reissue_for(code: str) -> str:
    """What happens to a failed month: waits for corrected bank details, never, or next batch."""
    if code == FailureReason.DECEASED:
        return Payment.Reissue.NEVER
    if code in ACCOUNT_FAILURES:
        return Payment.Reissue.WAITING
    return Payment.Reissue.DUE


def result_conflict(payment: Payment) -> str:
    """The reason a different result cannot be recorded over ``payment``'s."""
    return _("该笔已登记为“%(s)s”，不能更改") % {"s": payment.get_status_display()}


def _check_batch(batch: PaymentBatch) -> None:
    if batch.status not in (PaymentBatch.Status.EXPORTED, PaymentBatch.Status.PAID):
        raise ValidationError(_("批次导出银行文件后才能登记发放结果"))


@transaction.atomic
def payment_results_record(
    *, batch: PaymentBatch, results: dict[int, TransferResult], by, reason: str
) -> ResultSummary:
    """Record the bank's results by person: ``results`` maps a person id to their transfer's result.

    Raises ``ValidationError`` when the batch is not exported, a person has no payment in it, a
    failure has no reason, or a payment already holds a different result. ``reason`` goes into
    the history (e.g. the return file's name).
    """
    require(by, "subsidies.confirm_paymentbatch")
    batch = PaymentBatch.objects.select_for_update().get(pk=batch.pk)
    _check_batch(batch)
    payments = list(
        Payment.objects.select_for_update()
        .filter(batch=batch, held=False, person_id__in=list(results))
        .order_by("person_id", "type", "month")
    )
    missing = set(results) - {p.person_id for p in payments}
    if missing:
        raise ValidationError(_("有 %(n)d 人在本批次中没有发放明细") % {"n": len(missing)})
    now, summary, changed = timezone.now(), ResultSummary(), []
    for payment in payments:
        result = results[payment.person_id]
        if result.status == Payment.Status.FAILED and not result.failure_code:
            raise ValidationError({"failure_code": _("发放失败必须填写原因")})
        if payment.status != Payment.Status.PENDING:
            if not result.same_as(payment):
                raise ValidationError(result_conflict(payment))
            summary.unchanged += 1
            continue
        payment.status = result.status
        payment.bank_serial = result.bank_serial[:40]
        payment.result_at, payment.result_by = now, by
        if result.status == Payment.Status.FAILED:
            payment.failure_code = result.failure_code
            payment.failure_text = (result.failure_text or "")[:200]
            payment.reissue = reissue_for(result.failure_code)
            summary.failed += 1
        else:
            summary.paid += 1
        changed.append(payment)
    if changed:
        _check_open(batch)
        Payment.objects.bulk_update(changed, RESULT_FIELDS, batch_size=2000)
        _after_failures([p for p in changed if p.status == Payment.Status.FAILED], by=by)
        _advance_paid_through(
            [p.entitlement_id for p in changed if p.status == Payment.Status.PAID],
            by=by,
            reason=reason,
        )
        # The year's paid figures (PaymentYearSummary) change with the results.
        payment_summary_refresh_month_task.delay_on_commit(batch.month.isoformat())
    summary.batch_paid = _complete_if_done(batch, by=by, reason=reason)
    return summary


def _check_open(batch: PaymentBatch) -> None:
    if batch.status != PaymentBatch.Status.EXPORTED:
        raise ValidationError(_("批次导出银行文件后才能登记发放结果"))


@transaction.atomic
def payment_mark_failed(
    *, payment: Payment, by, failure_code: str, failure_text: str = ""
) -> ResultSummary:
    """The bank reported (without a file) that this payment's transfer failed; the whole transfer
    (all of the person's payments in the batch) fails with it.

    Raises: PermissionDenied if ``by`` lacks subsidies.confirm_paymentbatch; ValidationError if
    no reason is chosen or the batch is not exported or the payment not pending."""
    if failure_code not in FailureReason.values:
        raise ValidationError({"failure_code": _("请选择失败原因")})
    result = TransferResult(
        Payment.Status.FAILED, failure_code, failure_text or FailureReason(failure_code).label
    )
    return payment_results_record(
        batch=payment.batch,
        results={payment.person_id: result},
        by=by,
        reason=_("手工登记发放失败"),
    )


@transaction.atomic
def payment_batch_mark_paid(*, batch: PaymentBatch, by) -> PaymentBatch:
    """The bank paid every payment still without a result (no return file): the batch is 已发放.

    Raises ``ValidationError`` unless the batch is exported. ``paid_through`` advances as for a
    return file.
    """
    require(by, "subsidies.confirm_paymentbatch")
    batch = PaymentBatch.objects.select_for_update().get(pk=batch.pk)
    _check_open(batch)
    pending = Payment.objects.filter(batch=batch, held=False, status=Payment.Status.PENDING)
    entitlement_ids = list(pending.values_list("entitlement_id", flat=True))
    pending.update(status=Payment.Status.PAID, result_at=timezone.now(), result_by=by)
    reason = _("手工登记其余明细已发放")
    _advance_paid_through(entitlement_ids, by=by, reason=reason)
    _complete_if_done(batch, by=by, reason=reason)
    payment_summary_refresh_month_task.delay_on_commit(batch.month.isoformat())
    return batch


def _complete_if_done(batch: PaymentBatch, *, by, reason: str) -> bool:
    """Close the batch as 已发放 once no payment waits for a result."""
    if batch.status != PaymentBatch.Status.EXPORTED:
        return batch.status == PaymentBatch.Status.PAID
    if Payment.objects.filter(batch=batch, status=Payment.Status.PENDING, held=False).exists():
        return False
    batch.transition_to(PaymentBatch.Status.PAID)
    batch.paid_by, batch.paid_at = by, timezone.now()
    save_with_history(
        batch,
        by=by,
        reason=_("已发放（%(r)s）") % {"r": reason},
        update_fields=["status", "paid_by", "paid_at", "updated_at"],
    )
    return True


def _advance_paid_through(entitlement_ids, *, by, reason: str) -> int:
    """Move each entitlement's ``paid_through`` to the last month before its first month not paid.

    Only months that have payments count (a month no batch has paid yet is not "not paid").
    Returns the number of entitlements moved; each move is in their history with ``reason``.
    """
    if not entitlement_ids:
        return 0
    months: dict[int, dict[date, bool]] = {}
    rows = (
        Payment.objects.filter(entitlement_id__in=set(entitlement_ids), held=False)
        .filter(
            Q(entitlement__paid_through__isnull=True) | Q(month__gt=F("entitlement__paid_through"))
        )
        .values_list("entitlement_id", "month", "status")
    )
    for entitlement_id, month, status in rows.iterator(chunk_size=5000):
        by_month = months.setdefault(entitlement_id, {})
        by_month[month] = by_month.get(month, False) or status == Payment.Status.PAID
    moved = []
    for entitlement in Entitlement.objects.filter(pk__in=list(months)).only(
        "pk", "paid_through", "updated_at"
    ):
        last = None
        for month in sorted(months[entitlement.pk]):
            if not months[entitlement.pk][month]:
                break
            last = month
        current = entitlement.paid_through
        if last is not None and (current is None or last > current):
            entitlement.paid_through = last
            entitlement.updated_at = timezone.now()
            moved.append(entitlement)
    if moved:
        bulk_update_with_history(
            moved,
            Entitlement,
            ["paid_through", "updated_at"],
            batch_size=2000,
            default_user=by,
            default_change_reason=_("银行已发放，已发放至%(m)s（%(r)s）")
            % {"m": month_label(max(e.paid_through for e in moved)), "r": reason},
        )
    return len(moved)


def _after_failures(failed: list[Payment], *, by) -> None:
    """Open a 银行信息更正 per person whose bank details failed; hand deaths to the registry.

    A failed payment was never paid: a recovery item the death rules made for it is withdrawn.
    """
    for item in RecoveryItem.objects.filter(
        payment__in=[p.pk for p in failed], status=RecoveryItem.Status.PENDING
    ):
        delete_with_history(item, by=by, reason=_("银行回盘发放失败，无需追回"))
    seen: set[int] = set()
    for payment in failed:
        if payment.person_id in seen:
            continue
        seen.add(payment.person_id)
        if payment.failure_code in ACCOUNT_FAILURES:
            _correction_open(payment, by=by)
        elif payment.failure_code == FailureReason.DECEASED:
            _suspend_for_death(payment, by=by)


def _correction_open(payment: Payment, *, by) -> AccountCorrection:
    existing = AccountCorrection.objects.filter(
        person_id=payment.person_id, status=AccountCorrection.Status.OPEN
    ).first()
    if existing is not None:
        return existing
    person = payment.person
    correction = AccountCorrection(
        person=person,
        payment=payment,
        failure_code=payment.failure_code,
        failure_text=payment.failure_text,
        old_bank_name=person.bank_name,
        old_bank_account=person.bank_account,
    )
    save_with_history(correction, by=by, reason=_("银行回盘发放失败，待更正银行信息"))
    return correction


def _suspend_for_death(payment: Payment, *, by) -> None:
    """Stop paying a person the bank reports dead until the registry records the death."""
    note = _("银行回盘：户主死亡（%(t)s），待登记死亡") % {"t": payment.failure_text}
    for entitlement in Entitlement.objects.select_for_update().filter(
        person_id=payment.person_id, state=Entitlement.State.ACTIVE
    ):
        entitlement.state, entitlement.state_note = Entitlement.State.SUSPENDED, note[:200]
        save_with_history(entitlement, by=by, reason=note)
