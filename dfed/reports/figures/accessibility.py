"""Accessibility figures: retrofit households and spend, accessible communities."""

from django.utils.translation import gettext_lazy as _

from . import FigureGroup, unavailable

TITLE = _("无障碍改造")


def accessibility_figures(year: int) -> FigureGroup:
    return unavailable("accessibility", TITLE)
