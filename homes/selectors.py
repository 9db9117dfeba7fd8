"""Reads for 残疾人之家; every user-facing read is scoped to the user's towns."""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.db.models import Count, IntegerField, OuterRef, Q, QuerySet, Subquery, Sum
from django.shortcuts import get_object_or_404
from django.utils import timezone

from dfed.core.months import month_add, month_start
from dfed.core.scoping import scope_to_towns
from dfed.people.models import Area, Person
from dfed.people.selectors import area_list_towns, person_list_visible_to

from .models import (
    Attendance,
    Home,
    Membership,
    ServiceRecord,
    ServiceType,
    StarAssessment,
    StarAssessmentTemplate,
)


def _approved_for(home_ref: str = "pk", *, year: int | None = None):
    """The current star rule, in one place: a home's star level is that of its latest approved
    assessment (of ``year`` or before, when given)."""
    approved = StarAssessment.objects.filter(
        home=OuterRef(home_ref), status=StarAssessment.Status.APPROVED
    )
    if year is not None:
        approved = approved.filter(year__lte=year)
    return approved.order_by("-year", "-decided_at", "-pk")


def _current_star(*, year: int | None = None) -> Subquery:
    return Subquery(_approved_for(year=year).values("star_level")[:1], output_field=IntegerField())


def home_list_visible_to(user) -> QuerySet[Home]:
    """Homes the user may see, each annotated with ``current_star`` and ``current_star_year``
    (from its latest approved assessment) and ``member_count`` (open memberships)."""
    approved = _approved_for()
    open_members = Membership.objects.filter(home=OuterRef("pk"), left_on__isnull=True)
    queryset = (
        Home.objects.select_related("town", "community")
        .prefetch_related("services")
        .annotate(
            current_star=_current_star(),
            current_star_year=Subquery(approved.values("year")[:1], output_field=IntegerField()),
            member_count=Subquery(
                open_members.order_by().values("home").annotate(n=Count("pk")).values("n")[:1],
                output_field=IntegerField(),
            ),
        )
    )
    return scope_to_towns(queryset, user)


def home_get_visible(*, user, pk) -> Home:
    return get_object_or_404(home_list_visible_to(user), pk=pk)


def home_members_current(*, home: Home) -> QuerySet[Membership]:
    return home.memberships.filter(left_on__isnull=True).select_related(
        "person", "person__community"
    )


def home_members_past(*, home: Home) -> QuerySet[Membership]:
    return (
        home.memberships.filter(left_on__isnull=False)
        .select_related("person")
        .order_by("-left_on", "pk")
    )


def home_member_people(*, home: Home) -> QuerySet[Person]:
    """The people who are members of a home now."""
    current = home.memberships.filter(left_on__isnull=True).values("person")
    return Person.objects.filter(pk__in=current).order_by("name", "pk")


def home_members_on(*, home: Home, day: date) -> QuerySet[Membership]:
    """Memberships of a home that cover ``day``."""
    return (
        home.memberships.filter(joined_on__lte=day)
        .filter(Q(left_on__isnull=True) | Q(left_on__gte=day))
        .select_related("person")
        .order_by("person__name", "pk")
    )


def home_attendance_on(*, home: Home, day: date) -> set[int]:
    return set(Attendance.objects.filter(home=home, date=day).values_list("person_id", flat=True))


@dataclass
class AttendanceSheet:
    """A home's attendance for a month: one row per member, one column per day."""

    days: list[date]
    rows: list[tuple[Person, list[bool], int]]
    day_totals: list[int]

    @property
    def total(self) -> int:
        return sum(self.day_totals)


