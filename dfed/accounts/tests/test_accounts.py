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


@pytest.fixture
def restore_language():
    """A request in English leaves English active in this thread: put the default back."""
    from django.conf import settings
    from django.utils import translation

    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.mark.parametrize(
    ("language", "shown", "hidden"),
    [("en", "Caseworker", "经办人"), ("zh-hans", "经办人", "Caseworker")],
)
def test_the_user_menu_names_the_role_in_the_page_language(
    client, caseworker, language, shown, hidden, restore_language
):
    """The role under the user menu is a label, not the group's stored Chinese name."""
    from dfed.accounts.roles import ROLE_LABELS, role_label

    client.force_login(caseworker)
    client.cookies["django_language"] = language
    page = client.get(reverse("password_change")).content.decode()
    assert shown in page
    assert hidden not in page
    assert ("（" in page) == (language == "zh-hans")  # the towns' brackets follow the language
    assert role_label("某个自建组") == "某个自建组"
    assert set(Role.ALL) <= set(ROLE_LABELS)
