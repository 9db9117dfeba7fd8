import pytest

from dfed.people.models import Person
from dfed.people.summaries import person_counts_refresh


@pytest.fixture
def registry(areas, person_factory):
    """Seven people: A镇 has 4 on the register (+1 deceased), B镇 has 2."""
    a1, a2, b1 = areas["community_a1"], areas["community_a2"], areas["community_b1"]
    people = [
        person_factory(community=a1, category=Person.Category.PHYSICAL, level=1),
        person_factory(community=a1, category=Person.Category.PHYSICAL, level=2),
        person_factory(community=a2, category=Person.Category.VISION, level=2),
        person_factory(community=a2, category=Person.Category.MENTAL, level=4),
        person_factory(community=b1, category=Person.Category.PHYSICAL, level=3),
        person_factory(community=b1, category=Person.Category.HEARING, level=1),
    ]
    gone = person_factory(community=a1, category=Person.Category.VISION, level=1)
    Person.objects.filter(pk=gone.pk).update(status="deceased", status_date="2025-03-01")
    person_counts_refresh(town_ids=[gone.town_id])  # a set-based write recounts its town
    return people


@pytest.fixture
def known_year(areas, registry, reviewer, admin_user):
    """Every source's data for 2026 (see dataset.py for the hand-computed figures)."""
    from . import dataset

    batches = dataset.load_subsidies(registry, reviewer)
    homes = dataset.load_homes(areas, registry, admin_user)
    dataset.load_accessibility(areas, registry, admin_user)
    dataset.load_integrity()
    return {"batches": batches, "homes": homes}
