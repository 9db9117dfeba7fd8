"""残疾人之家 figures for a year, read through ``homes_figures_for_year``: homes open at year end,
towns covered, star levels (the homes app's current-star rule), members and people served."""

from django.utils.translation import gettext_lazy as _

from dfed.people.models import Area
from homes.selectors import homes_figures_for_year

from .base import Figure, FigureGroup, link

TITLE = _("残疾人之家")
STARS = (
    (5, "star5", _("五星级")),
    (4, "star4", _("四星级")),
    (3, "star3", _("三星级")),
    (2, "star2", _("二星级")),
    (1, "star1", _("一星级")),
)


def homes_figures(year: int) -> FigureGroup:
    figures = homes_figures_for_year(year=year)
    towns_total = Area.objects.filter(level=Area.Level.TOWN).count()
    url = link("homes:home-list", "status=open")
    result = [
        Figure("homes", _("运营中的残疾人之家"), figures.homes, _("家"), url),
        Figure("towns_covered", _("已建残疾人之家的镇街道"), figures.towns_covered, _("个"), url),
        Figure("towns_total", _("镇街道总数"), towns_total, _("个"), url),
    ]
    for level, key, label in STARS:
        result.append(
            Figure(
                key,
                label,
                figures.stars.by_star[level],
                _("家"),
                link("homes:home-list", f"status=open&star={level}"),
            )
        )
    result += [
        Figure("members", _("在册成员"), figures.members, _("人"), url),
        Figure("served", _("全年接受服务的残疾人"), figures.served, _("人"), url),
        Figure("attendance", _("全年日间照料出勤"), figures.attendance, _("人次"), url),
    ]
    return FigureGroup(key="homes", title=TITLE, figures=result)
