"""Searches for an identifier stay out of the URL: posted, kept in the session under a token,
the list's URL carries the token (dfed.core.filters, dfed.core.views.private_search)."""

from urllib.parse import parse_qs, urlsplit

from django.urls import reverse

from dfed.core.filters import PRIVATE_QUERIES_KEPT, PRIVATE_QUERIES_SESSION_KEY


def test_an_id_search_is_posted_and_the_list_url_carries_a_token(
    client, areas, caseworker, person_factory
):
    person = person_factory(name="赵春花", community=areas["community_a1"])
    person_factory(name="钱秋月", community=areas["community_a1"])
    client.force_login(caseworker)

    response = client.post(
        reverse("private-search"),
        {"q": person.id_number, "next": reverse("people:person-list"), "sort": "name", "town": ""},
    )

    assert response.status_code == 302
    location = response["Location"]
    assert person.id_number not in location
    path, query = urlsplit(location).path, parse_qs(urlsplit(location).query)
    assert path == reverse("people:person-list")
    assert set(query) == {"sort", "qk"}
    page = client.get(location).content.decode()
    assert "赵春花" in page
    assert "钱秋月" not in page
    # The next page and the export keep the token, not the number.
    assert f"qk={query['qk'][0]}" in page


def test_a_token_from_another_session_or_an_ended_one_is_no_search(
    client, areas, caseworker, person_factory
):
    person_factory(name="赵春花", community=areas["community_a1"])
    client.force_login(caseworker)

    page = client.get(reverse("people:person-list"), {"qk": "unknown"}).content.decode()

    assert "赵春花" in page


def test_the_target_must_be_a_path_of_this_site_and_the_user_logged_in(client, caseworker):
    assert client.post(reverse("private-search"), {"q": "330102"}).status_code == 302
    assert "/accounts/login/" in client.post(reverse("private-search"), {"q": "1"})["Location"]

    client.force_login(caseworker)
    for target in ("https://evil.example/people/", "//evil.example/", "people/"):
        response = client.post(reverse("private-search"), {"q": "330102", "next": target})
        assert urlsplit(response["Location"]).path == "/"
        assert not urlsplit(response["Location"]).netloc
    assert client.get(reverse("private-search")).status_code == 405


def test_the_session_keeps_the_last_searches_only(client, caseworker):
    client.force_login(caseworker)
    for n in range(PRIVATE_QUERIES_KEPT + 5):
        client.post(reverse("private-search"), {"q": f"{n:06d}", "next": "/people/"})

    kept = client.session[PRIVATE_QUERIES_SESSION_KEY]
    assert len(kept) == PRIVATE_QUERIES_KEPT
    assert list(kept.values())[-1] == f"{PRIVATE_QUERIES_KEPT + 4:06d}"


def test_the_filter_form_offers_the_private_search(client, areas, caseworker):
    client.force_login(caseworker)

    page = client.get(reverse("people:person-list")).content.decode()

    assert f'data-private-action="{reverse("private-search")}"' in page
    assert "js/private-search.js" in page
