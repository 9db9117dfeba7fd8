"""Texts to the family at every step of an application or entitlement, through the SMS outbox.

Invariants: each event is texted once (its idempotency key names the event: the application and
step, or the ``ApplicationEvent`` for a step that may repeat, such as 退回); texts go to the phone
on file (the person's mobile, else the guardian's) and nowhere when neither is a mobile; texts are
in Chinese whatever the staff member's language; they are queued in the caller's transaction, so
a rolled-back step sends nothing.
"""

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _

from dfed.core.validators import MOBILE_RE, normalize_phone
from dfed.notifications.services import sms_message_queue

from ..models import Application, Entitlement, subsidy_type_short

PURPOSE = "subsidy_notice"


def phone_on_file(person) -> str:
    """The mobile a text goes to: the person's own, else the guardian's ("" when neither)."""
    for value in (person.phone, person.guardian_phone):
        phone = normalize_phone(value)
        if phone and MOBILE_RE.match(phone):
            return phone
    return ""


def hotline() -> str:
    return getattr(settings, "FAMILY_SERVICE_HOTLINE", "12385")


def _send(person, *, key: str, build) -> None:
    phone = phone_on_file(person)
    if not phone:
        return
    with translation.override("zh-hans"):
        body = f"【{settings.PORTAL_NAME}】" + build()
    sms_message_queue(phone=phone, body=body, purpose=PURPOSE, key=key)


def _what(application: Application) -> dict:
    return {"type": subsidy_type_short(application.type), "no": application.number}


def notice_application_received(application: Application) -> None:
    """受理: sent when a family applies online or a caseworker submits (once per application)."""
    _send(
        application.person,
        key=f"subsidy-app-received-{application.pk}",
        build=lambda: (
            _("您的%(type)s申请（编号%(no)s）已收到，我们会尽快审核。") % _what(application)
        ),
    )


def notice_application_returned(application: Application, *, event_id: int, comment: str) -> None:
    """退回补充材料: once per return (a returned application may be returned again later)."""
    _send(
        application.person,
        key=f"subsidy-app-returned-{event_id}",
        build=lambda: (
            _("您的%(type)s申请（编号%(no)s）需要补充材料：%(comment)s。请联系镇（街道）残联。")
            % {**_what(application), "comment": comment[:120]}
        ),
    )


def notice_application_approved(application: Application) -> None:
    """批准: with the first month paid."""
    _send(
        application.person,
        key=f"subsidy-app-approved-{application.pk}",
        build=lambda: (
            _("您的%(type)s申请（编号%(no)s）已批准，从%(year)d年%(month)d月起按月发放。")
            % {
                **_what(application),
                "year": application.approved_from.year,
                "month": application.approved_from.month,
            }
        ),
    )


def notice_application_rejected(application: Application) -> None:
    """驳回: with the reason the reviewer gave."""
    _send(
        application.person,
        key=f"subsidy-app-rejected-{application.pk}",
        build=lambda: (
            _("您的%(type)s申请（编号%(no)s）未获批准，原因：%(reason)s。如有疑问请拨打%(tel)s。")
            % {**_what(application), "reason": application.decision_comment[:120], "tel": hotline()}
        ),
    )


def notice_entitlement_stopped(entitlement: Entitlement, *, event: str) -> None:
    """暂停 or 终止: why, and whom to call; ``event`` distinguishes repeated suspensions."""
    facts = {"type": subsidy_type_short(entitlement.type), "tel": hotline()}

    def build() -> str:
        if entitlement.state == Entitlement.State.ENDED:
            why = entitlement.get_end_reason_display()
            if entitlement.state_note:
                why = f"{why}，{entitlement.state_note}"
            return _(
                "您的%(type)s自%(year)d年%(month)d月后停止发放，原因：%(why)s。"
                "如有疑问请拨打%(tel)s。"
            ) % {
                **facts,
                "year": entitlement.end_month.year,
                "month": entitlement.end_month.month,
                "why": why[:100],
            }
        why = entitlement.state_note or _("需要核实资格")
        return _("您的%(type)s暂停发放，原因：%(why)s。如有疑问请拨打%(tel)s。") % {
            **facts,
            "why": why[:100],
        }

    _send(entitlement.person, key=f"subsidy-ent-stopped-{entitlement.pk}-{event}", build=build)
