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
