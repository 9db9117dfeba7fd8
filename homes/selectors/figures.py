"""Coverage of the towns and monthly figures per home."""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.db.models import Count, Q, Sum
from django.utils import timezone

from dfed.core.months import month_add, month_start
from dfed.core.scoping import scope_to_towns
from dfed.people.models import Area
from dfed.people.selectors import area_list_towns

from ..models import (
    Attendance,
    Home,
    Membership,
    ServiceRecord,
    ServiceType,
)
from .homes import (
    home_list_visible_to,
)

# --- Coverage -------------------------------------------------------------------------------


@dataclass
class TownCoverage:
    town: Area
    homes: list[Home] = field(default_factory=list)

    @property
    def open_homes(self) -> list[Home]:
        today = timezone.localdate()
        return [h for h in self.homes if h.is_open_on(today)]

    @property
    def is_gap(self) -> bool:
        return not self.open_homes


def home_coverage(*, user) -> tuple[list[TownCoverage], dict]:
    """Every town the user sees with its homes; a town without an open home is a gap.
    Also a summary: towns, covered towns, open homes, open homes by current star level."""
    towns = {t.pk: TownCoverage(town=t) for t in area_list_towns(user=user)}
    for home in home_list_visible_to(user).order_by("name", "pk"):
        if home.town_id in towns:
            towns[home.town_id].homes.append(home)
    rows = list(towns.values())
    by_star = dict.fromkeys((5, 4, 3, 2, 1), 0)
    unrated = 0
    for row in rows:
        for home in row.open_homes:
            if home.current_star:
                by_star[home.current_star] += 1
            else:
                unrated += 1
    summary = {
        "towns": len(rows),
        "covered": sum(1 for r in rows if not r.is_gap),
        "gaps": [r.town for r in rows if r.is_gap],
        "open_homes": sum(len(r.open_homes) for r in rows),
        "by_star": by_star,
        "unrated": unrated,
    }
    return rows, summary


# --- Figures --------------------------------------------------------------------------------


@dataclass
class MonthlyFigures:
    home: Home
    members: int = 0
    attendance_days: int = 0
    attendees: int = 0
    hours_by_type: dict[str, Decimal] = field(default_factory=dict)

    @property
    def total_hours(self) -> Decimal:
        return sum(self.hours_by_type.values(), Decimal("0"))


def home_monthly_figures(*, user, month: date) -> list[MonthlyFigures]:
    """Per home the user sees, for the month: members during the month (memberships
    overlapping it), attendance person-days, distinct members attending, and service hours by
    service type code."""
    start = month_start(month)
    end = month_add(start, 1)
    homes = list(home_list_visible_to(user).order_by("town__code", "name", "pk"))
    figures = {h.pk: MonthlyFigures(home=h) for h in homes}
    members = (
        Membership.objects.filter(home__in=figures.keys(), joined_on__lt=end)
        .filter(Q(left_on__isnull=True) | Q(left_on__gte=start))
        .values("home")
        .annotate(n=Count("person", distinct=True))
    )
    for row in members:
        figures[row["home"]].members = row["n"]
    attendance = (
        Attendance.objects.filter(home__in=figures.keys(), date__gte=start, date__lt=end)
        .values("home")
        .annotate(days=Count("pk"), people=Count("person", distinct=True))
    )
    for row in attendance:
        figures[row["home"]].attendance_days = row["days"]
        figures[row["home"]].attendees = row["people"]
    hours = (
        ServiceRecord.objects.filter(home__in=figures.keys(), date__gte=start, date__lt=end)
        .values("home", "service_type__code")
        .annotate(h=Sum("hours"))
    )
    for row in hours:
        figures[row["home"]].hours_by_type[row["service_type__code"]] = row["h"]
    return list(figures.values())


def people_served_by_service_type(*, user, year: int) -> list[tuple[ServiceType, int]]:
    """Distinct members who attended each service type during the year (homes the user sees),
    plus (None, n) for distinct people across all types."""
    through = ServiceRecord.attendees.through
    scoped = scope_to_towns(
        through.objects.filter(servicerecord__date__year=year),
        user,
        field="servicerecord__home__town",
    )
    counts = defaultdict(int)
    for row in scoped.values("servicerecord__service_type").annotate(
        n=Count("person", distinct=True)
    ):
        counts[row["servicerecord__service_type"]] = row["n"]
    rows: list[tuple[ServiceType | None, int]] = [
        (t, counts.get(t.pk, 0)) for t in ServiceType.objects.all()
    ]
    rows.append((None, scoped.values("person").distinct().count()))
    return rows
