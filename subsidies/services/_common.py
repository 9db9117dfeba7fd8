from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from dfed.core.scoping import user_town_ids


def require(user, perm: str, *, town_id: int | None = None) -> None:
    """Raise ``PermissionDenied`` unless ``user`` has ``perm`` (and sees ``town_id``)."""
    if user is None or not user.has_perm(perm):
        raise PermissionDenied(_("您没有权限执行此操作"))
    if town_id is not None:
        towns = user_town_ids(user)
        if towns is not None and town_id not in towns:
            raise PermissionDenied(_("您没有权限办理其他镇街道的业务"))


def save_with_history(instance, *, by, reason: str, update_fields=None) -> None:
    instance._history_user = by
    instance._change_reason = reason
    instance.save(update_fields=update_fields)
