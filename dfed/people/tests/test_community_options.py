"""The person filter renders only the chosen town's communities and loads others on demand."""

import pytest

pytestmark = pytest.mark.django_db


def test_filter_renders_only_the_chosen_towns_communities(client, reviewer, areas):
    client.force_login(reviewer)
    body = client.get("/people/").content.decode()
    assert areas["town_a"].name in body
    assert "data-options-url" in body
    community_a = areas["town_a"].children.first()
    community_b = areas["town_b"].children.first()
    assert community_a.name not in body  # a district-wide user picks the town first
    body = client.get(f"/people/?town={areas['town_a'].pk}").content.decode()
    assert community_a.name in body
    assert community_b.name not in body


def test_community_options_are_scoped_to_the_users_towns(client, caseworker, reviewer, areas):
    client.force_login(caseworker)  # town A only
    mine = client.get(f"/people/communities/?town={areas['town_a'].pk}").json()["options"]
    assert {o["label"] for o in mine} == set(
        areas["town_a"].children.values_list("name", flat=True)
    )
    assert client.get(f"/people/communities/?town={areas['town_b'].pk}").json() == {"options": []}
    client.force_login(reviewer)
    theirs = client.get(f"/people/communities/?town={areas['town_b'].pk}").json()["options"]
    assert len(theirs) == areas["town_b"].children.count()
