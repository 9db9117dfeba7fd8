"""Reads of areas and people; every user-facing read is scoped by town."""

from django.db.models import Q, QuerySet
from django.shortcuts import get_object_or_404

from dfed.core.masking import can_view_sensitive
from dfed.core.scoping import scope_to_towns, user_town_ids
from dfed.core.validators import normalize_id_number

from .models import (
    LIST_ROW_MODELS,
    Area,
    ExternalList,
    Person,
    PersonCount,
    PersonTransfer,
    SensitiveAccessLog,
)


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


def person_list_by_ids_visible(*, user, ids) -> QuerySet[Person]:
    """The people among ``ids`` the user may see: services that take person ids resolve them
    here, so no message ever names someone outside the user's towns."""
    return person_list_visible_to(user).filter(pk__in={int(pk) for pk in ids})


def person_names_for_message(*, user, ids) -> str:
    """Names of ``ids`` for an error message: those the user may see by name, the others only
    counted (「另有 N 人」), never named."""
    from django.utils.translation import gettext as _

    ids = {int(pk) for pk in ids}
    names = list(
        person_list_by_ids_visible(user=user, ids=ids)
        .order_by("name", "pk")
        .values_list("name", flat=True)
    )
    hidden = len(ids) - len(names)
    if hidden:
        names.append(_("另有 %(n)d 人") % {"n": hidden})
    return "、".join(names)


def person_search(queryset: QuerySet, text: str, *, viewer, path: str = "") -> QuerySet:
    """Narrow ``queryset`` by name (anywhere in it) or by ID / certificate number.

    ``path`` leads from the queryset's model to the person (``"person__"`` for applications).
    Holders of ``people.view_sensitive`` may search numbers by prefix or ending; for everyone
    else a number matches only whole (18-character ID, 20-character certificate), so a prefix of
    the masked digits finds nothing (no search oracle). The one place number search is decided.
    """
    text = (text or "").strip()
    if not text:
        return queryset
    number = normalize_id_number(text)
    q = Q(**{f"{path}name__icontains": text})
    if can_view_sensitive(viewer):
        q |= (
            Q(**{f"{path}id_number__startswith": number})
            | Q(**{f"{path}id_number__endswith": number})
            | Q(**{f"{path}certificate_number__startswith": number})
        )
    elif len(number) == 18:
        q |= Q(**{f"{path}id_number": number})
    elif len(number) == 20:
        q |= Q(**{f"{path}certificate_number": number})
    return queryset.filter(q)


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


def person_registered_elsewhere(*, user, id_number: str) -> bool:
    """Whether ``id_number`` is registered in a town the user does not see (the answer a
    registration form may give: never which town, never the record)."""
    number = normalize_id_number(id_number or "")
    if not number:
        return False
    exists = Person.objects.filter(id_number=number)
    return exists.exists() and not person_list_visible_to(user).filter(id_number=number).exists()


def person_transfer_list_visible_to(user) -> QuerySet[PersonTransfer]:
    """Transfers into or out of the user's towns (all of them for district users)."""
    transfers = PersonTransfer.objects.select_related(
        "person", "person__town", "from_community__parent", "to_community__parent", "requested_by"
    )
    town_ids = user_town_ids(user)
    if town_ids is None:
        return transfers
    return transfers.filter(to_community__parent_id__in=town_ids)


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
