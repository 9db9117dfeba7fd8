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
    url = link("accessibility:index")
    return FigureGroup(
        key="accessibility",
        title=TITLE,
        figures=[
            Figure("households", _("完成无障碍改造的家庭"), figures.completed, _("户"), url),
            Figure("spend_wan", _("无障碍改造支出"), to_wan(figures.spent), _("万元"), url),
            Figure("budget_wan", _("无障碍改造预算"), to_wan(figures.budget), _("万元"), url),
            Figure("in_progress", _("尚在办理的改造项目"), figures.in_progress, _("户"), url),
            Figure("communities", _("验收通过的无障碍社区"), communities, _("个"), url),
        ],
    )
