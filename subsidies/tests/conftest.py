from datetime import date

import pytest

from subsidies.models import SubsidyType, Tier
from subsidies.services import entitlement_open

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


@pytest.fixture
def people(rates, person_factory, areas, reviewer):
    """Four people of town A paid through February by the old process (living 300 a month);
    the first also receives care (level 2, 200 a month)."""
    people = {}
    for key in ("ok", "account", "dead", "other"):
        person = person_factory(community=areas["community_a1"], level=2)
        people[key] = person
        entitlement_open(
            person=person,
            type=SubsidyType.LIVING,
            tier=Tier.NONE,
            start_month=date(2025, 1, 1),
            paid_through=date(2025, 2, 1),
            by=reviewer,
        )
    entitlement_open(
        person=people["ok"],
        type=SubsidyType.CARE,
        tier=Tier.LEVEL2,
        start_month=date(2025, 1, 1),
        paid_through=date(2025, 2, 1),
        by=reviewer,
    )
    return people
