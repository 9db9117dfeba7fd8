"""Forms render through crispy (no hand-made Bootstrap class adding): every visible control has
its label and the Bootstrap class, and an invalid form shows the error summary the page script
moves focus to."""

import re

import pytest
from django.urls import reverse

from homes.tests.factories import HomeFactory

CONTROL = re.compile(r"<(input|select|textarea)\b([^>]*)>")


def attr(attrs: str, name: str) -> str | None:
    match = re.search(rf'\s{name}="([^"]*)"', attrs)
    return match.group(1) if match else None


def assert_controls_labelled(html: str) -> int:
    checked = 0
    for tag, attrs in CONTROL.findall(html):
        kind = attr(attrs, "type") or ""
        if kind in ("hidden", "submit", "button") or attr(attrs, "name") in (
            None,
            "csrfmiddlewaretoken",
        ):
            continue
        control_id = attr(attrs, "id")
        assert control_id, f"<{tag}{attrs}> has no id"
        assert f'for="{control_id}"' in html, f"no label for #{control_id}"
        classes = (attr(attrs, "class") or "").split()
        if kind not in ("checkbox", "radio"):
            assert {"form-control", "form-select"} & set(classes), f"#{control_id}: {classes}"
        checked += 1
    return checked


@pytest.fixture
def home(areas):
    return HomeFactory(name="A镇阳光家园", community=areas["community_a1"])


@pytest.mark.parametrize(
    "url",
    [
        reverse("accessibility:project-create"),
        reverse("subsidies:application-create"),
        reverse("homes:membership-create"),
        reverse("homes:attendance"),
        reverse("accessibility:community-create"),
    ],
)
def test_form_pages_render_labelled_bootstrap_controls(client, caseworker, home, url):
    client.force_login(caseworker)
    response = client.get(url)
    assert response.status_code == 200
    assert assert_controls_labelled(response.content.decode()) > 0


def test_home_page_forms_render_through_crispy(client, caseworker, home):
    client.force_login(caseworker)
    html = client.get(reverse("homes:home-detail", args=[home.pk])).content.decode()
    assert assert_controls_labelled(html) >= 3  # join (2 fields) and the new assessment's year


def test_invalid_form_shows_the_error_summary_and_marks_the_field(client, caseworker):
    client.force_login(caseworker)
    response = client.post(reverse("accessibility:project-create"), {"year": "2026"})
    assert response.status_code == 400
    html = response.content.decode()
    assert 'id="form-errors"' in html
    assert 'tabindex="-1"' in html
    assert re.search(r'<input[^>]*class="[^"]*is-invalid[^"]*"[^>]*name="id_number"', html) or (
        re.search(r'<input[^>]*name="id_number"[^>]*class="[^"]*is-invalid', html)
    )
