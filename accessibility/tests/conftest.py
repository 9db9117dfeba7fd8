import pytest
from django.utils import timezone

from .factories import RetrofitItemFactory, budget


@pytest.fixture
def year():
    return timezone.localdate().year


@pytest.fixture
def household(person_factory, areas):
    """A 低保 household in town A."""
    return person_factory(name="张低保", community=areas["community_a1"])


@pytest.fixture
def other_household(person_factory, areas):
    """A 低保 household in town B."""
    return person_factory(name="李外镇", community=areas["community_b1"])


@pytest.fixture
def grab_bar(year):
    return RetrofitItemFactory(year=year, name="卫生间扶手", unit="套", price_cap="500.00")


@pytest.fixture
def budget_a(town_a, year):
    return budget(town_a, "10000.00", year)


@pytest.fixture
def budget_b(town_b, year):
    return budget(town_b, "10000.00", year)
