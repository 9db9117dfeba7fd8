"""Writes on homes: create and update, with their services."""

from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from dfed.core.history import save_with_history
from dfed.core.permissions import require

from ..models import (
    SERVICE_TYPES,
    Home,
    ServiceType,
)

HOME_FIELDS = (
    "name",
    "community",
    "address",
    "floor_area",
    "opened_on",
    "operator",
    "capacity",
    "contact_name",
    "contact_phone",
    "status",
    "note",
)


# --- Homes ----------------------------------------------------------------------------------


def _save_home(home: Home, *, by, reason: str, services) -> Home:
    home.full_clean()
    save_with_history(home, by=by, reason=reason)
    if services is not None:
        home.services.set(services)
    return home


@transaction.atomic
def home_create(*, by, services: Iterable[ServiceType] = (), **fields) -> Home:
    """Register a home (``fields``: ``HOME_FIELDS``; floor area in m², capacity in people).

    Raises: PermissionDenied if ``by`` lacks homes.add_home or the community's town;
    ValidationError if a field is invalid."""
    community = fields.get("community")
    require(by, "homes.add_home", town_id=getattr(community, "parent_id", None))
    home = Home(**{k: v for k, v in fields.items() if k in HOME_FIELDS})
    return _save_home(home, by=by, reason=_("新建"), services=list(services))


@transaction.atomic
def home_update(*, home: Home, by, services: Iterable[ServiceType] | None = None, **fields) -> Home:
    """Change a home's ``fields`` (``HOME_FIELDS``) and, when given, its services.

    Raises: PermissionDenied if ``by`` lacks homes.change_home or the home's town (or the new
    community's); ValidationError if a field is invalid or it is closed with members left."""
    require(by, "homes.change_home", town_id=home.town_id)
    if fields.get("community") is not None:
        require(by, "homes.change_home", town_id=fields["community"].parent_id)
    home = Home.objects.select_for_update().get(pk=home.pk)
    for name, value in fields.items():
        if name in HOME_FIELDS:
            setattr(home, name, value)
    if home.status == Home.Status.CLOSED:
        open_members = home.memberships.filter(left_on__isnull=True).count()
        if open_members:
            raise ValidationError(
                {"status": _("还有 %(n)d 名在册成员，请先办理退出再关闭") % {"n": open_members}}
            )
    return _save_home(
        home, by=by, reason=_("修改"), services=None if services is None else list(services)
    )


def service_type_catalogue_ensure() -> dict[str, ServiceType]:
    """Make sure the catalogue's service types exist (a database emptied by a test or a flush
    has none); returns them by code. Idempotent: existing rows are left as they are."""
    for code, name, order in SERVICE_TYPES:
        ServiceType.objects.get_or_create(code=code, defaults={"name": name, "order": order})
    return {t.code: t for t in ServiceType.objects.all()}
