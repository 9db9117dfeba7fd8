"""Reads of the accessibility app; every user-facing read is scoped by town (404 outside)."""

from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, DecimalField, Prefetch, Q, QuerySet, Sum, Value
from django.db.models.functions import Coalesce
from django.shortcuts import get_object_or_404
from django.utils import timezone

from dfed.core.scoping import scope_to_towns
from dfed.core.validators import normalize_id_number
from dfed.people.models import Area, Person
from dfed.people.selectors import area_list_towns, person_list_visible_to

from .models import (
    AccessibleCommunity,
    CommunityCheck,
    Photo,
    ProjectItem,
    ProjectStep,
    RetrofitBudget,
    RetrofitItem,
    RetrofitProject,
)

ZERO = Decimal("0.00")
_MONEY = DecimalField(max_digits=14, decimal_places=2)


def current_year() -> int:
    return timezone.localdate().year


def project_year_choices() -> list[int]:
    years = set(RetrofitProject.objects.values_list("year", flat=True).distinct())
    years |= set(RetrofitBudget.objects.values_list("year", flat=True).distinct())
    years.add(current_year())
    return sorted(years, reverse=True)


# --- Retrofit projects ------------------------------------------------------------------------


def project_list_visible_to(user) -> QuerySet[RetrofitProject]:
    queryset = RetrofitProject.objects.select_related("person", "person__community", "town")
    return scope_to_towns(queryset, user)


def project_get_visible(*, user, pk) -> RetrofitProject:
    """One project the user may see, with items, steps and photos; 404 otherwise."""
    queryset = project_list_visible_to(user).prefetch_related(
        Prefetch("items", queryset=ProjectItem.objects.select_related("item")),
        Prefetch("steps", queryset=ProjectStep.objects.select_related("by")),
        Prefetch("photos", queryset=Photo.objects.select_related("uploaded_by")),
    )
    return get_object_or_404(queryset.select_related("approved_by", "applied_by"), pk=pk)


def photo_get_visible(*, user, pk) -> Photo:
    queryset = scope_to_towns(Photo.objects.select_related("project"), user, field="project__town")
    return get_object_or_404(queryset, pk=pk)


def person_find_for_application(*, user, id_number: str) -> Person | None:
    """The person with this ID number among those the user may see."""
    number = normalize_id_number(id_number)
    if not number:
        return None
    return person_list_visible_to(user).filter(id_number=number).first()


def retrofit_item_list_for_year(year: int) -> QuerySet[RetrofitItem]:
    return RetrofitItem.objects.filter(year=year, active=True).order_by("category", "name")


def _committed_expression():
    return Coalesce(
        Sum(
            Coalesce("actual_total", "approved_amount"),
            filter=Q(approved_amount__isnull=False) & ~Q(status=RetrofitProject.Status.TERMINATED),
        ),
        Value(ZERO),
        output_field=_MONEY,
    )


@dataclass
class BudgetPosition:
    budget: Decimal | None
    committed: Decimal

    @property
    def remaining(self) -> Decimal:
        return (self.budget or ZERO) - self.committed


def budget_position(*, town: Area, year: int, exclude_pk=None) -> BudgetPosition:
    """A town's budget for the year and what approved projects take from it (actual cost when
    recorded, else the approved amount)."""
    budget = RetrofitBudget.objects.filter(town=town, year=year).first()
    projects = RetrofitProject.objects.filter(town=town, year=year)
    if exclude_pk is not None:
        projects = projects.exclude(pk=exclude_pk)
    committed = projects.aggregate(total=_committed_expression())["total"]
    return BudgetPosition(budget=budget.amount if budget else None, committed=committed)


@dataclass
class TownFigures:
    town: Area
    budget: Decimal | None = None
    committed: Decimal = ZERO
    spent: Decimal = ZERO
    completed: int = 0
    in_progress: int = 0

    @property
    def remaining(self) -> Decimal:
        return (self.budget or ZERO) - self.committed

    @property
    def execution_rate(self) -> Decimal | None:
        if not self.budget:
            return None
        return (self.spent / self.budget * 100).quantize(Decimal("0.1"))


@dataclass
class YearFigures:
    year: int
    towns: list[TownFigures] = field(default_factory=list)

    @property
    def budget(self) -> Decimal:
        return sum((t.budget or ZERO for t in self.towns), ZERO)

    @property
    def committed(self) -> Decimal:
        return sum((t.committed for t in self.towns), ZERO)

    @property
    def spent(self) -> Decimal:
        return sum((t.spent for t in self.towns), ZERO)

    @property
    def completed(self) -> int:
        return sum(t.completed for t in self.towns)

    @property
    def in_progress(self) -> int:
        return sum(t.in_progress for t in self.towns)


def retrofit_figures_for_year(*, user, year: int) -> YearFigures:
    """Households completed and money spent in a year, budget vs actual per town the user sees."""
    return _retrofit_figures(year=year, towns=list(area_list_towns(user=user)))


