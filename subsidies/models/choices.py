"""Subsidy types and tiers, and the field checks the models share."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class SubsidyType(models.TextChoices):
    LIVING = "living", _("困难残疾人生活补贴")
    CARE = "care", _("重度残疾人护理补贴")


SUBSIDY_TYPE_SHORT = {SubsidyType.LIVING: _("生活补贴"), SubsidyType.CARE: _("护理补贴")}


def subsidy_type_short(value: str) -> str:
    return str(SUBSIDY_TYPE_SHORT.get(value, value))


class Tier(models.TextChoices):
    NONE = "none", _("不分档")
    LEVEL1 = "level1", _("一级")
    LEVEL2 = "level2", _("二级")
    LEVEL3 = "level3", _("三级")


TIERS_BY_TYPE = {
    SubsidyType.LIVING: (Tier.NONE,),
    SubsidyType.CARE: (Tier.LEVEL1, Tier.LEVEL2, Tier.LEVEL3),
}


def _check_month(value, field: str, errors: dict) -> None:
    if value is not None and value.day != 1:
        errors.setdefault(field, []).append(_("月份应为当月1日"))


def _check_tier(subsidy_type: str, tier: str, errors: dict) -> None:
    if subsidy_type in TIERS_BY_TYPE and tier not in TIERS_BY_TYPE[subsidy_type]:
        errors.setdefault("tier", []).append(
            _("%(type)s不能选择档次“%(tier)s”")
            % {"type": subsidy_type_short(subsidy_type), "tier": Tier(tier).label}
        )
