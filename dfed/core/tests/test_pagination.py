"""The capped paginator: exact counts up to the cap, 「cap+」 past it, one query for short lists."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from dfed.core.pagination import CappedPaginator
from dfed.people.models import Area

pytestmark = pytest.mark.django_db


def make_areas(n: int) -> None:
    Area.objects.bulk_create(
        Area(code=f"3301{i:08d}", name=f"区{i}", level=Area.Level.DISTRICT) for i in range(n)
    )


def test_a_list_shorter_than_a_page_costs_one_query():
    make_areas(7)
    paginator = CappedPaginator(Area.objects.order_by("code"), 25, cap=10)
    with CaptureQueriesContext(connection) as queries:
        page = paginator.page(1)
        rows = list(page)
        assert paginator.count == 7
    assert len(rows) == 7
    assert len(queries) == 1
    assert not paginator.capped


def test_counts_stop_at_the_cap_and_pages_reach_it():
    make_areas(30)
    paginator = CappedPaginator(Area.objects.order_by("code"), 4, cap=10)
    page = paginator.page(1)
    assert len(list(page)) == 4
    assert paginator.count == 11
    assert paginator.capped
    assert paginator.shown_count == 10
    assert paginator.num_pages == 3
    assert page.has_next()
    last = paginator.page(3)
    assert [a.code for a in last] == ["330100000008", "330100000009"]


def test_an_exact_count_below_the_cap():
    make_areas(9)
    paginator = CappedPaginator(Area.objects.order_by("code"), 4, cap=10)
    paginator.page(1)
    assert paginator.count == 9
    assert not paginator.capped
    assert paginator.num_pages == 3


def test_the_page_shows_cap_plus_when_capped(client, admin_user, person_factory, settings):
    settings.LIST_COUNT_CAP = 3
    for _ in range(5):
        person_factory()
    client.force_login(admin_user)
    body = client.get("/people/").content.decode()
    assert "3+ 条" in body
    assert "末页" not in body
