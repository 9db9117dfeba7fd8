"""Who may receive which subsidy (State Council 2015 opinion, refined 2021).

``eligibility_reasons`` is pure (no database): it takes the person's facts and returns the
reasons, in Chinese, why they are not eligible; an empty list means eligible. Local options are
read from settings each call: ``SUBSIDY_LIVING_INCLUDES_MARGINAL`` (生活补贴 for 低保边缘 too) and
``SUBSIDY_CARE_INCLUDES_LEVEL3_MENTAL`` (护理补贴 for level-3 intellectual/mental disability too).
"""

from django.conf import settings
from django.utils.translation import gettext as _

from .models import Application, Entitlement, SubsidyType, Tier, subsidy_type_short

ACTIVE_STATUS = "active"
STATUS_LABELS = {"moved": "迁出", "deceased": "死亡"}
HOUSEHOLD_LABELS = {"dibao": "低保", "marginal": "低保边缘", "tekun": "特困", "general": "一般"}
LEVEL_LABELS = {1: "一级", 2: "二级", 3: "三级", 4: "四级"}
INTELLECTUAL, MENTAL = 5, 6
TIER_BY_LEVEL = {1: Tier.LEVEL1, 2: Tier.LEVEL2, 3: Tier.LEVEL3}


def living_includes_marginal() -> bool:
    return bool(getattr(settings, "SUBSIDY_LIVING_INCLUDES_MARGINAL", False))


def care_includes_level3_mental() -> bool:
    return bool(getattr(settings, "SUBSIDY_CARE_INCLUDES_LEVEL3_MENTAL", False))


def eligibility_reasons(
    *, status: str, household: str, category: int, level: int, type: str
) -> list[str]:  # noqa: A002, E501
    """The reasons (Chinese) a person with these facts may not receive ``type``; [] = eligible."""
    reasons: list[str] = []
    if status != ACTIVE_STATUS:
        reasons.append(
            _("本人已%(status)s，不在册") % {"status": _(STATUS_LABELS.get(status, status))}
        )
    if type == SubsidyType.LIVING:
        allowed = {"dibao", "marginal"} if living_includes_marginal() else {"dibao"}
        if household not in allowed:
            wanted = _("低保或低保边缘家庭") if "marginal" in allowed else _("低保家庭")
            reasons.append(
                _("生活补贴须为%(wanted)s（当前：%(current)s）")
                % {"wanted": wanted, "current": _(HOUSEHOLD_LABELS.get(household, household))}
            )
    elif type == SubsidyType.CARE:
        if level not in (1, 2):
            level3_ok = care_includes_level3_mental() and level == 3
            if level3_ok and category not in (INTELLECTUAL, MENTAL):
                reasons.append(_("护理补贴三级仅限智力或精神残疾（当前：三级，非智力/精神残疾）"))
            elif not level3_ok:
                wanted = (
                    _("一级、二级或三级智力/精神残疾")
                    if care_includes_level3_mental()
                    else _("一级或二级残疾")
                )
                reasons.append(
                    _("护理补贴须为%(wanted)s（当前：%(current)s）")
                    % {"wanted": wanted, "current": _(LEVEL_LABELS.get(level, str(level)))}
                )
    else:
        reasons.append(_("补贴类型无效"))
    return reasons


def tier_for(*, type: str, level: int) -> str:  # noqa: A002
    """The rate tier for a subsidy type and disability level ("" when the level has none)."""
    if type == SubsidyType.LIVING:
        return Tier.NONE
    return TIER_BY_LEVEL.get(level, "")


def eligibility_check(*, person, type: str, exclude_application=None) -> list[str]:  # noqa: A002
    """``eligibility_reasons`` plus the database checks: already receiving, open application."""
    reasons = eligibility_reasons(
        status=person.status,
        household=person.household,
        category=person.category,
        level=person.level,
        type=type,
    )
    short = subsidy_type_short(type)
    current = (
        Entitlement.objects.filter(person=person, type=type)
        .exclude(state=Entitlement.State.ENDED)
        .first()
    )
    if current is not None:
        reasons.append(
            _("已享受%(type)s（%(state)s，自%(month)s起）")
            % {
                "type": short,
                "state": current.get_state_display(),
                "month": f"{current.start_month:%Y-%m}",
            }
        )
    applications = Application.objects.filter(
        person=person, type=type, status__in=Application.OPEN_STATUSES
    )
    if exclude_application is not None:
        applications = applications.exclude(pk=exclude_application.pk)
    open_application = applications.first()
    if open_application is not None:
        reasons.append(
            _("已有未办结的%(type)s申请（%(status)s）")
            % {"type": short, "status": open_application.get_status_display()}
        )
    return reasons
