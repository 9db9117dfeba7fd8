"""The gateway's delivery reports and replies (退订)."""

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from ..models import SmsMessage
from .outbox import sms_opt_out_add

OPT_OUT_WORDS = {"TD", "T", "N", "0000", "退订", "退定"}


@transaction.atomic
def sms_delivery_reports_apply(*, reports: list[dict], replies: list[dict] = ()) -> dict:
    """Apply the gateway's delivery reports and replies; return counts
    ``{"delivered", "failed", "unknown", "opted_out"}``.

    A report names a message by provider id or by our ref (idempotency key) and marks a sent
    (or in-flight) message 已送达 or 失败 with the provider's code; a message that already has
    its receipt is left alone, so a repeated report changes nothing. A reply of TD/退订 puts the
    phone on the opt-out list (its queued texts become 已退订).
    """
    counts = {"delivered": 0, "failed": 0, "unknown": 0, "opted_out": 0}
    now = timezone.now()
    for report in reports:
        lookup = Q(provider_message_id=report["id"]) if report["id"] else Q(pk__in=[])
        if report["ref"]:
            lookup |= Q(idempotency_key=report["ref"])
        message = SmsMessage.objects.select_for_update().filter(lookup).first()
        if message is None:
            counts["unknown"] += 1
            continue
        if message.status not in (SmsMessage.Status.SENT, SmsMessage.Status.QUEUED):
            continue
        message.provider_code = report["code"]
        message.in_progress = False
        fields = ["status", "provider_code", "in_progress", "updated_at"]
        if report["id"] and not message.provider_message_id:
            message.provider_message_id = report["id"][:100]
            fields.append("provider_message_id")
        if report["delivered"]:
            message.status = SmsMessage.Status.DELIVERED
            message.delivered_at = now
            fields.append("delivered_at")
            counts["delivered"] += 1
        else:
            message.status = SmsMessage.Status.FAILED
            message.last_error = _("网关回执：未送达（%(code)s）") % {"code": report["code"]}
            fields.append("last_error")
            counts["failed"] += 1
        message.save(update_fields=fields)
    for reply in replies:
        if reply["text"].strip().upper() in OPT_OUT_WORDS:
            sms_opt_out_add(
                phone=reply["phone"], reason=_("短信回复退订：%(t)s") % {"t": reply["text"]}
            )
            counts["opted_out"] += 1
    return counts