def home_attendance_month(*, home: Home, month: date) -> AttendanceSheet:
    start = month_start(month)
    end = month_add(start, 1)
    days = [date.fromordinal(n) for n in range(start.toordinal(), end.toordinal())]
    members = (
        home.memberships.filter(joined_on__lt=end)
        .filter(Q(left_on__isnull=True) | Q(left_on__gte=start))
        .select_related("person")
        .order_by("person__name", "person_id")
    )
    present = defaultdict(set)
    for person_id, day in Attendance.objects.filter(
        home=home, date__gte=start, date__lt=end
    ).values_list("person_id", "date"):
        present[person_id].add(day)
    rows, seen = [], set()
    for membership in members:
        if membership.person_id in seen:
            continue
        seen.add(membership.person_id)
        marks = [d in present[membership.person_id] for d in days]
        rows.append((membership.person, marks, sum(marks)))
    day_totals = [sum(1 for _p, marks, _t in rows if marks[i]) for i in range(len(days))]
    return AttendanceSheet(days=days, rows=rows, day_totals=day_totals)


def person_find_for_membership(*, user, text: str) -> Person | None:
    """An active person the user may see, by full ID number or certificate number."""
    from dfed.core.validators import normalize_id_number

    number = normalize_id_number(text or "")
    if not number:
        return None
    people = person_list_visible_to(user).filter(status=Person.Status.ACTIVE)
    # A certificate number is the ID number and two digits, so both go by the ID's index.
    people = people.filter(id_number=number[:18])
    return people.filter(Q(id_number=number) | Q(certificate_number=number)).first()


def service_type_list() -> QuerySet[ServiceType]:
    return ServiceType.objects.all()


def service_record_list_visible_to(user) -> QuerySet[ServiceRecord]:
    queryset = ServiceRecord.objects.select_related("home", "home__town", "service_type").annotate(
        attendee_count=Count("attendees")
    )
    return scope_to_towns(queryset, user, field="home__town").order_by("-date", "-pk")


def service_record_list_for_home(*, home: Home) -> QuerySet[ServiceRecord]:
    return (
        home.service_records.select_related("service_type")
        .annotate(attendee_count=Count("attendees"))
        .order_by("-date", "-pk")
    )


# --- Assessments ----------------------------------------------------------------------------


def assessment_list_visible_to(user) -> QuerySet[StarAssessment]:
    queryset = StarAssessment.objects.select_related(
        "home", "home__town", "created_by", "submitted_by", "decided_by", "template"
    )
    return scope_to_towns(queryset, user, field="home__town")


def assessment_get_visible(*, user, pk) -> StarAssessment:
    return get_object_or_404(assessment_list_visible_to(user), pk=pk)


def assessment_scores_by_section(*, assessment: StarAssessment):
    """[(section label, [ItemScore, …], section max, section score)] in sheet order."""
    from .models import TemplateItem

    lines = list(assessment.scores.select_related("item").order_by("item__order", "item_id"))
    sections: dict[str, list] = {}
    for line in lines:
        sections.setdefault(line.item.section, []).append(line)
    out = []
    for value, label in TemplateItem.Section.choices:
        if value in sections:
            group = sections[value]
            out.append(
                (
                    label,
                    group,
                    sum((g.item.max_points for g in group), Decimal("0")),
                    sum((g.score or Decimal("0") for g in group), Decimal("0")),
                )
            )
    return out


def assessment_star_counts(*, user, year: int) -> dict[int, int]:
    """Approved assessments of a year by star level (5 → 1), for reports."""
    counts = dict.fromkeys((5, 4, 3, 2, 1), 0)
    rows = (
        assessment_list_visible_to(user)
        .filter(year=year, status=StarAssessment.Status.APPROVED)
        .values("star_level")
        .annotate(n=Count("pk"))
    )
    for row in rows:
        counts[row["star_level"]] = row["n"]
    return counts


def template_list() -> QuerySet[StarAssessmentTemplate]:
    return StarAssessmentTemplate.objects.annotate(item_count=Count("items"))


def template_get(*, pk) -> StarAssessmentTemplate:
    return get_object_or_404(StarAssessmentTemplate, pk=pk)


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
