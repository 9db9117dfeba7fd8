"""无障碍改造 figures for a year: households whose retrofit was completed, the money spent on
them, the budget, and communities whose accessible-community creation passed acceptance."""

from django.utils.translation import gettext_lazy as _

from accessibility.models import AccessibleCommunity
from accessibility.selectors import retrofit_figures_for_year

from . import DISTRICT_READER, Figure, FigureGroup, link, to_wan

TITLE = _("无障碍改造")


def accessibility_figures(year: int) -> FigureGroup:
    figures = retrofit_figures_for_year(user=DISTRICT_READER, year=year)
    communities = AccessibleCommunity.objects.filter(
        year=year, status=AccessibleCommunity.Status.PASSED
    ).count()
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
            Figure("communities", _("验收通过的无障碍社区"), communities, _("个"), passed),
        ],
    )
