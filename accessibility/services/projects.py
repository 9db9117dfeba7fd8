"""Retrofit projects: application and the status pipeline up to construction."""

from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from dfed.core.history import save_with_history
from dfed.core.permissions import require
from dfed.people.models import Person

from ..conf import eligible_households
from ..models import (
    ProjectItem,
    ProjectStep,
    RetrofitBudget,
    RetrofitProject,
)
from ..selectors import budget_position

Status = RetrofitProject.Status
Action = ProjectStep.Action
PHOTO_TYPES = ("image/jpeg", "image/png")

HANDLE = "accessibility.handle_retrofitproject"
APPROVE = "accessibility.approve_retrofitproject"
OVERRIDE = "accessibility.override_retrofitbudget"


def _not_future(value: date | None, field: str, label: str) -> None:
    if value and value > timezone.localdate():
        raise ValidationError({field: _("%(label)s不能晚于今天") % {"label": label}})


def _lock(project: RetrofitProject) -> RetrofitProject:
    return (
        RetrofitProject.objects.select_for_update()
        .select_related("town", "person")
        .get(pk=project.pk)
    )


def _require_stage(project: RetrofitProject, stage: str, to: str) -> None:
    """Raise the transition error unless the project waits in ``stage``."""
    if project.status != stage:
        raise ValidationError(
            _("当前状态为“%(cur)s”，不能转为“%(new)s”")
            % {"cur": Status(project.status).label, "new": Status(to).label},
            code="bad_transition",
        )


def _move(project, to: str, *, by, action: str, comment: str = "", fields=()) -> RetrofitProject:
    """Change status, save ``fields`` too, and write the step."""
    before = project.status
    project.transition_to(to)
    save_with_history(
        project,
        by=by,
        reason=ProjectStep.Action(action).label,
        update_fields=["status", "updated_at", *fields],
    )
    ProjectStep.objects.create(
        project=project, action=action, from_status=before, to_status=to, by=by, comment=comment
    )
    return project


# --- Application -------------------------------------------------------------------------


def project_check_eligibility(*, person: Person, year: int) -> None:
    """Raise a ValidationError with every reason the household may not apply this year.

    Raises: ValidationError (code ``not_eligible``) listing every reason."""
    reasons = []
    if person.status != Person.Status.ACTIVE:
        reasons.append(
            _("%(name)s 当前为“%(status)s”，只有在册残疾人可以申请")
            % {"name": person.name, "status": person.get_status_display()}
        )
    allowed = eligible_households()
    if person.household not in allowed:
        labels = "、".join(str(Person.Household(h).label) for h in allowed)
        reasons.append(
            _("%(name)s 家庭类型为“%(type)s”，无障碍改造只面向%(allowed)s家庭")
            % {"name": person.name, "type": person.get_household_display(), "allowed": labels}
        )
    existing = RetrofitProject.objects.filter(person=person, year=year).first()
    if existing is not None:
        reasons.append(
            _(
                "%(name)s 家庭 %(year)s 年已有改造项目（编号 %(pk)s，状态：%(status)s），"
                "每户每年只能申请一次"
            )
            % {
                "name": person.name,
                "year": year,
                "pk": existing.pk,
                "status": existing.get_status_display(),
            }
        )
    if reasons:
        raise ValidationError(reasons, code="not_eligible")


@transaction.atomic
def project_apply(*, person: Person, year: int, by, needs: str = "") -> RetrofitProject:
    """Lodge an application for a household's home retrofit.

    Raises: PermissionDenied if ``by`` lacks accessibility.add_retrofitproject or the person's
    town; ValidationError with every eligibility reason (see ``project_check_eligibility``)."""
    person = Person.objects.select_for_update().select_related("town").get(pk=person.pk)
    require(by, "accessibility.add_retrofitproject", town_id=person.town_id)
    project_check_eligibility(person=person, year=year)
    project = RetrofitProject(
        person=person, year=year, town=person.town, needs=needs.strip(), applied_by=by
    )
    project.full_clean()
    save_with_history(project, by=by, reason=_("提交申请"))
    ProjectStep.objects.create(
        project=project, action=Action.APPLY, to_status=Status.APPLIED, by=by, comment=needs
    )
    return project


