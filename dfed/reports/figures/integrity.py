"""Integrity figures: responsibility, education and 三服务; reminder SMS."""

from django.utils.translation import gettext_lazy as _

from . import FigureGroup, unavailable

TITLE = _("党风廉政建设")
SMS_TITLE = _("节日廉政提醒短信")


def integrity_figures(year: int) -> FigureGroup:
    return unavailable("integrity", TITLE)


def sms_figures(year: int) -> FigureGroup:
    return unavailable("sms", SMS_TITLE)
