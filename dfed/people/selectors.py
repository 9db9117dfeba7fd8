"""Reads of areas and people; every user-facing read is scoped by town."""

from django.db.models import Q, QuerySet
from django.shortcuts import get_object_or_404

from dfed.core.scoping import scope_to_towns, user_town_ids
from dfed.core.validators import normalize_id_number

from .models import LIST_ROW_MODELS, Area, ExternalList, Person, PersonCount, SensitiveAccessLog


def area_list_towns(*, user=None) -> QuerySet[Area]:
    towns = Area.objects.filter(level=Area.Level.TOWN).order_by("code")
    if user is not None:
        town_ids = user_town_ids(user)
        if town_ids is not None:
            towns = towns.filter(pk__in=town_ids)
    return towns


def area_list_communities(*, user=None, town: Area | None = None) -> QuerySet[Area]:
    communities = Area.objects.filter(level=Area.Level.COMMUNITY).select_related("parent")
    if town is not None:
        communities = communities.filter(parent=town)
    if user is not None:
        communities = scope_to_towns(communities, user, field="parent")
    return communities.order_by("code")


def person_list_visible_to(user) -> QuerySet[Person]:
    """The people a user may see: their towns', or the district's."""
    queryset = Person.objects.select_related("town", "community")
    return scope_to_towns(queryset, user)


def person_get_visible(*, user, pk) -> Person:
    """One person the user may see; 404 (never the record) otherwise."""
    return get_object_or_404(person_list_visible_to(user), pk=pk)


def person_search(queryset: QuerySet[Person], text: str) -> QuerySet[Person]:
    """Search by name, ID number or certificate number (full or partial)."""
    text = (text or "").strip()
    if not text:
        return queryset
    number = normalize_id_number(text)
    return queryset.filter(
        Q(name__icontains=text)
        | Q(id_number__startswith=number)
        | Q(id_number__endswith=number)
        | Q(certificate_number__startswith=number)
    )


def sensitive_access_log_list() -> QuerySet[SensitiveAccessLog]:
    return SensitiveAccessLog.objects.select_related("user", "person", "person__town")


def list_rows_current(kind: str) -> QuerySet:
    """The current row of every ID number on the lists of ``kind`` (``ExternalList.Kind``):
    the newest list's row wins, older rows stay as evidence."""
    return LIST_ROW_MODELS[kind].objects.filter(current=True)


def external_list_list(*, kind: str | None = None) -> QuerySet[ExternalList]:
    queryset = ExternalList.objects.select_related("imported_by")
    return queryset.filter(kind=kind) if kind else queryset


def external_list_latest() -> ExternalList | None:
    return ExternalList.objects.order_by("-imported_at", "-pk").first()


def person_count_list(*, town_ids=None, status: str | None = Person.Status.ACTIVE):
    """Rows of the registry summary (town, category, level, status, people), for figures.

    ``town_ids`` None means every town; ``status`` None means every status. Reads the summary
    table kept by ``dfed.people.summaries``, never the registry itself.
    """
    rows = PersonCount.objects.all()
    if town_ids is not None:
        rows = rows.filter(town_id__in=town_ids)
    if status is not None:
        rows = rows.filter(status=status)
    return rows
