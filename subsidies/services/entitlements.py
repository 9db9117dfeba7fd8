"""Entitlements. Invariants: at most one non-ended entitlement per person and type; an ended
entitlement has an end month and a reason; months paid after the end month become recovery items
(payments still in a draft batch are simply withdrawn); every change is recorded in history."""

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import CharField, OuterRef, Subquery, Value
from django.db.models.functions import Concat
from django.utils import timezone
from django.utils.translation import gettext as _

from dfed.core.months import month_add, month_start, months_between
from dfed.people.models import Person

from ..models import (
    Entitlement,
    FailureReason,
    Payment,
    PaymentBatch,
    RecoveryItem,
    entitlement_sort_key,
)
from ..selectors import rate_for
from ._common import require, save_with_history
from .notices import notice_entitlement_stopped

REVIEW_INTERVAL_MONTHS = 12


def entitlement_sort_key_refresh(*, people=None) -> int:
    """Set the sort key (``"<town code> <name>"``) of the entitlements of ``people`` (a Person
    queryset; every entitlement when ``None``) from their person's current town and name, in one
    UPDATE. Returns the number of entitlements whose key changed."""
    key = Subquery(
        Person.objects.filter(pk=OuterRef("person_id"))
        .annotate(key=Concat("town__code", Value(" "), "name", output_field=CharField()))
        .values("key")[:1]
    )
    entitlements = Entitlement.objects.all()
    if people is not None:
        entitlements = entitlements.filter(person__in=people.values("pk"))
    return entitlements.exclude(sort_key=key).update(sort_key=key)


def people_changed_receiver(sender, *, people, **kwargs) -> None:
    """``dfed.people.signals.people_changed``: a person's name or town changed (an edit, a
    transfer, an import); their entitlements' sort keys follow."""
    entitlement_sort_key_refresh(people=people)


def _snapshot(entitlement: Entitlement, person) -> None:
    entitlement.confirmed_household = person.household
    entitlement.confirmed_category = person.category
    entitlement.confirmed_level = person.level


@transaction.atomic
def entitlement_open(
    *,
    person,
    type: str,  # noqa: A002
    tier: str,
    start_month: date,
    by,
    application=None,
    paid_through: date | None = None,
    note: str = "",
) -> Entitlement:
    """Open an entitlement (state 正常); ``paid_through`` for recipients paid by the old process."""
    entitlement = Entitlement(
        person=person,
        type=type,
        tier=tier,
        start_month=month_start(start_month),
        paid_through=month_start(paid_through) if paid_through else None,
        application=application,
        created_by=by,
        state_note=note,
        review_due=month_add(month_start(start_month), REVIEW_INTERVAL_MONTHS),
        sort_key=entitlement_sort_key(town_code=person.town.code, name=person.name),
    )
    _snapshot(entitlement, person)
    entitlement.full_clean()
    save_with_history(entitlement, by=by, reason=_("开始享受"))
    return entitlement


def _locked(entitlement: Entitlement) -> Entitlement:
    return Entitlement.objects.select_for_update().select_related("person").get(pk=entitlement.pk)


@transaction.atomic
def entitlement_suspend(*, entitlement: Entitlement, by, note: str = "") -> Entitlement:
    """Stop paying for now (batches skip it); resuming pays the months missed as arrears,
    including months the bank failed as 户主死亡 when the person is in fact alive.

    Raises: PermissionDenied if ``by`` lacks subsidies.change_entitlement or the person's town;
    ValidationError if it is not 正常."""
    require(by, "subsidies.change_entitlement", town_id=entitlement.person.town_id)
    entitlement = _locked(entitlement)
    if entitlement.state != Entitlement.State.ACTIVE:
        raise ValidationError(_("只有状态为“正常”的才能暂停"))
    entitlement.state, entitlement.state_note = Entitlement.State.SUSPENDED, note
    save_with_history(entitlement, by=by, reason=_("暂停：%(n)s") % {"n": note})
    notice_entitlement_stopped(
        entitlement, event=f"suspended-{entitlement.history.values_list('pk', flat=True)[0]}"
    )
    return entitlement


@transaction.atomic
def entitlement_resume(*, entitlement: Entitlement, by, note: str = "") -> Entitlement:
    """Pay again from now; the months suspended become arrears in the next batch.

    Raises: PermissionDenied if ``by`` lacks subsidies.change_entitlement or the person's town;
    ValidationError if it is not 暂停."""
    require(by, "subsidies.change_entitlement", town_id=entitlement.person.town_id)
    entitlement = _locked(entitlement)
    if entitlement.state != Entitlement.State.SUSPENDED:
        raise ValidationError(_("只有状态为“暂停”的才能恢复"))
    entitlement.state, entitlement.state_note = Entitlement.State.ACTIVE, note
    save_with_history(entitlement, by=by, reason=_("恢复：%(n)s") % {"n": note})
    # The bank reported a death the registry never confirmed: the failed months are due again.
    Payment.objects.filter(
        entitlement=entitlement,
        status=Payment.Status.FAILED,
        failure_code=FailureReason.DECEASED,
        reissue=Payment.Reissue.NEVER,
    ).update(reissue=Payment.Reissue.DUE)
    return entitlement


