"""Retrofit projects: application, the status pipeline, photos, catalogue and budgets."""

from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from dfed.core.files import validate_upload
from dfed.people.models import Area, Person

from ..conf import eligible_households, photo_max_bytes
from ..images import make_thumbnail
from ..models import (
    Photo,
    ProjectItem,
    ProjectStep,
    RetrofitBudget,
    RetrofitItem,
    RetrofitProject,
)
from ..selectors import budget_position
from .common import check_actor

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
    project._history_user = by
    project._change_reason = ProjectStep.Action(action).label
    project.save(update_fields=["status", "updated_at", *fields])
    ProjectStep.objects.create(
        project=project, action=action, from_status=before, to_status=to, by=by, comment=comment
    )
    return project


# --- Application -------------------------------------------------------------------------


def project_check_eligibility(*, person: Person, year: int) -> None:
    """Raise a ValidationError with every reason the household may not apply this year."""
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
    """Lodge an application for a household's home retrofit."""
    person = Person.objects.select_for_update().select_related("town").get(pk=person.pk)
    check_actor(by, "accessibility.add_retrofitproject", person.town)
    project_check_eligibility(person=person, year=year)
    project = RetrofitProject(
        person=person, year=year, town=person.town, needs=needs.strip(), applied_by=by
    )
    project.full_clean()
    project._history_user = by
    project._change_reason = _("提交申请")
    project.save()
    ProjectStep.objects.create(
        project=project, action=Action.APPLY, to_status=Status.APPLIED, by=by, comment=needs
    )
    return project


@transaction.atomic
def project_intake(*, project: RetrofitProject, by, comment: str = "") -> RetrofitProject:
    """受理: the town takes the application in and schedules the home assessment."""
    project = _lock(project)
    check_actor(by, HANDLE, project.town)
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
    """
    project = _lock(project)
    check_actor(by, HANDLE, project.town)
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
    """退回 from 入户评估 (the town), 审批 or 验收 (the district); a comment is required."""
    project = _lock(project)
    if project.status not in RetrofitProject.REOPEN_TO:
        raise ValidationError(
            _("“%(cur)s”环节不能退回") % {"cur": Status(project.status).label},
            code="bad_transition",
        )
    check_actor(by, HANDLE if project.status == Status.ASSESSMENT else APPROVE, project.town)
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
    """Resubmit a returned project to the stage before the one that returned it."""
    project = _lock(project)
    check_actor(by, HANDLE, project.town)
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
    """Approve the estimate against the town's remaining budget for the year."""
    project = _lock(project)
    check_actor(by, APPROVE, project.town)
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
    """Record the contractor, dates and each item's actual cost; the project goes to 验收."""
    project = _lock(project)
    check_actor(by, HANDLE, project.town)
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


# --- Photos and 验收 -----------------------------------------------------------------------


def _validate_photo(upload) -> tuple[str, ContentFile]:
    """Type, size and magic bytes, then a real decode; returns the content type and thumbnail."""
    content_type = validate_upload(upload, allowed=PHOTO_TYPES, max_bytes=photo_max_bytes())
    return content_type, make_thumbnail(upload, content_type)


@transaction.atomic
def photo_add(*, project: RetrofitProject, by, kind: str, upload, caption: str = "") -> Photo:
    """Store a JPG/PNG before/after photo of a project that is not yet completed."""
    check_actor(by, "accessibility.add_photo", project.town)
    if project.status == Status.COMPLETED:
        raise ValidationError(_("项目已完成，不能再上传照片"))
    if project.status == Status.TERMINATED:
        raise ValidationError(_("项目已终止，不能再上传照片"))
    if kind not in Photo.Kind.values:
        raise ValidationError({"kind": _("请选择照片类型")})
    content_type, thumbnail = _validate_photo(upload)
    return Photo.objects.create(
        project=project,
        kind=kind,
        file=upload,
        thumbnail=thumbnail,  # saved after ``file``, next to it
        content_type=content_type,
        caption=caption.strip(),
        uploaded_by=by,
    )


def photo_thumbnail_refresh(*, photo: Photo) -> bool:
    """(Re)build a stored photo's thumbnail from its original; False when the file is missing."""
    if not photo.file or not photo.file.storage.exists(photo.file.name):
        return False
    with photo.file.open("rb") as original:
        thumbnail = make_thumbnail(original, photo.content_type)
    old = photo.thumbnail.name if photo.thumbnail else ""
    photo.thumbnail.save(thumbnail.name, thumbnail, save=False)
    Photo.objects.filter(pk=photo.pk).update(thumbnail=photo.thumbnail.name)
    if old and old != photo.thumbnail.name:
        photo.thumbnail.storage.delete(old)
    return True


