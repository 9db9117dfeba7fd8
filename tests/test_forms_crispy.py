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
    # The person is chosen with the person picker (a <select> named "person").
    assert re.search(r'<select[^>]*name="person"[^>]*class="[^"]*is-invalid', html)


def test_one_error_summary_serves_forms_and_formsets():
    """``includes/form_errors.html`` is the only summary: field errors link to their field, a
    formset's rows are numbered."""
    from django import forms
    from django.template.loader import render_to_string

    class Row(forms.Form):
        quantity = forms.IntegerField(label="数量")

    form = Row(data={"quantity": "x"})
    rows = forms.formset_factory(Row, extra=0)(
        data={
            "form-TOTAL_FORMS": "2",
            "form-INITIAL_FORMS": "0",
            "form-0-quantity": "1",
            "form-1-quantity": "y",
        }
    )
    assert not form.is_valid()
    assert not rows.is_valid()
    html = render_to_string(
        "includes/form_errors.html", {"form": form, "formset": rows, "formset_has_errors": True}
    )
    assert 'id="form-errors"' in html
    assert '<a href="#id_quantity">数量</a>' in html
    assert "第2行 数量" in html
    assert render_to_string("includes/form_errors.html", {"form": Row()}).strip() == ""


@pytest.mark.parametrize(
    "url",
    [
        reverse("people:person-list"),
        reverse("subsidies:application-list"),
        reverse("homes:home-list"),
        reverse("reports:home"),
    ],
)
def test_filter_forms_render_through_crispy_with_visible_labels(client, official, url):
    """Filter forms (the list pages' FilterSets and the dashboard's) are laid out by
    ``FilterFormHelper``: one labelled, Bootstrap-classed column per field, inside the page's
    own single ``<form>``."""
    client.force_login(official)
    html = client.get(url).content.decode()
    start = html.index('class="filter-form')
    form = html[start : html.index("</form>", start)]
    assert "<form" not in form  # crispy adds no form tag of its own
    assert "csrfmiddlewaretoken" not in form
    assert 'class="mb-3 col-6 col-md-3 col-xl-2"' in form
    assert assert_controls_labelled(form) >= 2
    assert "visually-hidden" not in form  # the labels stay on screen


def test_filter_form_marks_an_invalid_value(client, official):
    client.force_login(official)
    html = client.get(reverse("people:person-list"), {"town": "999999"}).content.decode()
    start = html.index('class="filter-form')
    form = html[start : html.index("</form>", start)]
    assert "is-invalid" in form