@transaction.atomic
def entitlement_end(
    *, entitlement: Entitlement, by, reason: str, end_month: date, note: str = "", check_perm=True
) -> Entitlement:
    """End at ``end_month`` (paid up to and including it); later paid months are to be recovered.

    Raises: PermissionDenied (when ``check_perm``) if ``by`` lacks subsidies.change_entitlement
    or the person's town; ValidationError if it has ended already or no reason is chosen."""
    if check_perm:
        require(by, "subsidies.change_entitlement", town_id=entitlement.person.town_id)
    entitlement = _locked(entitlement)
    if entitlement.state == Entitlement.State.ENDED:
        raise ValidationError(_("该补贴已终止"))
    if reason not in Entitlement.EndReason.values:
        raise ValidationError({"end_reason": _("请选择终止原因")})
    last_month = month_start(end_month)
    entitlement.state = Entitlement.State.ENDED
    entitlement.end_reason = reason
    entitlement.end_month = max(last_month, entitlement.start_month)
    entitlement.state_note = note
    entitlement.full_clean()
    save_with_history(
        entitlement,
        by=by,
        reason=_("终止：%(r)s %(n)s") % {"r": entitlement.get_end_reason_display(), "n": note},
    )
    _recover_after(entitlement, last_month=last_month, by=by)
    notice_entitlement_stopped(entitlement, event="ended")
    return entitlement


def _recover_after(entitlement: Entitlement, *, last_month: date, by) -> list[RecoveryItem]:
    """Withdraw draft payments after ``last_month``; turn made ones into recovery items."""
    reason = _("%(r)s后已发放（%(m)s终止）") % {
        "r": entitlement.get_end_reason_display(),
        "m": f"{last_month:%Y-%m}",
    }
    later = Payment.objects.filter(entitlement=entitlement, month__gt=last_month)
    draft = later.filter(batch__status=PaymentBatch.Status.DRAFT)
    touched_batches = set(draft.values_list("batch_id", flat=True))
    draft.delete()
    for batch in PaymentBatch.objects.filter(pk__in=touched_batches):
        from .batches import payment_batch_refresh_totals

        payment_batch_refresh_totals(batch=batch)
    items = []
    paid_months = set()
    made = later.exclude(batch__status=PaymentBatch.Status.DRAFT).exclude(
        status=Payment.Status.FAILED  # the bank returned it: nothing to recover
    )
    for payment in made.order_by("month"):
        paid_months.add(payment.month)
        items.append(
            RecoveryItem(
                entitlement=entitlement,
                person_id=entitlement.person_id,
                payment=payment,
                month=payment.month,
                amount=payment.amount,
                reason=reason,
            )
        )
    # Months the old process paid (up to paid_through) after the end month.
    if entitlement.paid_through and entitlement.paid_through > last_month:
        first = max(month_add(last_month, 1), entitlement.start_month)
        for month in months_between(first, entitlement.paid_through):
            if month in paid_months:
                continue
            rate = rate_for(type=entitlement.type, tier=entitlement.tier, month=month)
            if rate is not None:
                items.append(
                    RecoveryItem(
                        entitlement=entitlement,
                        person_id=entitlement.person_id,
                        month=month,
                        amount=rate.monthly_amount,
                        reason=reason + _("（原发放渠道）"),
                    )
                )
    existing = set(
        RecoveryItem.objects.filter(entitlement=entitlement).values_list("month", flat=True)
    )
    items = [item for item in items if item.month not in existing]
    for item in items:
        save_with_history(item, by=by, reason=_("生成应追回"))
    return items


@transaction.atomic
def entitlement_review_confirm(*, entitlement: Entitlement, by, note: str = "") -> Entitlement:
    """年审 passed: record the facts confirmed and set the next review a year on.

    Raises: PermissionDenied if ``by`` lacks subsidies.review_entitlement or the person's town;
    ValidationError if it has ended or the person is no longer eligible."""
    require(by, "subsidies.review_entitlement", town_id=entitlement.person.town_id)
    entitlement = _locked(entitlement)
    if entitlement.state == Entitlement.State.ENDED:
        raise ValidationError(_("该补贴已终止"))
    from ..eligibility import eligibility_reasons

    person = entitlement.person
    reasons = eligibility_reasons(
        status=person.status,
        household=person.household,
        category=person.category,
        level=person.level,
        type=entitlement.type,
    )
    if reasons:
        raise ValidationError([_("不能确认，已不符合条件：")] + reasons + [_("请改为终止。")])
    _snapshot(entitlement, person)
    this_month = month_start(timezone.localdate())
    entitlement.review_due = month_add(this_month, REVIEW_INTERVAL_MONTHS)
    entitlement.last_reviewed_at = timezone.now()
    entitlement.state_note = note
    save_with_history(entitlement, by=by, reason=_("年审确认 %(n)s") % {"n": note})
    return entitlement


@transaction.atomic
def recovery_mark_recovered(*, item: RecoveryItem, by, note: str = "") -> RecoveryItem:
    """Record that an overpaid month (元) was recovered, with a note.

    Raises: PermissionDenied if ``by`` lacks subsidies.change_recoveryitem; ValidationError if
    it was recovered already."""
    require(by, "subsidies.change_recoveryitem")
    item = RecoveryItem.objects.select_for_update().get(pk=item.pk)
    if item.status == RecoveryItem.Status.RECOVERED:
        raise ValidationError(_("已登记为追回"))
    item.status = RecoveryItem.Status.RECOVERED
    item.recovered_by, item.recovered_at, item.note = by, timezone.now(), note
    save_with_history(item, by=by, reason=_("已追回"))
    return item


def person_left_registry_receiver(sender, *, person, status, on, by, **kwargs) -> None:
    """A person died or moved away: end their entitlements at that month (signal receiver)."""
    reason = Entitlement.EndReason.DEATH if status == "deceased" else Entitlement.EndReason.MOVED
    for entitlement in Entitlement.objects.filter(person=person).exclude(
        state=Entitlement.State.ENDED
    ):
        entitlement_end(
            entitlement=entitlement,
            by=by,
            reason=reason,
            end_month=month_start(on),
            note=_("登记为%(s)s（%(d)s）") % {"s": person.get_status_display(), "d": on},
            check_perm=False,
        )
