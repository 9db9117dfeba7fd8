"""Homes figures: 残疾人之家 coverage, star levels and people served."""

from django.utils.translation import gettext_lazy as _

from . import FigureGroup, unavailable

TITLE = _("残疾人之家")


def homes_figures(year: int) -> FigureGroup:
    return unavailable("homes", TITLE)
