"""The person page's panels: each domain app contributes one through dfed.people.extensions,
shown per permission, scoped to the user's towns, with a button that opens the app's create
form for this person."""

from datetime import date

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.urls import reverse
from django.utils import timezone

from dfed.accounts.roles import Role
from dfed.core.masking import mask_id_number
from dfed.people.extensions import person_panels
from homes.models import Membership
from homes.tests.factories import HomeFactory
from subsidies.models import Application, SubsidyType
from subsidies.tests.factories import EntitlementFactory


@pytest.fixture
def person(person_factory, areas):
    return person_factory(name="王面板", community=areas["community_a1"])


def page(client, user, person):
    client.force_login(user)
    return client.get(reverse("people:person-detail", args=[person.pk]))


def test_every_domain_app_registers_its_panel():
    assert [p.app for p in person_panels()] == ["subsidies", "homes", "accessibility"]


def test_caseworker_sees_three_panels_with_buttons_for_this_person(client, caseworker, person):
    EntitlementFactory(person=person, type=SubsidyType.LIVING)
    body = page(client, caseworker, person).content.decode()
    for app in ("subsidies", "homes", "accessibility"):
        assert f'data-testid="panel-{app}"' in body
    assert f"{reverse('subsidies:application-create')}?person={person.pk}" in body
    assert f"{reverse('homes:membership-create')}?person={person.pk}" in body
    assert f"{reverse('accessibility:project-create')}?person={person.pk}" in body
    assert 'data-testid="panel-entitlements"' in body


def test_official_sees_panels_without_buttons(client, official, person):
    body = page(client, official, person).content.decode()
    assert 'data-testid="panel-subsidies"' in body
    assert "panel-action-" not in body


def test_a_role_without_subsidy_permission_sees_no_subsidy_panel(client, make_user, town_a, person):
    user = make_user("registry_only", Role.CASEWORKER, towns=[town_a])
    user.groups.clear()
    user.user_permissions.add(
        Permission.objects.get(codename="view_person", content_type__app_label="people"),
        Permission.objects.get(codename="view_membership", content_type__app_label="homes"),
    )
    user = get_user_model().objects.get(pk=user.pk)
    body = page(client, user, person).content.decode()
    assert 'data-testid="panel-homes"' in body
    assert 'data-testid="panel-subsidies"' not in body
    assert 'data-testid="panel-accessibility"' not in body
    assert "panel-action-" not in body


def test_panels_hold_to_the_users_towns(client, caseworker, person, areas, person_factory):
    other = person_factory(community=areas["community_b1"])
    assert page(client, caseworker, other).status_code == 404
    home_b = HomeFactory(name="B镇的家", community=areas["community_b1"])
    Membership.objects.create(home=home_b, person=person, joined_on=date(2025, 1, 1))
    body = page(client, caseworker, person).content.decode()
    assert "B镇的家" not in body
    assert "未加入残疾人之家" in body


def test_application_form_opened_from_the_person_page_preselects_the_person(
    client, caseworker, person
):
    client.force_login(caseworker)
    url = f"{reverse('subsidies:application-create')}?person={person.pk}"
    body = client.get(url).content.decode()
    assert f"王面板（{mask_id_number(person.id_number)}）" in body
    assert person.id_number not in body
    response = client.post(url, {"person": person.pk, "type": SubsidyType.LIVING, "save": "1"})
    assert response.status_code == 302
    assert Application.objects.get().person == person


def test_preselection_ignores_a_person_outside_the_users_towns(
    client, caseworker, areas, person_factory
):
    other = person_factory(name="外镇人", community=areas["community_b1"])
    client.force_login(caseworker)
    url = f"{reverse('accessibility:project-create')}?person={other.pk}"
    assert "外镇人" not in client.get(url).content.decode()
    response = client.post(url, {"person": other.pk, "year": 2026, "needs": ""})
    assert response.status_code == 400


def test_membership_form_joins_the_preselected_person(client, caseworker, person, areas):
    home = HomeFactory(name="A镇的家", community=areas["community_a1"])
    client.force_login(caseworker)
    url = f"{reverse('homes:membership-create')}?person={person.pk}"
    assert "A镇的家" in client.get(url).content.decode()
    today = timezone.localdate().isoformat()
    response = client.post(url, {"person": person.pk, "home": home.pk, "joined_on": today})
    assert response.status_code == 302
    assert response["Location"] == reverse("homes:home-detail", args=[home.pk])
    assert Membership.objects.get(person=person).home == home
    body = page(client, caseworker, person).content.decode()
    assert "A镇的家" in body
    assert f"{reverse('homes:membership-create')}?person={person.pk}" not in body