@transaction.atomic
def project_intake(*, project: RetrofitProject, by, comment: str = "") -> RetrofitProject:
    """受理: the town takes the application in and schedules the home assessment.

    Raises: PermissionDenied if ``by`` lacks accessibility.handle_retrofitproject or the town;
    ValidationError if the project is not 申请."""
    project = _lock(project)
    require(by, HANDLE, town_id=project.town_id)
    _require_stage(project, Status.APPLIED, Status.ASSESSMENT)
    return _move(project, Status.ASSESSMENT, by=by, action=Action.INTAKE, comment=comment)


# --- 入户评估 -----------------------------------------------------------------------------


@transaction.atomic
def project_assess(
    *,
    project: RetrofitProject,
    by,
    assessor: str,
    assessed_on: date,
    findings: str,
    items: list[dict],
) -> RetrofitProject:
    """Record the home assessment with catalogue items; the estimate is their sum.

    ``items``: dicts with ``item`` (RetrofitItem), ``quantity``, ``unit_price`` and optionally
    ``over_cap_reason``.

    Raises: PermissionDenied if ``by`` lacks accessibility.handle_retrofitproject or the town;
    ValidationError if the assessor, date or items are missing, an item repeats, a price is over
    its cap without a reason, or the project is not at 入户评估.
    """
    project = _lock(project)
    require(by, HANDLE, town_id=project.town_id)
    _require_stage(project, Status.ASSESSMENT, Status.APPROVAL)
    if not (assessor or "").strip():
        raise ValidationError({"assessor": _("请填写评估人")})
    if assessed_on is None:
        raise ValidationError({"assessed_on": _("请填写评估日期")})
    _not_future(assessed_on, "assessed_on", _("评估日期"))
    if not items:
        raise ValidationError(_("请至少选择一项改造内容"))
    chosen = [row["item"].pk for row in items]
    if len(set(chosen)) != len(chosen):
        raise ValidationError(_("同一改造内容只能填写一行，请合并数量"))
    rows, errors = [], []
    for row in items:
        line = ProjectItem(
            project=project,
            item=row["item"],
            quantity=row["quantity"],
            unit_price=row["unit_price"],
            over_cap_reason=(row.get("over_cap_reason") or "").strip(),
        )
        try:
            line.full_clean(validate_constraints=False)
        except ValidationError as exc:
            errors.extend(
                m if row["item"].name in m else f"{row['item'].name}：{m}" for m in exc.messages
            )
        rows.append(line)
    if errors:
        raise ValidationError(errors)
    project.items.all().delete()
    ProjectItem.objects.bulk_create(rows)
    project.assessor, project.assessed_on = assessor.strip(), assessed_on
    project.findings = findings.strip()
    project.estimate = sum((line.estimate for line in rows), Decimal("0.00"))
    return _move(
        project,
        Status.APPROVAL,
        by=by,
        action=Action.ASSESS,
        comment=_("估价 %(amount)s 元。%(findings)s")
        % {"amount": project.estimate, "findings": project.findings},
        fields=["assessor", "assessed_on", "findings", "estimate"],
    )


# --- 退回 and reopening --------------------------------------------------------------------


@transaction.atomic
def project_return(*, project: RetrofitProject, by, comment: str) -> RetrofitProject:
    """退回 from 入户评估 (the town), 审批 or 验收 (the district); a comment is required.

    Raises: PermissionDenied if ``by`` lacks the stage's permission (handle at 入户评估, approve
    later) or the town; ValidationError if the stage cannot be returned or the comment is empty."""
    project = _lock(project)
    if project.status not in RetrofitProject.REOPEN_TO:
        raise ValidationError(
            _("“%(cur)s”环节不能退回") % {"cur": Status(project.status).label},
            code="bad_transition",
        )
    require(by, HANDLE if project.status == Status.ASSESSMENT else APPROVE, town_id=project.town_id)
    if not (comment or "").strip():
        raise ValidationError({"comment": _("退回必须填写意见")})
    project.returned_from = project.status
    return _move(
        project,
        Status.RETURNED,
        by=by,
        action=Action.RETURN,
        comment=comment.strip(),
        fields=["returned_from"],
    )


@transaction.atomic
def project_reopen(*, project: RetrofitProject, by, comment: str = "") -> RetrofitProject:
    """Resubmit a returned project to the stage before the one that returned it.

    Raises: PermissionDenied if ``by`` lacks accessibility.handle_retrofitproject or the town;
    ValidationError if the project was not returned."""
    project = _lock(project)
    require(by, HANDLE, town_id=project.town_id)
    if project.status != Status.RETURNED:
        raise ValidationError(_("只有被退回的项目可以重新提交"))
    target = RetrofitProject.REOPEN_TO[Status(project.returned_from)]
    project.returned_from = ""
    return _move(
        project, target, by=by, action=Action.REOPEN, comment=comment, fields=["returned_from"]
    )


