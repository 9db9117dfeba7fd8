"""Reads of homes, their members, attendance and service records."""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from django.db.models import Count, IntegerField, OuterRef, Q, QuerySet, Subquery
from django.shortcuts import get_object_or_404

from dfed.core.months import month_add, month_start
from dfed.core.scoping import scope_to_towns
from dfed.people.models import Person
from dfed.people.selectors import person_list_visible_to

from ..models import (
    Attendance,
    Home,
    Membership,
    ServiceRecord,
    ServiceType,
    StarAssessment,
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
