"""Writes for 残疾人之家.

Invariants: a home's town is its community's town, and a home closes only without members;
one assessment per home and year, scored against that year's template (copied from the latest
earlier year when first needed), moving 草稿 → 已提交 → 已审定 or 退回 → 已提交, never
approved by a user who created, scored or submitted it, its total and star level recomputed
from the scores on every change; a person is a member of at most one home at a time, and only
members present on a day can be marked present or served; attendance is one row per person and
day; a person leaving the registry ends their membership.
"""

from collections.abc import Iterable, Mapping
from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from dfed.people.models import Person

from .models import (
    Attendance,
    Home,
    ItemScore,
    Membership,
    ServiceRecord,
    ServiceType,
    StarAssessment,
    StarAssessmentTemplate,
    TemplateItem,
)
from .standard import DEFAULT_ITEMS, DEFAULT_THRESHOLDS
from .stars import StarResult, star_compute

HOME_FIELDS = (
    "name",
    "community",
    "address",
    "floor_area",
    "opened_on",
    "operator",
    "capacity",
    "contact_name",
    "contact_phone",
    "status",
    "note",
)


# --- Homes ----------------------------------------------------------------------------------


def _save_home(home: Home, *, by, reason: str, services) -> Home:
    home.full_clean()
    home._history_user = by
    home._change_reason = reason
    home.save()
    if services is not None:
        home.services.set(services)
    return home


@transaction.atomic
def home_create(*, by, services: Iterable[ServiceType] = (), **fields) -> Home:
    home = Home(**{k: v for k, v in fields.items() if k in HOME_FIELDS})
    return _save_home(home, by=by, reason=_("新建"), services=list(services))


@transaction.atomic
def home_update(*, home: Home, by, services: Iterable[ServiceType] | None = None, **fields) -> Home:
    home = Home.objects.select_for_update().get(pk=home.pk)
    for name, value in fields.items():
        if name in HOME_FIELDS:
            setattr(home, name, value)
    if home.status == Home.Status.CLOSED:
        open_members = home.memberships.filter(left_on__isnull=True).count()
        if open_members:
            raise ValidationError(
                {"status": _("还有 %(n)d 名在册成员，请先办理退出再关闭") % {"n": open_members}}
            )
    return _save_home(
        home, by=by, reason=_("修改"), services=None if services is None else list(services)
    )


# --- Templates ------------------------------------------------------------------------------


@transaction.atomic
def star_template_ensure(*, year: int) -> StarAssessmentTemplate:
    """The template for ``year``: existing, else a copy of the latest earlier year's, else the
    built-in standard."""
    template = StarAssessmentTemplate.objects.filter(year=year).first()
    if template is not None:
        return template
    source = StarAssessmentTemplate.objects.filter(year__lt=year).order_by("-year").first()
    if source is not None:
        template = StarAssessmentTemplate.objects.create(
            year=year,
            five_star_min=source.five_star_min,
            four_star_min=source.four_star_min,
            three_star_min=source.three_star_min,
            two_star_min=source.two_star_min,
            note=_("复制自%(y)d年度") % {"y": source.year},
        )
        TemplateItem.objects.bulk_create(
            TemplateItem(
                template=template,
                section=i.section,
                order=i.order,
                title=i.title,
                max_points=i.max_points,
                cap_level=i.cap_level,
                pass_points=i.pass_points,
            )
            for i in source.items.all()
        )
        return template
    template = StarAssessmentTemplate.objects.create(year=year, **DEFAULT_THRESHOLDS)
    TemplateItem.objects.bulk_create(
        TemplateItem(
            template=template,
            section=section,
            order=n,
            title=title,
            max_points=points,
            cap_level=cap,
            pass_points=pass_points,
        )
        for n, (section, title, points, cap, pass_points) in enumerate(DEFAULT_ITEMS, start=1)
    )
    return template


# --- Assessments ----------------------------------------------------------------------------


def assessment_result(assessment: StarAssessment) -> StarResult:
    """The computed level of an assessment and why, from its current scores."""
    scores = list(assessment.scores.select_related("item"))
    return star_compute(
        template=assessment.template,
        scores={s.item_id: s.score for s in scores},
        items=[s.item for s in scores],
    )


def _recompute(assessment: StarAssessment) -> StarResult:
    result = assessment_result(assessment)
    assessment.total, assessment.star_level = result.total, result.level
    return result


@transaction.atomic
def assessment_create(*, home: Home, year: int, by, assessors: str = "") -> StarAssessment:
    """Open a draft score sheet for a home and year, one line per template item."""
    if home.status == Home.Status.CLOSED:
        raise ValidationError(_("已关闭的残疾人之家不能评定星级"))
    if StarAssessment.objects.filter(home=home, year=year).exists():
        raise ValidationError(
            _("%(h)s %(y)d年度已有星级评定，请在原评定上修改") % {"h": home.name, "y": year}
        )
    template = star_template_ensure(year=year)
    items = list(template.items.all())
    if not items:
        raise ValidationError(_("%(y)d年度评定标准没有评分项目，请管理员先设置") % {"y": year})
    assessment = StarAssessment(
        home=home, year=year, template=template, assessors=assessors, created_by=by
    )
    assessment.full_clean()
    assessment._history_user = by
    assessment.save()
    ItemScore.objects.bulk_create(ItemScore(assessment=assessment, item=i) for i in items)
    _recompute(assessment)
    assessment.save(update_fields=["total", "star_level"])
    return assessment


