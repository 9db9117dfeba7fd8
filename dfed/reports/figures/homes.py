"""残疾人之家 figures for a year: homes open at year end, towns covered, star levels (the
latest approved assessment of that year or before), members and people served."""

from datetime import date

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from dfed.people.models import Area
from homes.models import Attendance, Home, Membership, ServiceRecord, StarAssessment

from . import Figure, FigureGroup, link, year_bounds

TITLE = _("残疾人之家")
STARS = (
    (5, "star5", _("五星级")),
    (4, "star4", _("四星级")),
    (3, "star3", _("三星级")),
    (2, "star2", _("二星级")),
    (1, "star1", _("一星级")),
)


def homes_open_in(year: int):
    """Homes running at the end of ``year`` (opened by then and not paused or closed)."""
    end = date(year, 12, 31)
    return Home.objects.filter(status=Home.Status.OPEN).filter(
        Q(opened_on__isnull=True) | Q(opened_on__lte=end)
    )


def star_levels(homes, year: int) -> dict[int, int]:
    """{home id: star level} from each home's latest approved assessment up to ``year``."""
    levels: dict[int, int] = {}
    assessments = (
        StarAssessment.objects.filter(
            home__in=homes, status=StarAssessment.Status.APPROVED, year__lte=year
        )
        .order_by("home_id", "-year", "-decided_at", "-pk")
        .values_list("home_id", "star_level")
    )
    for home_id, level in assessments:
        levels.setdefault(home_id, level)
    return levels


def homes_figures(year: int) -> FigureGroup:
    start, end = year_bounds(year)
    homes = list(homes_open_in(year).values_list("pk", "town_id"))
    home_ids = [pk for pk, _town in homes]
    levels = star_levels(home_ids, year)
    towns_total = Area.objects.filter(level=Area.Level.TOWN).count()
    towns_covered = len({town for _pk, town in homes})
    members = (
        Membership.objects.filter(joined_on__lt=end)
        .filter(Q(left_on__isnull=True) | Q(left_on__gte=start))
        .values("person")
        .distinct()
        .count()
    )
    attended = set(
        Attendance.objects.filter(date__gte=start, date__lt=end).values_list("person", flat=True)
    )
    attended |= set(
        ServiceRecord.attendees.through.objects.filter(
            servicerecord__date__gte=start, servicerecord__date__lt=end
        ).values_list("person", flat=True)
    )
    visits = Attendance.objects.filter(date__gte=start, date__lt=end).count()
    url = link("homes:home-list", "status=open")
    figures = [
        Figure("homes", _("运营中的残疾人之家"), len(homes), _("家"), url),
        Figure("towns_covered", _("已建残疾人之家的镇街道"), towns_covered, _("个"), url),
        Figure("towns_total", _("镇街道总数"), towns_total, _("个"), url),
    ]
    for level, key, label in STARS:
        count = sum(1 for pk in home_ids if levels.get(pk) == level)
        figures.append(
            Figure(key, label, count, _("家"), link("homes:home-list", f"status=open&star={level}"))
        )
    figures += [
        Figure("members", _("在册成员"), members, _("人"), url),
        Figure("served", _("全年接受服务的残疾人"), len(attended), _("人"), url),
        Figure("attendance", _("全年日间照料出勤"), visits, _("人次"), url),
    ]
    return FigureGroup(key="homes", title=TITLE, figures=figures)
