"""Applications: 草稿 → 乡镇审核 → 区残联审定 → 已批准/已驳回, returning goes back to 草稿.

Invariants: one open application per person and type; eligibility is checked at submission and
again at approval; each step is done by a user with the step's permission and (for town steps)
the person's town, and is recorded as an ``ApplicationEvent`` (who, when, comment) and in
history; approval opens the entitlement in the same transaction."""

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from dfed.core.files import validate_upload
from dfed.core.months import month_add, month_start

from ..eligibility import eligibility_check, tier_for
from ..models import Application, ApplicationAttachment, ApplicationEvent, Entitlement
from ._common import require, save_with_history
from .entitlements import entitlement_open
from .notices import (
    notice_application_approved,
    notice_application_received,
    notice_application_rejected,
    notice_application_returned,
)

Status = Application.Status
Action = ApplicationEvent.Action


def _event(application, *, action, by, from_status="", comment="") -> ApplicationEvent:
    return ApplicationEvent.objects.create(
        application=application,
        action=action,
        from_status=from_status,
        to_status=application.status,
        by=by,
        comment=comment,
    )


def _locked(application: Application) -> Application:
    return (
        Application.objects.select_for_update(of=("self",))
        .select_related("person")
        .get(pk=application.pk)
    )


def _move(application, *, to, action, by, comment="", fields=(), reason="") -> Application:
    from_status = application.status
    application.transition_to(to)
    application.full_clean()
    save_with_history(
        application,
        by=by,
        reason=reason or ApplicationEvent.Action(action).label,
        update_fields=["status", "updated_at", *fields],
    )
    application.last_event = _event(
        application, action=action, by=by, from_status=from_status, comment=comment
    )
    return application


@transaction.atomic
def application_create(*, person, type: str, by, reason: str = "") -> Application:  # noqa: A002
    """Start a 草稿 for an eligible person of the caseworker's town (reasons raised otherwise).

    Raises: PermissionDenied if ``by`` lacks subsidies.add_application or the person's town;
    ValidationError with every eligibility reason."""
    require(by, "subsidies.add_application", town_id=person.town_id)
    reasons = eligibility_check(person=person, type=type)
    if reasons:
        raise ValidationError(reasons)
    application = Application(
        person=person,
        type=type,
        tier=tier_for(type=type, level=person.level),
        reason=reason,
        created_by=by,
    )
    application.full_clean()
    save_with_history(application, by=by, reason=_("创建"))
    _event(application, action=Action.CREATE, by=by)
    return application


@transaction.atomic
def application_update(*, application: Application, by, reason: str) -> Application:
    """Change a draft's reason.

    Raises: PermissionDenied if ``by`` lacks subsidies.change_application or the person's town;
    ValidationError if it is no longer a draft."""
    require(by, "subsidies.change_application", town_id=application.person.town_id)
    application = _locked(application)
    if application.status != Status.DRAFT:
        raise ValidationError(_("只有草稿可以修改"))
    application.reason = reason
    save_with_history(application, by=by, reason=_("修改"), update_fields=["reason", "updated_at"])
    return application


@transaction.atomic
def application_attach(*, application: Application, upload, by) -> ApplicationAttachment:
    """Attach a PDF/JPG/PNG (checked by extension, size and content) to a draft.

    Raises: PermissionDenied if ``by`` lacks subsidies.change_application or the person's town;
    ValidationError if it is not a draft or the file is refused."""
    require(by, "subsidies.change_application", town_id=application.person.town_id)
    application = _locked(application)
    if application.status != Status.DRAFT:
        raise ValidationError(_("只有草稿可以上传附件"))
    content_type = validate_upload(upload)
    attachment = ApplicationAttachment(
        application=application,
        original_name=(upload.name or "")[-200:],
        content_type=content_type,
        size=upload.size,
        uploaded_by=by,
    )
    attachment.file.save(upload.name, upload, save=False)
    attachment.save()
    _event(application, action=Action.ATTACH, by=by, comment=attachment.original_name)
    return attachment


@transaction.atomic
def application_attachment_delete(*, attachment: ApplicationAttachment, by) -> None:
    """Delete an attachment of a draft (the file too).

    Raises: PermissionDenied if ``by`` lacks subsidies.change_application or the person's town;
    ValidationError if the application is not a draft."""
    application = attachment.application
    require(by, "subsidies.change_application", town_id=application.person.town_id)
    if application.status != Status.DRAFT:
        raise ValidationError(_("只有草稿可以删除附件"))
    storage, name = attachment.file.storage, attachment.file.name
    attachment.delete()
    transaction.on_commit(lambda: storage.delete(name))


