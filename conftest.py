"""Fixtures shared by every app's tests: areas, users per role, people."""

import os

import pytest
from django.conf import settings

from dfed.accounts.roles import Role


def pytest_sessionstart(session):
    """Under CI the suite must run on PostgreSQL and Redis; a missing service fails the run."""
    if os.environ.get("CI", "").lower() not in ("1", "true", "yes"):
        return
    problems = []
    if settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql":
        problems.append("CI 需要 PostgreSQL：请设置 DATABASE_URL")
    if not settings.REDIS_URL:
        problems.append("CI 需要 Redis：请设置 REDIS_URL")
    else:
        import redis

        try:
            redis.Redis.from_url(settings.REDIS_URL, socket_connect_timeout=2).ping()
        except Exception as exc:  # noqa: BLE001
            problems.append(f"Redis 无法连接：{exc}")
    if problems:
        pytest.exit("；".join(problems), returncode=3)


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def areas(db):
    """A district with two towns (A, B) of two communities each."""
    from dfed.people.tests.factories import area_tree

    return area_tree()


@pytest.fixture
def town_a(areas):
    return areas["town_a"]


@pytest.fixture
def town_b(areas):
    return areas["town_b"]


@pytest.fixture
def make_user(db):
    from dfed.accounts.tests.factories import user_with_role

    return user_with_role


@pytest.fixture
def caseworker(make_user, town_a):
    return make_user("caseworker", Role.CASEWORKER, towns=[town_a])


@pytest.fixture
def town_reviewer(make_user, town_a):
    return make_user("townhead", Role.TOWN_REVIEWER, towns=[town_a])


@pytest.fixture
def reviewer(make_user, areas):
    return make_user("reviewer", Role.REVIEWER)


@pytest.fixture
def official(make_user, areas):
    return make_user("official", Role.OFFICIAL)


@pytest.fixture
def integrity_officer(make_user, areas):
    return make_user("jijian", Role.INTEGRITY)


@pytest.fixture
def admin_user(make_user, areas):
    return make_user("admin", Role.ADMIN, is_staff=True)


@pytest.fixture
def person_factory(areas):
    from dfed.people.tests.factories import PersonFactory

    return PersonFactory
