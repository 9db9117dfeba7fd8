"""Subsidy figures: people paid and money paid in the year, per subsidy type.

Read through ``subsidies_figures_for_year`` (counted batches whose 发放月份 falls in the year;
people distinct over the year).
"""

from django.utils.translation import gettext_lazy as _

from subsidies.selectors import subsidies_figures_for_year

from .base import Figure, FigureGroup, link, to_wan

TITLE = _("两项补贴")
LIVING, CARE = "living", "care"


def subsidy_figures(year: int) -> FigureGroup:
    figures = subsidies_figures_for_year(year=year)
    payments_of = {t: link("subsidies:payment-list", f"type={t}") for t in (LIVING, CARE)}
    url = link("subsidies:batch-list")
    return FigureGroup(
        key="subsidies",
        title=TITLE,
        figures=[
            Figure(
                "living_people",
                _("困难残疾人生活补贴发放人数"),
                figures.people[LIVING],
                _("名"),
                url,
            ),
            Figure(
                "living_wan",
                _("困难残疾人生活补贴发放金额"),
                to_wan(figures.amount[LIVING]),
                _("万元"),
                payments_of[LIVING],
            ),
            Figure(
                "care_people",
                _("重度残疾人护理补贴发放人数"),
                figures.people[CARE],
                _("名"),
                payments_of[CARE],
            ),
            Figure(
                "care_wan",
                _("重度残疾人护理补贴发放金额"),
                to_wan(figures.amount[CARE]),
                _("万元"),
                payments_of[CARE],
            ),
            Figure("batches", _("确认发放批次"), figures.batches, _("个"), url),
        ],
    )