def _locked(assessment: StarAssessment) -> StarAssessment:
    return (
        StarAssessment.objects.select_for_update().select_related("template").get(pk=assessment.pk)
    )


@transaction.atomic
def assessment_score(
    *,
    assessment: StarAssessment,
    by,
    scores: Mapping[int, tuple[Decimal | None, str]],
    assessors: str | None = None,
) -> StarAssessment:
    """Record scores (item id → (score, remark)); only drafts and returned sheets change."""
    assessment = _locked(assessment)
    if not assessment.is_editable:
        raise ValidationError(
            _("“%(s)s”状态的评定不能修改评分") % {"s": assessment.get_status_display()}
        )
    errors = []
    lines = {s.item_id: s for s in assessment.scores.select_related("item")}
    changed = []
    for item_id, (score, remark) in scores.items():
        line = lines.get(int(item_id))
        if line is None:
            errors.append(_("评分项目不属于本评定"))
            continue
        if score is not None and (score < 0 or score > line.item.max_points):
            errors.append(
                _("“%(i)s”得分应在 0 到 %(m)s 分之间")
                % {"i": line.item.title, "m": line.item.max_points}
            )
            continue
        line.score, line.remark = score, (remark or "").strip()
        changed.append(line)
    if errors:
        raise ValidationError(errors)
    ItemScore.objects.bulk_update(changed, ["score", "remark"])
    assessment.scored_by.add(by)
    if assessors is not None:
        assessment.assessors = assessors.strip()
    _recompute(assessment)
    assessment._history_user = by
    assessment._change_reason = _("评分")
    assessment.save(update_fields=["assessors", "total", "star_level", "updated_at"])
    return assessment


@transaction.atomic
def assessment_submit(*, assessment: StarAssessment, by) -> StarAssessment:
    assessment = _locked(assessment)
    missing = assessment.scores.filter(score__isnull=True).count()
    if missing:
        raise ValidationError(_("还有 %(n)d 项未评分，不能提交") % {"n": missing})
    assessment.transition_to(StarAssessment.Status.SUBMITTED)
    _recompute(assessment)
    assessment.submitted_by, assessment.submitted_at = by, timezone.now()
    assessment.return_comment = ""
    assessment._history_user = by
    assessment._change_reason = _("提交")
    assessment.save()
    return assessment


@transaction.atomic
def assessment_approve(*, assessment: StarAssessment, by) -> StarAssessment:
    """Approve a submitted sheet; its level becomes the home's current one if it is the latest."""
    assessment = _locked(assessment)
    if assessment.is_assessed_by(by):
        raise ValidationError(_("评定人不能审定自己的评定，请由其他审核人审定"))
    assessment.transition_to(StarAssessment.Status.APPROVED)
    _recompute(assessment)
    assessment.decided_by, assessment.decided_at = by, timezone.now()
    assessment._history_user = by
    assessment._change_reason = _("审定为%(s)s") % {"s": assessment.get_star_level_display()}
    assessment.save()
    return assessment


@transaction.atomic
def assessment_return(*, assessment: StarAssessment, by, comment: str) -> StarAssessment:
    assessment = _locked(assessment)
    comment = (comment or "").strip()
    if not comment:
        raise ValidationError(_("退回必须填写意见"))
    assessment.transition_to(StarAssessment.Status.RETURNED)
    assessment.return_comment = comment
    assessment.decided_by, assessment.decided_at = by, timezone.now()
    assessment._history_user = by
    assessment._change_reason = _("退回")
    assessment.save()
    return assessment


# --- Members --------------------------------------------------------------------------------


@transaction.atomic
def membership_join(*, home: Home, person: Person, joined_on: date, by) -> Membership:
    """Make a person a member; refused while they belong to another home on that date."""
    person = Person.objects.select_for_update().get(pk=person.pk)
    if person.status != Person.Status.ACTIVE:
        raise ValidationError(
            _("%(p)s 状态为“%(s)s”，不能加入")
            % {"p": person.name, "s": person.get_status_display()}
        )
    if home.status != Home.Status.OPEN:
        raise ValidationError(_("%(h)s 不在运营中，不能接收成员") % {"h": home.name})
    if joined_on > timezone.localdate():
        raise ValidationError(_("加入日期不能晚于今天"))
    clash = (
        Membership.objects.filter(person=person)
        .filter(Q(left_on__isnull=True) | Q(left_on__gt=joined_on))
        .select_related("home")
        .first()
    )
    if clash is not None:
        if clash.home_id == home.pk:
            raise ValidationError(_("%(p)s 已是本残疾人之家的成员") % {"p": person.name})
        raise ValidationError(
            _("%(p)s 已是“%(h)s”的成员（%(d)s 加入），一人只能加入一个残疾人之家，请先办理退出")
            % {"p": person.name, "h": clash.home.name, "d": clash.joined_on.isoformat()}
        )
    membership = Membership(home=home, person=person, joined_on=joined_on)
    membership.full_clean(validate_constraints=False)
    membership._history_user = by
    try:
        with transaction.atomic():
            membership.save()
    except IntegrityError as exc:  # a concurrent join got there first
        raise ValidationError(_("%(p)s 已是其他残疾人之家的成员") % {"p": person.name}) from exc
    return membership


