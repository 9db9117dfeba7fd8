"""Star level from a score sheet: the total against the year's thresholds, then capped by every
mandatory item that was failed. Pure: takes the template and the scores, touches no rows."""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.translation import gettext as _

from .models import STAR_LABELS, StarAssessmentTemplate, TemplateItem


@dataclass
class StarResult:
    total: Decimal
    level: int
    by_total: int
    reasons: list[str] = field(default_factory=list)
    failed_items: list[TemplateItem] = field(default_factory=list)
    unscored: int = 0

    @property
    def label(self) -> str:
        return str(STAR_LABELS[self.level])


def _fmt(value) -> str:
    value = Decimal(str(value))
    return f"{value.normalize():f}" if value == value.to_integral() else f"{value:.1f}"


def star_compute(
    *,
    template: StarAssessmentTemplate,
    scores: Mapping[int, Decimal | None],
    items: Iterable[TemplateItem] | None = None,
) -> StarResult:
    """``scores`` maps template item id → score (``None`` or missing counts as 0 points)."""
    items = list(items if items is not None else template.items.all())
    total = Decimal("0")
    unscored = 0
    for item in items:
        score = scores.get(item.pk)
        if score is None:
            unscored += 1
        else:
            total += score
    by_total = 1
    reasons: list[str] = []
    for level, minimum in template.thresholds():
        if total >= minimum:
            by_total = level
            reasons.append(
                _("总分 %(t)s 分，达到%(s)s标准（≥%(m)s 分）")
                % {"t": _fmt(total), "s": STAR_LABELS[level], "m": _fmt(minimum)}
            )
            break
    else:
        reasons.append(
            _("总分 %(t)s 分，低于二星标准（%(m)s 分），评为一星")
            % {"t": _fmt(total), "m": _fmt(template.two_star_min)}
        )
    level = by_total
    failed = []
    for item in items:
        if not item.is_mandatory:
            continue
        score = scores.get(item.pk) or Decimal("0")
        if score < item.required_points:
            failed.append(item)
            capped = level > item.cap_level
            reasons.append(
                _("必备项“%(i)s”未达标（得 %(s)s 分，须 %(r)s 分），星级最高%(c)s%(x)s")
                % {
                    "i": item.title,
                    "s": _fmt(score),
                    "r": _fmt(item.required_points),
                    "c": STAR_LABELS[item.cap_level],
                    "x": _("，因此降为%(c)s") % {"c": STAR_LABELS[item.cap_level]}
                    if capped
                    else "",
                }
            )
            level = min(level, item.cap_level)
    if unscored:
        reasons.append(_("尚有 %(n)d 项未评分，按 0 分计") % {"n": unscored})
    return StarResult(
        total=total,
        level=level,
        by_total=by_total,
        reasons=reasons,
        failed_items=failed,
        unscored=unscored,
    )
