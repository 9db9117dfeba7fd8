"""无障碍改造 figures for a year, read through ``accessibility_figures_for_year``: households
whose retrofit was completed, the money spent on them, the budget, and communities whose
accessible-community creation passed acceptance."""

from django.utils.translation import gettext_lazy as _

from accessibility.selectors import accessibility_figures_for_year

from .base import Figure, FigureGroup, link, to_wan

TITLE = _("无障碍改造")


def accessibility_figures(year: int) -> FigureGroup:
    year_figures = accessibility_figures_for_year(year=year)
    figures = year_figures.retrofits
    url = link("accessibility:figures", f"year={year}")
    completed = link("accessibility:project-list", f"year={year}&status=completed")
    projects = link("accessibility:project-list", f"year={year}")
    passed = link("accessibility:community-list", f"year={year}&status=passed")
    return FigureGroup(
        key="accessibility",
        title=TITLE,
        figures=[
            Figure("households", _("完成无障碍改造的家庭"), figures.completed, _("户"), completed),
            Figure("spend_wan", _("无障碍改造支出"), to_wan(figures.spent), _("万元"), url),
            Figure("budget_wan", _("无障碍改造预算"), to_wan(figures.budget), _("万元"), url),
            Figure("in_progress", _("尚在办理的改造项目"), figures.in_progress, _("户"), projects),
            Figure(
                "communities",
                _("验收通过的无障碍社区"),
                year_figures.communities_passed,
                _("个"),
                passed,
            ),
        ],
    )