@transaction.atomic
def application_submit(*, application: Application, by) -> Application:
    """Check eligibility and send the draft to 乡镇审核; refuse with the reasons otherwise.

    Raises: PermissionDenied if ``by`` lacks subsidies.submit_application or the person's town;
    ValidationError with the eligibility reasons, or if it is not a draft."""
    require(by, "subsidies.submit_application", town_id=application.person.town_id)
    application = _locked(application)
    person = application.person
    if application.status != Status.DRAFT:
        application.transition_to(Status.TOWN_REVIEW)  # raises the clear message
    reasons = eligibility_check(
        person=person, type=application.type, exclude_application=application
    )
    if reasons:
        raise ValidationError(reasons)
    application.tier = tier_for(type=application.type, level=person.level)
    application.eligibility_reasons = []
    application.submitted_at = timezone.now()
    fields = ["tier", "eligibility_reasons", "submitted_at"]
    if application.created_by_id is None:  # an online application: the caseworker takes it
        application.created_by = by
        fields.append("created_by")
    _move(application, to=Status.TOWN_REVIEW, action=Action.SUBMIT, by=by, fields=fields)
    notice_application_received(application)
    return application


@transaction.atomic
def application_town_approve(*, application: Application, by, comment: str = "") -> Application:
    """乡镇审核 passed: the application goes to 区残联审定, with the town head's comment.

    Raises: PermissionDenied if ``by`` lacks subsidies.town_review_application or the person's
    town; ValidationError if it is not at 乡镇审核."""
    require(by, "subsidies.town_review_application", town_id=application.person.town_id)
    application = _locked(application)
    application.town_reviewed_by, application.town_reviewed_at = by, timezone.now()
    return _move(
        application,
        to=Status.DISTRICT_REVIEW,
        action=Action.TOWN_APPROVE,
        by=by,
        comment=comment,
        fields=["town_reviewed_by", "town_reviewed_at"],
    )


@transaction.atomic
def application_return(*, application: Application, by, comment: str) -> Application:
    """Town head sends the application back to the caseworker's drafts, with a comment.

    Raises: PermissionDenied if ``by`` lacks subsidies.town_review_application or the person's
    town; ValidationError if the comment is empty or it is not at 乡镇审核."""
    require(by, "subsidies.town_review_application", town_id=application.person.town_id)
    if not (comment or "").strip():
        raise ValidationError({"comment": _("退回必须填写意见")})
    application = _locked(application)
    _move(application, to=Status.DRAFT, action=Action.RETURN, by=by, comment=comment)
    notice_application_returned(
        application, event_id=application.last_event.pk, comment=comment.strip()
    )
    return application


@transaction.atomic
def application_approve(
    *, application: Application, by, comment: str = "", approved_from: date | None = None
) -> Entitlement:
    """Approve and open the entitlement from next month (or an earlier approved month).

    Raises: PermissionDenied if ``by`` lacks subsidies.district_review_application;
    ValidationError if ``approved_from`` (a month) is after next month, the person is no longer
    eligible, or it is not at 区残联审定."""
    require(by, "subsidies.district_review_application")
    application = _locked(application)
    if application.status != Status.DISTRICT_REVIEW:
        application.transition_to(Status.APPROVED)
    next_month = month_add(month_start(timezone.localdate()), 1)
    start = month_start(approved_from) if approved_from else next_month
    if start > next_month:
        raise ValidationError(
            {"approved_from": _("起始月份不能晚于审批次月（%(m)s）") % {"m": f"{next_month:%Y-%m}"}}
        )
    reasons = eligibility_check(
        person=application.person, type=application.type, exclude_application=application
    )
    if reasons:
        raise ValidationError([_("已不符合条件，不能批准：")] + reasons)
    application.decided_by, application.decided_at = by, timezone.now()
    application.decision_comment, application.approved_from = comment, start
    _move(
        application,
        to=Status.APPROVED,
        action=Action.APPROVE,
        by=by,
        comment=comment,
        fields=["decided_by", "decided_at", "decision_comment", "approved_from"],
    )
    notice_application_approved(application)
    return entitlement_open(
        person=application.person,
        type=application.type,
        tier=application.tier,
        start_month=start,
        application=application,
        by=by,
    )


@transaction.atomic
def application_reject(*, application: Application, by, comment: str) -> Application:
    """区残联 rejects the application; the reason (``comment``) is required and kept.

    Raises: PermissionDenied if ``by`` lacks subsidies.district_review_application;
    ValidationError if the reason is empty or it is not at 区残联审定."""
    require(by, "subsidies.district_review_application")
    if not (comment or "").strip():
        raise ValidationError({"comment": _("驳回必须填写理由")})
    application = _locked(application)
    application.decided_by, application.decided_at = by, timezone.now()
    application.decision_comment = comment
    _move(
        application,
        to=Status.REJECTED,
        action=Action.REJECT,
        by=by,
        comment=comment,
        fields=["decided_by", "decided_at", "decision_comment"],
    )
    notice_application_rejected(application)
    return application
