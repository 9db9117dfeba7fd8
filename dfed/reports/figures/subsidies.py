"""Subsidy figures: 生活补贴 and 护理补贴 recipients and spend in the year."""

from django.utils.translation import gettext_lazy as _

from . import FigureGroup, unavailable

TITLE = _("两项补贴")


def subsidy_figures(year: int) -> FigureGroup:
    return unavailable("subsidies", TITLE)
