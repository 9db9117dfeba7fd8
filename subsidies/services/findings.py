"""Findings of the data comparison and what caseworkers do with them.

Invariants: one finding per (rule, ID number, subsidy type) (``comparison``); acting goes
through the existing services (``person_set_status`` for deaths and moves, so every app hears
the registry's event; ``entitlement_end`` otherwise; ``application_create``; ``person_update``)
and records who, when and what on the finding, whose history keeps every act; a stop that turns
paid months into recovery items needs a user holding ``subsidies.confirm_finding`` (区残联
审核人) — anyone else only proposes it; an acted or dismissed finding is never reopened; an
invitation SMS goes out at most once per person and subsidy (the outbox's idempotency key).
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from dfed.core.months import month_start
from dfed.notifications.services import sms_message_queue
from dfed.people.services import person_set_status, person_update

from ..comparison import compare_run
from ..locks import advisory_xact_lock
from ..models import Entitlement, Finding, InvitationTemplate, subsidy_type_short
from ._common import require, save_with_history
from .applications import application_create
from .entitlements import entitlement_end

COMPARE_LOCK = 0x53554643  # "SUFC"
Rule, Status = Finding.Rule, Finding.Status


@transaction.atomic
def finding_compare(*, today=None) -> dict[str, int]:
    """Compare the registry and subsidies with the current list rows (set-based, one statement
    per rule) and record the findings; returns the rows touched per rule and ``resolved``.
    Runs one at a time (an advisory lock on PostgreSQL)."""
    advisory_xact_lock(COMPARE_LOCK)
    if connection.vendor == "postgresql":
        # Compiling these INSERT … SELECTs costs more than it saves (as in the roster import).
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL jit = off")
    today = today or timezone.localdate()
    return compare_run(this_month=month_start(today), today=today, now=timezone.now())


def _locked(finding: Finding) -> Finding:
    finding = (
        Finding.objects.select_for_update(of=("self",))
        .select_related("person", "entitlement")
        .get(pk=finding.pk)
    )
    if finding.status != Status.OPEN:
        raise ValidationError(_("该发现已%(s)s，不能再处理") % {"s": finding.get_status_display()})
    return finding


def _close(finding: Finding, *, by, status: str, note: str, reason: str, **links) -> Finding:
    finding.status = status
    finding.acted_by, finding.acted_at = by, timezone.now()
    finding.action_note = note[:200]
    for name, value in links.items():
        setattr(finding, name, value)
    save_with_history(finding, by=by, reason=reason)
    return finding


def finding_needs_confirmation(finding: Finding) -> bool:
    """A stop that would turn paid months into recovery items (应追回)."""
    return finding.kind == Finding.Kind.STOP and finding.months_overpaid > 0


@transaction.atomic
def finding_stop(*, finding: Finding, by, note: str = "") -> Finding:
    """Act on a stop: end the entitlement paid through ``end_month`` (the month of the event),
    later paid months becoming recovery items. Deaths and moves mark the person 死亡/迁出
    (``person_set_status``), which ends every subsidy. Without ``subsidies.confirm_finding`` a
    stop with recovery (or without ``change_entitlement`` any stop) is only proposed for a
    reviewer to confirm. Raises ``ValidationError`` (not open, not a stop) or
    ``PermissionDenied``."""
    require(by, "subsidies.change_finding", town_id=finding.town_id)
    finding = _locked(finding)
    if finding.kind != Finding.Kind.STOP:
        raise ValidationError(_("只有停发类发现可以停发"))
    may_end = by.has_perm("subsidies.change_entitlement")
    if not may_end or (finding_needs_confirmation(finding) and not by.has_perm(
        "subsidies.confirm_finding"
    )):  # fmt: skip
        if finding.proposed_by_id:
            raise ValidationError(_("已提议停发，等待区残联审核人确认"))
        finding.proposed_by, finding.proposed_at = by, timezone.now()
        finding.action_note = note[:200]
        save_with_history(finding, by=by, reason=_("提议停发，待确认"))
        return finding
    person = finding.person
    evidence = _("比对发现#%(id)d %(rule)s") % {
        "id": finding.pk,
        "rule": finding.get_rule_display(),
    }
    if finding.rule in (Rule.DIED, Rule.MOVED_OUT) and person.status == "active":
        status = "deceased" if finding.rule == Rule.DIED else "moved"
        person_set_status(
            person=person, status=status, on=finding.event_date, by=by, reason=evidence
        )
    else:
        entitlement = Entitlement.objects.get(pk=finding.entitlement_id)
        if entitlement.state != Entitlement.State.ENDED:
            reason = {
                Rule.DIED: Entitlement.EndReason.DEATH,
                Rule.MOVED_OUT: Entitlement.EndReason.MOVED,
            }.get(finding.rule, Entitlement.EndReason.INELIGIBLE)
            entitlement_end(
                entitlement=entitlement,
                by=by,
                reason=reason,
                end_month=finding.end_month,
                note=f"{evidence} {note}".strip()[:200],
            )
    _close(finding, by=by, status=Status.ACTED, note=note, reason=_("已停发"))
    # The person's other stops whose entitlements are now ended are done too.
    for other in Finding.objects.select_for_update(of=("self",)).filter(
        person_id=finding.person_id,
        kind=Finding.Kind.STOP,
        status=Status.OPEN,
        entitlement__state=Entitlement.State.ENDED,
    ):
        _close(other, by=by, status=Status.ACTED, note=evidence, reason=_("已停发"))
    return finding


@transaction.atomic
def finding_start(*, finding: Finding, by, note: str = "") -> Finding:
    """Act on a start (主动发现): a 草稿 application for the person, filled from the registry
    and the list (``application_create``, which checks eligibility); for 生活补贴 the registry's
    household type first takes the 民政 list's (``person_update``). Raises
    ``ValidationError`` with the reasons, or ``PermissionDenied``."""
    require(by, "subsidies.change_finding", town_id=finding.town_id)
    finding = _locked(finding)
    if finding.rule not in (Rule.START_LIVING, Rule.START_CARE):
        raise ValidationError(_("未登记的持证人请先登记，再比对后申请"))
    reason = _("主动发现：%(rule)s（%(list)s第%(row)s行）") % {
        "rule": finding.get_rule_display(),
        "list": finding.source.filename if finding.source_id else _("残疾人登记"),
        "row": finding.source_row or "-",
    }
    person = finding.person
    if finding.rule == Rule.START_LIVING and person.household != finding.list_value:
        # 民政's list is the proof of 低保: the registry takes it (and its correction is done).
        person = person_update(person=person, by=by, household=finding.list_value)
        for other in Finding.objects.select_for_update(of=("self",)).filter(
            person_id=person.pk, rule=Rule.HOUSEHOLD, status=Status.OPEN
        ):
            _close(other, by=by, status=Status.ACTED, note=reason, reason=_("已更正登记信息"))
    application = application_create(
        person=person, type=finding.type, by=by, reason=f"{reason} {note}".strip()
    )
    return _close(
        finding,
        by=by,
        status=Status.ACTED,
        note=note,
        reason=_("已建申请草稿"),
        application=application,
    )


CORRECTED_FIELDS = {
    Rule.NAME: "name",
    Rule.HOUSEHOLD: "household",
    Rule.CATEGORY: "category",
    Rule.LEVEL: "level",
}


@transaction.atomic
def finding_correct(*, finding: Finding, by, note: str = "") -> Finding:
    """Act on a correction: the registry takes the list's value (``person_update``; a
    certificate number follows a new category or level). Raises ``ValidationError`` or
    ``PermissionDenied``."""
    require(by, "subsidies.change_finding", town_id=finding.town_id)
    if not by.has_perm("people.change_person"):
        raise PermissionDenied(_("您没有权限执行此操作"))
    finding = _locked(finding)
    field = CORRECTED_FIELDS.get(finding.rule)
    if field is None:
        raise ValidationError(_("该发现不是信息更正"))
    person = finding.person
    value = finding.list_value
    fields = {field: int(value) if field in ("category", "level") else value}
    cert = person.certificate_number
    if field in ("category", "level") and len(cert) == 20:
        category = fields.get("category", person.category)
        level = fields.get("level", person.level)
        fields["certificate_number"] = f"{cert[:18]}{category}{level}"
    person_update(person=person, by=by, **fields)
    return _close(finding, by=by, status=Status.ACTED, note=note, reason=_("已更正登记信息"))


@transaction.atomic
def finding_dismiss(*, finding: Finding, by, reason: str) -> Finding:
    """Close a finding that needs nothing done (the reason is required and kept).

    Raises: PermissionDenied if ``by`` lacks subsidies.change_finding or the finding's town;
    ValidationError if the reason is empty or the finding is not open."""
    require(by, "subsidies.change_finding", town_id=finding.town_id)
    if not (reason or "").strip():
        raise ValidationError({"reason": _("请填写排除原因")})
    finding = _locked(finding)
    return _close(finding, by=by, status=Status.DISMISSED, note=reason.strip(), reason=_("排除"))


@transaction.atomic
def invitation_template_update(*, type: str, body: str, by) -> InvitationTemplate:  # noqa: A002
    """Set the invitation SMS text of a subsidy (``{name}``, ``{subsidy}``, ``{town}``).

    Raises: PermissionDenied if ``by`` lacks subsidies.change_invitationtemplate;
    ValidationError if the text has an unknown placeholder or is too long."""
    require(by, "subsidies.change_invitationtemplate")
    template = InvitationTemplate.objects.select_for_update().filter(type=type).first()
    template = template or InvitationTemplate(type=type)
    template.body, template.updated_by = body.strip(), by
    template.full_clean()
    save_with_history(template, by=by, reason=_("修改邀请短信模板"))
    return template


def invitation_text(type: str) -> str:  # noqa: A002
    """The current invitation text of a subsidy (the default until someone edits it)."""
    template = InvitationTemplate.objects.filter(type=type).first()
    return template.body if template else InvitationTemplate.DEFAULT


def invitation_body(*, finding: Finding, template: str | None = None) -> str:
    person = finding.person
    return (template or invitation_text(finding.type)).format(
        name=person.name,
        subsidy=subsidy_type_short(finding.type),
        town=person.town.name if person.town_id else "",
    )


@transaction.atomic
def finding_invite(*, finding: Finding, by, template: str | None = None) -> Finding:
    """Text the person (or the guardian) an invitation to apply, through the outbox, at most
    once per person and subsidy; the message is linked to the finding, which stays open until
    the application is drafted. Raises ``ValidationError`` (no mobile, not a start)."""
    require(by, "subsidies.change_finding", town_id=finding.town_id)
    finding = _locked(finding)
    if finding.rule not in (Rule.START_LIVING, Rule.START_CARE):
        raise ValidationError(_("只有主动发现的补贴对象可以短信邀请"))
    person = finding.person
    phone = next(
        (p for p in (person.phone, person.guardian_phone) if p and len(p) == 11 and p[0] == "1"),
        "",
    )
    if not phone:
        raise ValidationError(_("本人和监护人都没有手机号，无法发送邀请短信"))
    message = sms_message_queue(
        phone=phone,
        body=invitation_body(finding=finding, template=template),
        purpose="subsidy_invitation",
        key=f"subsidy-invite-{person.pk}-{finding.type}",
        campaign=finding,
    )
    finding.invitation = message
    save_with_history(finding, by=by, reason=_("已发送邀请短信"))
    return finding
