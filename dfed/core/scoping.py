"""Row-level scoping by town.

Caseworkers and town reviewers see the towns they serve; users with
``accounts.view_all_towns`` (reviewers, officials, integrity officers, admins) see the district.
Every selector that returns rows for a user goes through :func:`scope_to_towns`.
"""

from django.db.models import QuerySet


def user_sees_district(user) -> bool:
    return bool(user.is_active and (user.is_superuser or user.has_perm("accounts.view_all_towns")))


def user_town_ids(user) -> list[int] | None:
    """The ids of the towns a user may see, or ``None`` for the whole district."""
    if not user.is_authenticated:
        return []
    if user_sees_district(user):
        return None
    cached = getattr(user, "_town_ids_cache", None)
    if cached is None:
        cached = list(user.towns.values_list("pk", flat=True))
        user._town_ids_cache = cached
    return cached


def scope_to_towns(queryset: QuerySet, user, field: str = "town") -> QuerySet:
    """Filter ``queryset`` to the rows whose ``field`` (a town FK path) the user may see."""
    town_ids = user_town_ids(user)
    if town_ids is None:
        return queryset
    return queryset.filter(**{f"{field}__in": town_ids})