@transaction.atomic
def project_accept(
    *,
    project: RetrofitProject,
    by,
    items_done: bool,
    family_satisfied: bool,
    signed_by: str,
    accepted_on: date,
    note: str = "",
    photos: list[tuple[str, object]] = (),
) -> RetrofitProject:
    """验收: sign off the work with photos; the project is completed."""
    project = _lock(project)
    check_actor(by, APPROVE, project.town)
    _require_stage(project, Status.ACCEPTANCE, Status.COMPLETED)
    if not (items_done and family_satisfied):
        raise ValidationError(_("改造内容未全部完成或家庭不满意的，请退回整改，不能验收通过"))
    if not (signed_by or "").strip():
        raise ValidationError({"signed_by": _("请填写验收签字人")})
    if accepted_on is None:
        raise ValidationError({"accepted_on": _("请填写验收日期")})
    _not_future(accepted_on, "accepted_on", _("验收日期"))
    if project.construction_finish and accepted_on < project.construction_finish:
        raise ValidationError({"accepted_on": _("验收日期不能早于完工日期")})
    for _kind, upload in photos:
        _validate_photo(upload)
    has_after = project.photos.filter(kind=Photo.Kind.AFTER).exists()
    if not has_after and not any(kind == Photo.Kind.AFTER for kind, _u in photos):
        raise ValidationError(_("验收须上传至少一张改造后照片"))
    for kind, upload in photos:
        photo_add(project=project, by=by, kind=kind, upload=upload)
    project.items_done, project.family_satisfied = True, True
    project.signed_by, project.accepted_on = signed_by.strip(), accepted_on
    project.acceptance_note, project.completed_at = note.strip(), timezone.now()
    return _move(
        project,
        Status.COMPLETED,
        by=by,
        action=Action.ACCEPT,
        comment=project.acceptance_note,
        fields=[
            "items_done",
            "family_satisfied",
            "signed_by",
            "accepted_on",
            "acceptance_note",
            "completed_at",
        ],
    )


# --- The household leaves the registry (死亡/迁出) -----------------------------------------------


def _left_registry_note(person: Person, status: str, on: date | None) -> str:
    return _("%(name)s 于 %(on)s 登记为“%(status)s”") % {
        "name": person.name,
        "on": on.isoformat() if on else _("（日期未填）"),
        "status": Person.Status(status).label,
    }


@transaction.atomic
def project_close_for_person(
    *, person: Person, status: str, on: date | None, by=None
) -> tuple[list[RetrofitProject], list[RetrofitProject]]:
    """The household's person left the registry: end what has not reached 施工, flag the rest.

    Open projects still before 施工 (申请/入户评估/审批, or returned from those) become 已终止 with
    the reason; projects in 施工 or 验收 (or returned from 验收) stay open — money is committed
    and work may be done — and get a timeline entry so the reviewer decides. Both are recorded
    as done by ``by``, the user who changed the person's status; no accessibility permission is
    needed, this is a consequence of the registry change. Returns (terminated, flagged).
    """
    note = _left_registry_note(person, status, on)
    terminated, flagged = [], []
    projects = (
        RetrofitProject.objects.select_for_update()
        .filter(person=person)
        .exclude(status__in=RetrofitProject.CLOSED)
        .order_by("year", "pk")
    )
    for project in projects:
        if project.before_construction:
            project.closed_reason = _("%(note)s，尚未施工的改造项目终止") % {"note": note}
            project.closed_at = timezone.now()
            project.returned_from = ""
            terminated.append(
                _move(
                    project,
                    Status.TERMINATED,
                    by=by,
                    action=Action.TERMINATE,
                    comment=project.closed_reason,
                    fields=["closed_reason", "closed_at", "returned_from"],
                )
            )
        else:
            ProjectStep.objects.create(
                project=project,
                action=Action.REGISTRY_FLAG,
                from_status=project.status,
                to_status=project.status,
                by=by,
                comment=_(
                    "%(note)s。项目已进入%(stage)s，未自动终止，请审核人核实后决定是否继续验收"
                )
                % {"note": note, "stage": Status(project.status).label},
            )
            flagged.append(project)
    return terminated, flagged


def on_person_left_registry(sender, *, person, status, on, by=None, **kwargs) -> None:
    """Receiver of ``dfed.people.signals.person_left_registry`` (inside its transaction)."""
    project_close_for_person(person=person, status=status, on=on, by=by)


# --- Catalogue and budgets (admin and demo) -------------------------------------------------


@transaction.atomic
def retrofit_budget_set(*, town: Area, year: int, amount: Decimal, by=None) -> RetrofitBudget:
    budget = RetrofitBudget.objects.filter(town=town, year=year).first() or RetrofitBudget(
        town=town, year=year
    )
    budget.amount = amount
    budget.full_clean()
    budget._history_user = by
    budget.save()
    return budget


def retrofit_item_copy_year(*, source: int, target: int) -> int:
    """Copy a year's catalogue to another year (items already there are kept); returns count."""
    have = set(RetrofitItem.objects.filter(year=target).values_list("name", flat=True))
    new = [
        RetrofitItem(
            year=target,
            name=i.name,
            category=i.category,
            unit=i.unit,
            price_cap=i.price_cap,
            note=i.note,
        )
        for i in RetrofitItem.objects.filter(year=source, active=True)
        if i.name not in have
    ]
    RetrofitItem.objects.bulk_create(new)
    return len(new)
