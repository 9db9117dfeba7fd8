"""Reads of areas and people; every user-facing read is scoped by town."""

import re
from datetime import date, datetime

from django.db.models import Case, Count, Q, QuerySet, TextField, When
from django.db.models.functions import Cast, Reverse
from django.shortcuts import get_object_or_404
from django.utils import timezone

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
    PersonYearCount,
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


ID_LIKE = re.compile(r"^[0-9]{1,17}[0-9X]?[0-9]{0,2}$")


def person_search(queryset: QuerySet, text: str, *, viewer, path: str = "") -> QuerySet:
    """Narrow ``queryset`` by name or by ID / certificate number, choosing by the query's shape
    so that each shape is served by an index at province scale (1.5M people):

    - a whole ID number (18 characters): equality on the unique index;
    - a whole certificate number (20): its ID part by equality, then the certificate;
    - other digits, for holders of ``people.view_sensitive`` only: an ID-number prefix
      (pattern-ops index) or ending (index on the reversed number); certificate prefixes longer
      than an ID by its ID part. For everyone else a number matches only whole, so a prefix of
      the masked digits finds nothing (no search oracle);
    - a name of three or more characters: anywhere in the name (pg_trgm index);
    - a name of one or two characters — most Chinese names: names starting with it (pattern-ops
      index), since a trigram index cannot serve fewer than three characters.

    ``path`` leads from the queryset's model to the person (``"person__"`` for applications).
    The one place registry search is decided (rule source: the trust and province-scale issues).
    """
    text = (text or "").strip()
    if not text:
        return queryset
    number = normalize_id_number(text)
    if ID_LIKE.match(number):
        return queryset.filter(_number_q(number, sensitive=can_view_sensitive(viewer), path=path))
    if len(text) >= 3:
        return queryset.filter(**{f"{path}name__icontains": text})
    return queryset.filter(**{f"{path}name__startswith": text})


PERSON_LOOKUP_LIMIT = 20


def person_lookup(*, user, text: str, active_only: bool = False) -> list[Person]:
    """Up to ``PERSON_LOOKUP_LIMIT`` people the user may see matching ``text`` by name or ID /
    certificate number (the rules of :func:`person_search`: whole numbers only without
    ``view_sensitive``), in-register people first, then by name. ``active_only``: in-register
    people only. Nothing for an empty ``text``. For the person picker (dfed.people.pickers)."""
    text = (text or "").strip()
    if not text:
        return []
    people = person_list_visible_to(user)
    if active_only:
        people = people.filter(status=Person.Status.ACTIVE)
    people = person_search(people, text, viewer=user)
    in_register = Case(When(status=Person.Status.ACTIVE, then=0), default=1)
    return list(people.order_by(in_register, "name", "pk")[:PERSON_LOOKUP_LIMIT])


def _number_q(number: str, *, sensitive: bool, path: str) -> Q:
    if len(number) == 18:
        return Q(**{f"{path}id_number": number})
    if len(number) == 20:
        return Q(**{f"{path}id_number": number[:18], f"{path}certificate_number": number})
    if not sensitive:
        return Q(pk__in=[])  # a part of a number finds nothing without view_sensitive
    if len(number) > 18:
        return Q(
            **{f"{path}id_number": number[:18], f"{path}certificate_number__startswith": number}
        )
    # Starts or ends with the digits: one subquery, a UNION of two index scans (an OR of the two
    # conditions would scan the whole registry).
    starts = Person.objects.filter(id_number__startswith=number).values("pk")
    ends = (
        Person.objects.annotate(_reversed=Reverse(Cast("id_number", TextField())))
        .filter(_reversed__startswith=number[::-1])
        .values("pk")
    )
    return Q(**{f"{path}pk__in": starts.union(ends)})


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


def person_year_counts_compute(year: int) -> dict[str, int]:
    """The registry as of the end of ``year``, straight from the people table (one scan):
    ``{"people", "severe", "new"}`` (see ``PersonYearCount``). The year's bounds are local
    midnights, compared with ``created_at`` as timestamps (an index can serve them)."""
    start = timezone.make_aware(datetime(year, 1, 1))
    end = timezone.make_aware(datetime(year + 1, 1, 1))
    on_register = Person.objects.filter(created_at__lt=end).filter(
        Q(status=Person.Status.ACTIVE) | Q(status_date__gte=date(year + 1, 1, 1))
    )
    return on_register.aggregate(
        people=Count("pk"),
        severe=Count("pk", filter=Q(level__in=[1, 2])),
        new=Count("pk", filter=Q(created_at__gte=start)),
    )


def person_year_figures(*, year: int) -> dict[str, int]:
    """The registry as of the end of ``year``: ``{"people", "severe", "new"}`` (people on the
    register on 31 December, of them levels 1–2, of them registered during the year). Read from
    the nightly ``PersonYearCount``; a year not summarised yet is computed from the registry."""
    row = PersonYearCount.objects.filter(year=year).values("people", "severe", "new").first()
    return row if row is not None else person_year_counts_compute(year)
