import pytest

from .factories import demo_rates
from .findings_data import world  # noqa: F401 - a fixture for the comparison tests


@pytest.fixture
def rates(db):
    return demo_rates()


@pytest.fixture
def person(person_factory, areas):
    """A 低保, level-2 physical disability person of town A."""
    return person_factory(community=areas["community_a1"])


@pytest.fixture
def person_b(person_factory, areas):
    return person_factory(community=areas["community_b1"])