# --- 审批 --------------------------------------------------------------------------------


@transaction.atomic
def project_approve(
    *, project: RetrofitProject, by, override_reason: str = "", comment: str = ""
) -> RetrofitProject:
    """Approve the estimate against the town's remaining budget for the year.

    Raises: PermissionDenied if ``by`` lacks accessibility.approve_retrofitproject or the town;
    ValidationError (code ``over_budget``) if the estimate (元) exceeds the town's remaining
    budget and no override reason is given, or if the project is not at 审批."""
    project = _lock(project)
    require(by, APPROVE, town_id=project.town_id)
    _require_stage(project, Status.APPROVAL, Status.CONSTRUCTION)
    # Serialise approvals of one town-year on its budget row.
    list(RetrofitBudget.objects.select_for_update().filter(town=project.town, year=project.year))
    position = budget_position(town=project.town, year=project.year, exclude_pk=project.pk)
    override_reason = (override_reason or "").strip()
    note = comment.strip()
    if project.estimate > position.remaining:
        message = _(
            "%(town)s %(year)s 年剩余预算 %(remaining)s 元（预算 %(budget)s 元，已核定 "
            "%(committed)s 元），不足以支付本项目估价 %(estimate)s 元"
        ) % {
            "town": project.town.name,
            "year": project.year,
            "remaining": position.remaining,
            "budget": position.budget if position.budget is not None else _("未设"),
            "committed": position.committed,
            "estimate": project.estimate,
        }
        if not by.has_perm(OVERRIDE):
            raise ValidationError(message, code="over_budget")
        if not override_reason:
            raise ValidationError(
                {"override_reason": message + _("；如确需审批，请填写超预算审批理由")},
                code="over_budget",
            )
        project.budget_override_reason = override_reason
        note = _("超预算审批：%(reason)s") % {"reason": override_reason} + (
            f"；{note}" if note else ""
        )
    project.approved_by, project.approved_at = by, timezone.now()
    project.approved_amount = project.estimate
    return _move(
        project,
        Status.CONSTRUCTION,
        by=by,
        action=Action.APPROVE,
        comment=note,
        fields=["approved_by", "approved_at", "approved_amount", "budget_override_reason"],
    )


# --- 施工 --------------------------------------------------------------------------------


@transaction.atomic
def project_record_construction(
    *,
    project: RetrofitProject,
    by,
    contractor: str,
    start: date,
    finish: date,
    actual_costs: dict[int, Decimal],
) -> RetrofitProject:
    """Record the contractor, dates and each item's actual cost; the project goes to 验收.

    Raises: PermissionDenied if ``by`` lacks accessibility.handle_retrofitproject or the town;
    ValidationError if the contractor or dates are missing or reversed, an item's actual cost
    (元) is missing or negative, or the project is not at 施工."""
    project = _lock(project)
    require(by, HANDLE, town_id=project.town_id)
    _require_stage(project, Status.CONSTRUCTION, Status.ACCEPTANCE)
    if not (contractor or "").strip():
        raise ValidationError({"contractor": _("请填写施工单位")})
    if start is None or finish is None:
        raise ValidationError(_("请填写开工和完工日期"))
    if finish < start:
        raise ValidationError({"construction_finish": _("完工日期不能早于开工日期")})
    _not_future(finish, "construction_finish", _("完工日期"))
    lines = list(project.items.select_related("item"))
    missing = [line.item.name for line in lines if actual_costs.get(line.pk) is None]
    if missing:
        raise ValidationError(
            _("请填写以下改造内容的实际费用：%(items)s") % {"items": "、".join(missing)}
        )
    for line in lines:
        cost = Decimal(actual_costs[line.pk])
        if cost < 0:
            raise ValidationError(_("实际费用不能为负数"))
        line.actual_cost = cost
    ProjectItem.objects.bulk_update(lines, ["actual_cost"])
    project.contractor = contractor.strip()
    project.construction_start, project.construction_finish = start, finish
    project.actual_total = sum((line.actual_cost for line in lines), Decimal("0.00"))
    return _move(
        project,
        Status.ACCEPTANCE,
        by=by,
        action=Action.CONSTRUCT,
        comment=_("%(contractor)s，实际费用 %(amount)s 元")
        % {"contractor": project.contractor, "amount": project.actual_total},
        fields=["contractor", "construction_start", "construction_finish", "actual_total"],
    )
