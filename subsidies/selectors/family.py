"""The family service (/service/): one verified person's own records."""

from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext_lazy

from dfed.core.masking import mask_bank_account
from dfed.core.months import month_start

from ..models import (
    Application,
    Entitlement,
    Payment,
)
from .applications import rates_in_force

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
