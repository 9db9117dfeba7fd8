"""Who may act: shared by the project and community services."""

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from dfed.core.scoping import user_town_ids
from dfed.people.models import Area


def check_actor(user, perm: str, town: Area | None) -> None:
    """Raise PermissionDenied unless ``user`` holds ``perm`` and may act in ``town``."""
    if not user.has_perm(perm):
        raise PermissionDenied(_("您没有办理此环节的权限"))
    town_ids = user_town_ids(user)
    if town is not None and town_ids is not None and town.pk not in town_ids:
        raise PermissionDenied(_("只能办理本镇街道的事项"))
