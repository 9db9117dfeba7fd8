"""Writes on homes: create and update, with their services."""

from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from dfed.core.history import save_with_history

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
    home = Home(**{k: v for k, v in fields.items() if k in HOME_FIELDS})
    return _save_home(home, by=by, reason=_("新建"), services=list(services))


@transaction.atomic
def home_update(*, home: Home, by, services: Iterable[ServiceType] | None = None, **fields) -> Home:
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
