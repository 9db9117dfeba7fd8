import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from dfed.accounts.roles import Role

from .factories import PASSWORD


@pytest.mark.django_db
def test_role_groups_exist_with_permissions():
    names = set(Group.objects.values_list("name", flat=True))
    assert set(Role.ALL) <= names
    reviewer = Group.objects.get(name=Role.REVIEWER)
    assert reviewer.permissions.filter(codename="view_all_towns").exists()
    caseworker = Group.objects.get(name=Role.CASEWORKER)
    assert not caseworker.permissions.filter(codename="view_sensitive").exists()


@pytest.mark.django_db
def test_login_page_is_chinese(client):
    page = client.get(reverse("login")).content.decode()
    assert "登录" in page
    assert 'lang="zh-CN"' in page


def test_lockout_after_five_failures(client, caseworker):
    url = reverse("login")
    for _ in range(5):
        response = client.post(url, {"username": "caseworker", "password": "wrong"})
    response = client.post(url, {"username": "caseworker", "password": PASSWORD})
    assert response.status_code == 429
    assert "锁定15分钟" in response.content.decode()


def test_login_succeeds_and_lands_on_home(client, caseworker):
    response = client.post(reverse("login"), {"username": "caseworker", "password": PASSWORD})
    assert response.status_code == 302
    assert client.get(response.url).status_code == 200


def test_pages_require_login(client, db):
    response = client.get(reverse("people:person-list"))
    assert response.status_code == 302
    assert reverse("login") in response.url


# --- Roles: each app registers its permissions (no module loaded by name) -----------------------


def test_every_app_with_a_roles_module_registers_it():
    """An app with ``roles.py`` hands its ``ROLE_PERMISSIONS`` over in ``ready()``; a missing
    registration would silently drop a role's permissions, so it is checked here."""
    from importlib.util import find_spec

    from django.apps import apps

    from dfed.accounts.roles import _APP_ROLE_PERMISSIONS

    with_roles = {
        config.label
        for config in apps.get_app_configs()
        if config.name != "dfed.accounts" and find_spec(f"{config.name}.roles") is not None
    }
    assert with_roles == set(_APP_ROLE_PERMISSIONS)
    assert {"subsidies", "homes", "accessibility", "integrity"} <= with_roles


def test_registered_permissions_reach_the_groups(db):
    from dfed.accounts.roles import collected_role_permissions

    assert "subsidies.submit_application" in collected_role_permissions()[Role.CASEWORKER]
    caseworkers = Group.objects.get(name=Role.CASEWORKER)
    assert caseworkers.permissions.filter(codename="submit_application").exists()


def test_registering_an_unknown_role_fails_loudly():
    from dfed.accounts.roles import role_permissions_register

    with pytest.raises(ValueError, match="unknown roles"):
        role_permissions_register("demo", {"保洁员": ["x.y"]})
