"""The registry summary table stays equal to a GROUP BY over the registry on every write path."""

from datetime import date

import pytest
from django.db.models import Count

from dfed.people.models import Person, PersonCount
from dfed.people.services import person_set_status, person_update
from dfed.people.summaries import person_counts_refresh
from dfed.people.tasks import person_counts_refresh_all

pytestmark = pytest.mark.django_db


def summary() -> dict:
    return {(r.town_id, r.category, r.level, r.status): r.people for r in PersonCount.objects.all()}


def truth() -> dict:
    rows = Person.objects.order_by().values("town_id", "category", "level", "status")
    return {
        (r["town_id"], r["category"], r["level"], r["status"]): r["n"]
        for r in rows.annotate(n=Count("pk"))
    }


def test_summary_follows_creates_updates_moves_status_changes_and_deletes(
    person_factory, areas, admin_user
):
    people = [person_factory(level=1 + i % 4, category=1 + i % 7) for i in range(12)]
    assert summary() == truth()
    assert sum(summary().values()) == 12

    first = people[0]
    person_update(
        person=first,
        by=admin_user,
        level=4,
        certificate_number=f"{first.id_number}{first.category}4",
    )
    assert summary() == truth()

    moved = people[1]
    other_community = areas["town_b"].children.exclude(pk=moved.community_id).first()
    if moved.town_id == areas["town_b"].pk:
        other_community = areas["town_a"].children.first()
    person_update(person=moved, by=admin_user, community=other_community)
    assert summary() == truth()  # both the town left and the town joined are recounted

    person_set_status(
        person=people[2], by=admin_user, status=Person.Status.DECEASED, on=date(2026, 1, 5)
    )
    assert summary() == truth()

    people[3].delete()
    assert summary() == truth()


def test_bulk_writes_are_recounted_by_the_towns_they_touched(person_factory, town_a):
    person_factory.create_batch(3, level=1)  # the factory's community is in town A
    Person.objects.filter(town=town_a).update(level=2)  # a set-based write: no signals
    assert summary() != truth()
    person_counts_refresh(town_ids=[town_a.pk])
    assert summary() == truth()


def test_the_nightly_task_rebuilds_every_town(person_factory):
    person_factory.create_batch(5)
    PersonCount.objects.all().delete()
    assert person_counts_refresh_all() == len(truth())
    assert summary() == truth()


def test_year_figures_from_the_nightly_summary_equal_the_registry(person_factory, areas):
    from datetime import datetime

    from django.db.models import Q
    from django.utils import timezone

    from dfed.people.models import PersonYearCount
    from dfed.people.selectors import person_year_figures
    from dfed.people.summaries import person_year_counts_refresh

    def at(y, m, d, hour=0, minute=0):
        return timezone.make_aware(datetime(y, m, d, hour, minute))

    registered = [
        (at(2024, 3, 1), "active", None),
        (at(2024, 12, 31, 23, 59), "active", None),  # the last minute of 2024, local time
        (at(2025, 1, 1, 0, 0), "active", None),  # the first of 2025
        (at(2025, 6, 1), "dead", date(2025, 9, 1)),  # entered and left in 2025
        (at(2024, 6, 1), "moved", date(2026, 1, 1)),  # left on the first day of 2026
        (at(2026, 2, 1), "active", None),
    ]
    for i, (created, status, left) in enumerate(registered):
        person = person_factory(level=1 + i % 4)
        Person.objects.filter(pk=person.pk).update(
            created_at=created, status=status, status_date=left
        )

    def by_definition(year):  # the annual summary's definition, on local dates
        end, start = date(year + 1, 1, 1), date(year, 1, 1)
        on_register = Person.objects.filter(created_at__date__lt=end).filter(
            Q(status="active") | Q(status_date__gte=end)
        )
        return {
            "people": on_register.count(),
            "severe": on_register.filter(level__in=[1, 2]).count(),
            "new": on_register.filter(created_at__date__gte=start).count(),
        }

    assert person_year_figures(year=2025) == by_definition(2025)  # no summary yet: computed
    assert person_year_counts_refresh() >= 3  # 2024 … this year
    assert PersonYearCount.objects.filter(year__in=[2024, 2025, 2026]).count() == 3
    for year in (2024, 2025, 2026):
        assert person_year_figures(year=year) == by_definition(year), year
    assert by_definition(2024) == {"people": 3, "severe": 3, "new": 3}
    assert by_definition(2025)["new"] == 1