def _retrofit_figures(*, year: int, towns: list[Area]) -> YearFigures:
    figures = {t.pk: TownFigures(town=t) for t in towns}
    for budget in RetrofitBudget.objects.filter(year=year, town__in=towns):
        figures[budget.town_id].budget = budget.amount
    rows = (
        RetrofitProject.objects.filter(year=year, town__in=towns)
        .values("town")
        .annotate(
            committed=_committed_expression(),
            spent=Coalesce(
                Sum("actual_total", filter=Q(status=RetrofitProject.Status.COMPLETED)),
                Value(ZERO),
                output_field=_MONEY,
            ),
            completed=Count("pk", filter=Q(status=RetrofitProject.Status.COMPLETED)),
            in_progress=Count("pk", filter=~Q(status__in=RetrofitProject.CLOSED)),
        )
    )
    for row in rows:
        town = figures[row["town"]]
        town.committed, town.spent = row["committed"], row["spent"]
        town.completed, town.in_progress = row["completed"], row["in_progress"]
    return YearFigures(year=year, towns=[figures[t.pk] for t in towns])


def project_count_by_status(
    *, user, year: int, towns: Iterable[int] | None = None
) -> dict[str, int]:
    """How many of the year's projects the user may see (in ``towns``, ids, when given) are in
    each status (every status keyed)."""
    counts = dict.fromkeys(RetrofitProject.Status.values, 0)
    projects = project_list_visible_to(user).filter(year=year)
    if towns is not None:
        projects = projects.filter(town__in=list(towns))
    rows = projects.order_by().values("status")
    for row in rows.annotate(n=Count("pk")):
        counts[row["status"]] = row["n"]
    return counts


def project_status_choices() -> list[tuple[str, str]]:
    """Every project status as (value, label), in pipeline order."""
    return list(RetrofitProject.Status.choices)


# --- For reports (dashboards and the annual summary) -----------------------------------------


@dataclass(frozen=True)
class AccessibilityYearFigures:
    """A year of 无障碍改造: the retrofit figures per town (money in 元) and the communities whose
    accessible-community creation passed acceptance."""

    retrofits: YearFigures
    communities_passed: int


def accessibility_figures_for_year(
    *, year: int, towns: Iterable[int] | None = None
) -> AccessibilityYearFigures:
    """The year's figures, district-wide or for ``towns`` (ids)."""
    areas = area_list_towns()
    communities = AccessibleCommunity.objects.filter(
        year=year, status=AccessibleCommunity.Status.PASSED
    )
    if towns is not None:
        towns = list(towns)
        areas = areas.filter(pk__in=towns)
        communities = communities.filter(town__in=towns)
    return AccessibilityYearFigures(
        retrofits=_retrofit_figures(year=year, towns=list(areas)),
        communities_passed=communities.count(),
    )


@dataclass(frozen=True)
class AccessibilityWorkQueue:
    """Retrofit projects in hand: returned ones, those under way, those waiting for approval."""

    returned: int
    in_progress: int
    to_approve: int


def accessibility_work_queue(*, user, towns: Iterable[int] | None = None) -> AccessibilityWorkQueue:
    """Projects in ``towns`` (ids; ``None``: all) waiting for caseworkers and approvers."""
    projects = RetrofitProject.objects.all()
    if towns is not None:
        projects = projects.filter(town__in=list(towns))
    S = RetrofitProject.Status
    return AccessibilityWorkQueue(
        returned=projects.filter(status=S.RETURNED).count(),
        in_progress=projects.exclude(status__in=[*RetrofitProject.CLOSED, S.RETURNED]).count(),
        to_approve=projects.filter(status=S.APPROVAL).count(),
    )


# --- Accessible communities -------------------------------------------------------------------


def community_list_visible_to(user) -> QuerySet[AccessibleCommunity]:
    queryset = (
        AccessibleCommunity.objects.select_related("community", "town")
        .annotate(
            checks_total=Count("checks"),
            checks_done=Count("checks", filter=Q(checks__state=CommunityCheck.State.DONE)),
        )
        .order_by("-year", "town__code", "community__code", "pk")
    )
    return scope_to_towns(queryset, user)


def community_get_visible(*, user, pk) -> AccessibleCommunity:
    queryset = community_list_visible_to(user).prefetch_related(
        Prefetch("checks", queryset=CommunityCheck.objects.select_related("item", "updated_by"))
    )
    return get_object_or_404(queryset, pk=pk)


def community_check_get_visible(*, user, pk) -> CommunityCheck:
    queryset = scope_to_towns(
        CommunityCheck.objects.select_related("creation", "item"), user, field="creation__town"
    )
    return get_object_or_404(queryset, pk=pk)


def community_year_choices() -> list[int]:
    years = set(AccessibleCommunity.objects.values_list("year", flat=True).distinct())
    years.add(current_year())
    return sorted(years, reverse=True)
