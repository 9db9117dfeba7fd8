"""Subsidy rates. Invariant: ranges of one type and tier never overlap (checked under an
advisory lock here, and by the ``subsidyrate_no_overlap`` exclusion constraint on PostgreSQL);
a rate already used by payments keeps its amount and start month."""

from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from ..locks import RATE_LOCK, advisory_xact_lock
from ..models import Payment, SubsidyRate
from ._common import require, save_with_history

RATE_FIELDS = ("type", "tier", "monthly_amount", "effective_from", "effective_to", "note")


@transaction.atomic
def subsidy_rate_create(
    *,
    by,
    type: str,  # noqa: A002
    tier: str,
    monthly_amount: Decimal,
    effective_from: date,
    effective_to: date | None = None,
    note: str = "",
) -> SubsidyRate:
    """Add a rate; refuse one whose range overlaps another of the same type and tier.

    Raises: PermissionDenied if ``by`` lacks subsidies.add_subsidyrate; ValidationError if the
    range overlaps another rate of the type and tier or a field is invalid (amounts in 元 a
    month)."""
    require(by, "subsidies.add_subsidyrate")
    advisory_xact_lock(RATE_LOCK)
    rate = SubsidyRate(
        type=type,
        tier=tier,
        monthly_amount=monthly_amount,
        effective_from=effective_from,
        effective_to=effective_to,
        note=note,
        created_by=by,
    )
    rate.full_clean()
    save_with_history(rate, by=by, reason=_("新增标准"))
    return rate


@transaction.atomic
def subsidy_rate_update(*, rate: SubsidyRate, by, **fields) -> SubsidyRate:
    """Change a rate; once payments use it only its end month (and note) may change.

    Raises: PermissionDenied if ``by`` lacks subsidies.change_subsidyrate; ValidationError if a
    paid rate's amount or start would change, or its end month would fall before a paid month."""
    require(by, "subsidies.change_subsidyrate")
    advisory_xact_lock(RATE_LOCK)
    rate = SubsidyRate.objects.select_for_update().get(pk=rate.pk)
    used = Payment.objects.filter(rate=rate)
    for name, value in fields.items():
        if name not in RATE_FIELDS:
            continue
        if used.exists() and name not in ("effective_to", "note") and getattr(rate, name) != value:
            raise ValidationError(_("该标准已用于发放，只能修改截止月份和备注"))
        setattr(rate, name, value)
    last_paid = used.order_by("-month").values_list("month", flat=True).first()
    if last_paid and rate.effective_to and rate.effective_to < last_paid:
        raise ValidationError(
            {
                "effective_to": _("截止月份不能早于已按此标准发放的月份 %(m)s")
                % {"m": f"{last_paid:%Y-%m}"}
            }
        )
    rate.full_clean()
    save_with_history(rate, by=by, reason=_("修改标准"))
    return rate
