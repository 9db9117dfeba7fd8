"""What reports read of 残疾人之家 (dashboards and the annual summary), as dataclasses."""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from django.db.models import Q, QuerySet
from django.utils import timezone

from dfed.core.scoping import scope_to_towns

from ..models import (
    Attendance,
    Home,
    Membership,
    ServiceRecord,
    StarAssessment,
)
from .homes import _current_star

# --- For reports (dashboards and the annual summary) -----------------------------------------

STAR_LEVELS = (5, 4, 3, 2, 1)


@dataclass(frozen=True)
class StarCounts:
    """Open homes by current star level (``by_star``: {5: n, …, 1: n}) and those not rated."""

    by_star: dict[int, int]
    unrated: int

    @property
    def total(self) -> int:
        return sum(self.by_star.values()) + self.unrated


def _star_counts(homes: QuerySet[Home], *, on: date) -> StarCounts:
    levels = (
        homes.open_on(on).annotate(star=_current_star(year=on.year)).values_list("star", flat=True)
    )
    by_star = dict.fromkeys(STAR_LEVELS, 0)
    unrated = 0
    for level in levels:
        if level in by_star:
            by_star[level] += 1
        else:
            unrated += 1
    return StarCounts(by_star=by_star, unrated=unrated)


def _as_of(year: int) -> date:
    """The day a year's figures are taken: 31 December, or today for the running year."""
    return min(date(year, 12, 31), timezone.localdate())


def homes_star_counts(*, user, towns: Iterable[int] | None = None) -> StarCounts:
    """Homes the user sees (in ``towns``, ids, when given) open today, by current star level."""
    homes = scope_to_towns(Home.objects.all(), user)
    if towns is not None:
        homes = homes.filter(town__in=list(towns))
    return _star_counts(homes, on=timezone.localdate())


@dataclass(frozen=True)
class HomesYearFigures:
    """残疾人之家 in a year, district-wide or for some towns: homes open at year end (today for
    the running year) and the towns they cover, their star levels, members during the year, the
    distinct people who attended or were served, and attendance person-days."""

    year: int
    homes: int
    towns_covered: int
    stars: StarCounts
    members: int
    served: int
    attendance: int


def homes_figures_for_year(*, year: int, towns: Iterable[int] | None = None) -> HomesYearFigures:
    """The year's figures (see :class:`HomesYearFigures`); ``towns``: ids, ``None``: all."""
    start, end = date(year, 1, 1), date(year + 1, 1, 1)
    homes = Home.objects.all()
    memberships = Membership.objects.all()
    attendance = Attendance.objects.filter(date__gte=start, date__lt=end)
    served = ServiceRecord.attendees.through.objects.filter(
        servicerecord__date__gte=start, servicerecord__date__lt=end
    )
    if towns is not None:
        towns = list(towns)
        homes = homes.filter(town__in=towns)
        memberships = memberships.filter(home__town__in=towns)
        attendance = attendance.filter(home__town__in=towns)
        served = served.filter(servicerecord__home__town__in=towns)
    as_of = _as_of(year)
    open_homes = list(homes.open_on(as_of).values_list("pk", "town_id"))
    members = (
        memberships.filter(joined_on__lt=end)
        .filter(Q(left_on__isnull=True) | Q(left_on__gte=start))
        .values("person")
        .distinct()
        .count()
    )
    people = set(attendance.values_list("person", flat=True))
    people |= set(served.values_list("person", flat=True))
    return HomesYearFigures(
        year=year,
        homes=len(open_homes),
        towns_covered=len({town for _pk, town in open_homes}),
        stars=_star_counts(homes, on=as_of),
        members=members,
        served=len(people),
        attendance=attendance.count(),
    )


@dataclass(frozen=True)
class HomesWorkQueue:
    """Star assessments waiting: drafts or returned ones to finish, submitted ones to approve."""

    to_finish: int
    to_approve: int


def homes_work_queue(*, user, towns: Iterable[int] | None = None) -> HomesWorkQueue:
    """Assessments in ``towns`` (ids; ``None``: all) waiting for caseworkers and reviewers."""
    assessments = StarAssessment.objects.all()
    if towns is not None:
        assessments = assessments.filter(home__town__in=list(towns))
    S = StarAssessment.Status
    return HomesWorkQueue(
        to_finish=assessments.filter(status__in=[S.DRAFT, S.RETURNED]).count(),
        to_approve=assessments.filter(status=S.SUBMITTED).count(),
    )
