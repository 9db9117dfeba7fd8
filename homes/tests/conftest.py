import pytest

from dfed.accounts.roles import Role
from homes.tests.factories import HomeFactory, small_template


@pytest.fixture
def home_a(areas):
    return HomeFactory(name="A镇阳光家园", community=areas["community_a1"])


@pytest.fixture
def home_b(areas):
    return HomeFactory(name="B镇阳光家园", community=areas["community_b1"])


@pytest.fixture
def template(db):
    return small_template(2026)


@pytest.fixture
def reviewer2(make_user, areas):
    return make_user("reviewer2", Role.REVIEWER)
