"""Subsidy figures: people paid and money paid in the year, per subsidy type.

Read through ``subsidies_figures_for_year`` (counted batches whose 发放月份 falls in the year;
people distinct over the year).
"""

from decimal import Decimal

from django.utils.translation import gettext_lazy as _

from subsidies.selectors import finding_figures, subsidies_figures_for_year

from .base import Figure, FigureGroup, link, to_wan, year_bounds

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
            *_finding_figures(year),
        ],
    )


def _finding_figures(year: int) -> list[Figure]:
    """精准管理 / 主动发现: the comparison's findings first found in the year."""
    start, end = year_bounds(year)
    f = finding_figures(start=start, end=end)
    url = link("subsidies:finding-list", "status=")
    stops = link("subsidies:finding-list", "status=&kind=stop")
    starts = link("subsidies:finding-list", "status=&kind=start")
    return [
        Figure("findings_stop", _("数据比对发现应停发"), f.found["stop"], _("条"), stops),
        Figure("findings_correct", _("数据比对发现信息不一致"), f.found["correct"], _("条"), url),
        Figure("findings_acted", _("比对发现已处理"), f.acted, _("条"), url),
        Figure(
            "findings_days",
            _("从名单导入到处理平均用时"),
            f.average_days or Decimal(0),
            _("天"),
            url,
        ),  # fmt: skip
        Figure("stopped_yuan", _("停发后每月不再发放"), f.stopped_monthly, _("元"), stops),
        Figure("recovered_wan", _("停发后追回资金"), to_wan(f.recovered), _("万元"), stops),
        Figure("findings_start", _("主动发现符合条件未享受"), f.found["start"], _("人"), starts),
        Figure("reached", _("主动发现后建立申请"), f.reached, _("人"), starts),
    ]