@transaction.atomic
def membership_leave(
    *, membership: Membership, left_on: date, reason: str, by, drop_later_attendance=False
) -> Membership:
    """End a membership. Attendance recorded after ``left_on`` is refused, or removed when
    ``drop_later_attendance`` (the person died or moved away on that date)."""
    membership = Membership.objects.select_for_update().get(pk=membership.pk)
    if membership.left_on is not None:
        raise ValidationError(_("该成员已于 %(d)s 退出") % {"d": membership.left_on.isoformat()})
    if left_on < membership.joined_on:
        raise ValidationError(_("退出日期不能早于加入日期"))
    later = Attendance.objects.filter(
        home=membership.home_id, person=membership.person_id, date__gt=left_on
    )
    if drop_later_attendance:
        later.delete()
    elif later.exists():
        last = later.order_by("-date").values_list("date", flat=True).first()
        raise ValidationError(
            _("%(d)s 还有出勤记录，退出日期不能早于最后一次出勤") % {"d": last.isoformat()}
        )
    membership.left_on, membership.leave_reason = left_on, (reason or "").strip()
    membership._history_user = by
    membership._change_reason = pgettext("membership", "退出")
    membership.save(update_fields=["left_on", "leave_reason", "updated_at"])
    return membership


def membership_end_for_person(*, person: Person, on: date, reason: str, by=None) -> int:
    """End a person's open memberships (they died or moved away); returns how many."""
    ended = 0
    for membership in Membership.objects.filter(person=person, left_on__isnull=True):
        membership_leave(
            membership=membership,
            left_on=max(on, membership.joined_on),
            reason=reason,
            by=by,
            drop_later_attendance=True,
        )
        ended += 1
    return ended


def on_person_left_registry(sender, *, person, status, on, by=None, **kwargs) -> None:
    """Receiver of ``dfed.people.signals.person_left_registry``."""
    reason = _("登记状态变更为“%(s)s”") % {"s": Person.Status(status).label}
    membership_end_for_person(person=person, on=on, reason=reason, by=by)


def _members_on(home: Home, day: date):
    return Membership.objects.filter(home=home, joined_on__lte=day).filter(
        Q(left_on__isnull=True) | Q(left_on__gte=day)
    )


# --- Attendance and services ----------------------------------------------------------------


@transaction.atomic
def attendance_save(*, home: Home, day: date, present: Iterable[int], by) -> dict[str, int]:
    """Set who was present at a home on a day (person ids); idempotent."""
    if day > timezone.localdate():
        raise ValidationError(_("不能登记今天以后的出勤"))
    present = {int(pk) for pk in present}
    members = set(_members_on(home, day).values_list("person_id", flat=True))
    strangers = present - members
    if strangers:
        names = "、".join(Person.objects.filter(pk__in=strangers).values_list("name", flat=True))
        raise ValidationError(_("以下人员当天不是本家成员：%(n)s") % {"n": names or strangers})
    existing = set(
        Attendance.objects.filter(home=home, date=day).values_list("person_id", flat=True)
    )
    removed, _count = (
        Attendance.objects.filter(home=home, date=day).exclude(person_id__in=present).delete()
    )
    try:
        with transaction.atomic():
            Attendance.objects.bulk_create(
                Attendance(home=home, person_id=pk, date=day, recorded_by=by)
                for pk in sorted(present - existing)
            )
    except IntegrityError as exc:
        raise ValidationError(_("有成员当天已在其他残疾人之家登记出勤")) from exc
    return {"present": len(present), "added": len(present - existing), "removed": removed}


@transaction.atomic
def service_record_create(
    *,
    home: Home,
    by,
    date: date,
    service_type: ServiceType,
    hours: Decimal,
    staff: str = "",
    attendees: Iterable[int] = (),
    note: str = "",
) -> ServiceRecord:
    if date > timezone.localdate():
        raise ValidationError(_("服务日期不能晚于今天"))
    attendee_ids = {int(pk) for pk in attendees}
    members = set(_members_on(home, date).values_list("person_id", flat=True))
    if attendee_ids - members:
        raise ValidationError(_("参加人员必须是当天的本家成员"))
    record = ServiceRecord(
        home=home,
        date=date,
        service_type=service_type,
        hours=hours,
        staff=staff,
        note=note,
        created_by=by,
    )
    record.full_clean()
    record.save()
    record.attendees.set(attendee_ids)
    return record
