"""Writes on star assessments: the yearly template, scoring and the review steps."""

from collections.abc import Mapping
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from dfed.core.history import save_with_history
from dfed.core.permissions import require

from ..models import (
    Home,
    ItemScore,
    StarAssessment,
    StarAssessmentTemplate,
    TemplateItem,
)
from ..standard import DEFAULT_ITEMS, DEFAULT_THRESHOLDS
from ..stars import StarResult, star_compute

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
    """Open a draft score sheet for a home and year, one line per template item.

    Raises: PermissionDenied if ``by`` lacks homes.add_starassessment or the home's town;
    ValidationError if the home is closed, the year already has a sheet or its standard has
    no items."""
    require(by, "homes.add_starassessment", town_id=home.town_id)
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
    save_with_history(assessment, by=by)
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
    """Record scores (item id → (score in points, remark)); only drafts and returned sheets
    change.

    Raises: PermissionDenied if ``by`` lacks homes.change_starassessment or the home's town;
    ValidationError if the sheet is not editable or a score is outside 0 … the item's points."""
    require(by, "homes.change_starassessment", town_id=assessment.home.town_id)
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
    save_with_history(
        assessment,
        by=by,
        reason=_("评分"),
        update_fields=["assessors", "total", "star_level", "updated_at"],
    )
    return assessment


@transaction.atomic
def assessment_submit(*, assessment: StarAssessment, by) -> StarAssessment:
    """Submit a fully scored sheet for approval.

    Raises: PermissionDenied if ``by`` lacks homes.change_starassessment or the home's town;
    ValidationError if an item is unscored or the status does not allow it."""
    require(by, "homes.change_starassessment", town_id=assessment.home.town_id)
    assessment = _locked(assessment)
    missing = assessment.scores.filter(score__isnull=True).count()
    if missing:
        raise ValidationError(_("还有 %(n)d 项未评分，不能提交") % {"n": missing})
    assessment.transition_to(StarAssessment.Status.SUBMITTED)
    _recompute(assessment)
    assessment.submitted_by, assessment.submitted_at = by, timezone.now()
    assessment.return_comment = ""
    save_with_history(assessment, by=by, reason=_("提交"))
    return assessment


@transaction.atomic
def assessment_approve(*, assessment: StarAssessment, by) -> StarAssessment:
    """Approve a submitted sheet; its level becomes the home's current one if it is the latest.

    Raises: PermissionDenied if ``by`` lacks homes.approve_starassessment or the home's town;
    ValidationError if ``by`` took part in the assessment or it is not submitted."""
    require(by, "homes.approve_starassessment", town_id=assessment.home.town_id)
    assessment = _locked(assessment)
    if assessment.is_assessed_by(by):
        raise ValidationError(_("评定人不能审定自己的评定，请由其他审核人审定"))
    assessment.transition_to(StarAssessment.Status.APPROVED)
    _recompute(assessment)
    assessment.decided_by, assessment.decided_at = by, timezone.now()
    save_with_history(
        assessment, by=by, reason=_("审定为%(s)s") % {"s": assessment.get_star_level_display()}
    )
    return assessment


@transaction.atomic
def assessment_return(*, assessment: StarAssessment, by, comment: str) -> StarAssessment:
    """Send a submitted sheet back for rescoring with ``comment``.

    Raises: PermissionDenied if ``by`` lacks homes.approve_starassessment or the home's town;
    ValidationError if the comment is empty or the sheet is not submitted."""
    require(by, "homes.approve_starassessment", town_id=assessment.home.town_id)
    assessment = _locked(assessment)
    comment = (comment or "").strip()
    if not comment:
        raise ValidationError(_("退回必须填写意见"))
    assessment.transition_to(StarAssessment.Status.RETURNED)
    assessment.return_comment = comment
    assessment.decided_by, assessment.decided_at = by, timezone.now()
    save_with_history(assessment, by=by, reason=_("退回"))
    return assessment


# --- Members --------------------------------------------------------------------------------
