"""The portal's roles (Django groups) and the permissions each carries.

Each app declares ``ROLE_PERMISSIONS = {Role.X: ["app.codename", ...]}`` in its own
``roles.py`` and registers it from its ``AppConfig.ready()`` with
:func:`role_permissions_register` (accounts is below the domain apps and imports none of them);
:func:`sync_roles` merges them and sets every group's permissions after each ``migrate``. The
管理员 group carries every permission.
"""

from django.apps import apps as global_apps


class Role:
    CASEWORKER = "经办人"
    TOWN_REVIEWER = "乡镇审核人"
    REVIEWER = "审核人"
    OFFICIAL = "领导"
    INTEGRITY = "纪检"
    ADMIN = "管理员"

    ALL = (CASEWORKER, TOWN_REVIEWER, REVIEWER, OFFICIAL, INTEGRITY, ADMIN)


ROLE_PERMISSIONS = {
    Role.CASEWORKER: [
        "people.view_persontransfer",
        "people.add_persontransfer",
        "people.view_person",
        "people.add_person",
        "people.change_person",
        "people.view_area",
    ],
    Role.TOWN_REVIEWER: [
        "people.view_persontransfer",
        "people.add_persontransfer",
        "people.view_person",
        "people.add_person",
        "people.change_person",
        "people.view_area",
    ],
    Role.REVIEWER: [
        "people.view_persontransfer",
        "people.approve_persontransfer",
        "accounts.view_all_towns",
        "people.view_person",
        "people.add_person",
        "people.change_person",
        "people.view_area",
        "people.view_sensitive",
    ],
    Role.OFFICIAL: ["accounts.view_all_towns", "people.view_person", "people.view_area"],
    Role.INTEGRITY: [
        "accounts.view_all_towns",
        "people.view_area",
        "people.view_sensitiveaccesslog",
    ],
    Role.ADMIN: [],  # every permission, see sync_roles
}


_APP_ROLE_PERMISSIONS: dict[str, dict[str, list[str]]] = {}


def role_permissions_register(app: str, permissions: dict[str, list[str]]) -> None:
    """Add app ``app``'s role → permission lists (its ``roles.ROLE_PERMISSIONS``); called from
    the app's ``AppConfig.ready()``. Registering the same app again replaces its lists.

    Raises: ValueError if a role is not one of ``Role.ALL``."""
    unknown = set(permissions) - set(Role.ALL)
    if unknown:
        raise ValueError(f"{app}: unknown roles {sorted(unknown)}")
    _APP_ROLE_PERMISSIONS[app] = permissions


def collected_role_permissions() -> dict[str, set[str]]:
    """Every role's permissions: accounts' own lists and every registered app's, merged
    (role → {"app.codename", …})."""
    merged: dict[str, set[str]] = {role: set(perms) for role, perms in ROLE_PERMISSIONS.items()}
    for permissions in _APP_ROLE_PERMISSIONS.values():
        for role, perms in permissions.items():
            merged.setdefault(role, set()).update(perms)
    return merged


def sync_roles() -> None:
    """Create the groups and give each exactly its permissions."""
    from django.contrib.auth.models import Group, Permission

    wanted = collected_role_permissions()
    all_perms = {
        f"{p.content_type.app_label}.{p.codename}": p
        for p in Permission.objects.select_related("content_type")
    }
    for role in Role.ALL:
        group, _ = Group.objects.get_or_create(name=role)
        if role == Role.ADMIN:
            group.permissions.set(all_perms.values())
        else:
            group.permissions.set([all_perms[p] for p in wanted.get(role, ()) if p in all_perms])


def sync_roles_after_migrate(sender, **kwargs) -> None:
    configs = list(global_apps.get_app_configs())
    if sender is configs[-1] or sender.name == configs[-1].name:
        sync_roles()
