from decimal import Decimal

import pytest

from accessibility.models import RetrofitProject
from accessibility.selectors import (
    community_list_visible_to,
    project_count_by_status,
    project_list_visible_to,
    retrofit_figures_for_year,
)

from .factories import project_at

S = RetrofitProject.Status
pytestmark = pytest.mark.django_db


@pytest.fixture
def two_towns(
    person_factory, areas, caseworker, reviewer, make_user, town_b, grab_bar, budget_a, budget_b
):
    from dfed.accounts.roles import Role

    worker_b = make_user("worker-b", Role.CASEWORKER, towns=[town_b])
    done_a = project_at(
        S.COMPLETED,
        person=person_factory(community=areas["community_a1"]),
        caseworker=caseworker,
        reviewer=reviewer,
        item=grab_bar,
    )
    open_a = project_at(
        S.CONSTRUCTION,
        person=person_factory(community=areas["community_a2"]),
        caseworker=caseworker,
        reviewer=reviewer,
        item=grab_bar,
        unit_price="100.00",
    )
    done_b = project_at(
        S.COMPLETED,
        person=person_factory(community=areas["community_b1"]),
        caseworker=worker_b,
        reviewer=reviewer,
        item=grab_bar,
        quantity="1",
    )
    return done_a, open_a, done_b


def test_project_list_is_scoped_by_town(two_towns, caseworker, reviewer):
    done_a, open_a, done_b = two_towns
    assert set(project_list_visible_to(caseworker)) == {done_a, open_a}
    assert set(project_list_visible_to(reviewer)) == {done_a, open_a, done_b}


def test_yearly_figures_count_completed_households_and_spend(two_towns, reviewer, year):
    figures = retrofit_figures_for_year(user=reviewer, year=year)
    by_town = {f.town.name: f for f in figures.towns}
    a, b = by_town["A镇"], by_town["B镇"]
    assert (a.completed, a.in_progress, a.spent) == (1, 1, Decimal("800.00"))
    assert a.committed == Decimal("1000.00")  # 800 spent + 200 approved, not yet built
    assert a.remaining == Decimal("9000.00")
    assert a.execution_rate == Decimal("8.0")
    assert (b.completed, b.spent) == (1, Decimal("400.00"))
    assert (figures.completed, figures.spent, figures.budget) == (
        2,
        Decimal("1200.00"),
        Decimal("20000.00"),
    )
    assert retrofit_figures_for_year(user=reviewer, year=year + 1).completed == 0


def test_yearly_figures_are_scoped(two_towns, caseworker, year):
    figures = retrofit_figures_for_year(user=caseworker, year=year)
    assert [f.town.name for f in figures.towns] == ["A镇"]
    assert figures.completed == 1


def test_community_list_counts_progress(areas, caseworker, year):
    from accessibility import services

    from .factories import ChecklistItemFactory

    ChecklistItemFactory.create_batch(3)
    creation = services.community_declare(community=areas["community_a1"], year=year, by=caseworker)
    services.community_start(creation=creation, by=caseworker)
    check = creation.checks.first()
    services.community_check_update(check=check, by=caseworker, state="done", note="已建坡道")
    row = community_list_visible_to(caseworker).get()
    assert (row.checks_done, row.checks_total) == (1, 3)


def test_project_count_by_status_is_scoped(two_towns, caseworker, reviewer, year):
    assert project_count_by_status(user=reviewer, year=year)["completed"] == 2
    mine = project_count_by_status(user=caseworker, year=year)
    assert (mine["completed"], mine["construction"], mine["returned"]) == (1, 1, 0)
