"""The person picker: its JSON lookup (scope, masking, no search oracle, the access log) and the
form field behind it (a pk from another town is refused, ``?person=`` preselects)."""

from datetime import date

import pytest
from django import forms
from django.urls import reverse

from dfed.people.forms import PersonPreselectMixin
from dfed.people.models import Person, SensitiveAccessLog
from dfed.people.pickers import person_picker_label

LOOKUP = reverse("people:person-lookup")


@pytest.fixture
def ours(areas, person_factory):
    return person_factory(name="王本镇", community=areas["community_a1"])


@pytest.fixture
def theirs(areas, person_factory):
    return person_factory(name="王外镇", community=areas["community_b1"])


def lookup(client, user, **params) -> list[dict]:
    client.force_login(user)
    response = client.get(LOOKUP, params)
    assert response.status_code == 200
    return response.json()["results"]


def masked(person: Person) -> str:
    return f"{person.id_number[:6]}********{person.id_number[-4:]}"


def test_lookup_finds_by_name_in_the_users_towns_only(client, caseworker, ours, theirs):
    results = lookup(client, caseworker, q="王")
    assert [r["value"] for r in results] == [str(ours.pk)]
    assert results[0]["name"] == "王本镇"


def test_lookup_masks_id_numbers_without_view_sensitive(client, caseworker, ours):
    (result,) = lookup(client, caseworker, q="王本镇")
    assert ours.id_number not in str(result)
    assert masked(ours) in result["details"]
    assert result["text"] == f"王本镇（{masked(ours)} · {ours.town.name}）"
    assert not SensitiveAccessLog.objects.exists()  # nothing full shown, nothing logged


def test_lookup_shows_full_numbers_to_view_sensitive_and_logs_it(client, reviewer, ours, theirs):
    results = lookup(client, reviewer, q="王")
    assert {r["value"] for r in results} == {str(ours.pk), str(theirs.pk)}  # the whole district
    assert ours.id_number in {r["details"].split(" · ")[0] for r in results}
    log = SensitiveAccessLog.objects.get()
    assert (log.kind, log.count, log.context) == ("list", 2, "people:person-lookup")


def test_lookup_by_number_matches_only_whole_numbers_without_view_sensitive(
    client, caseworker, reviewer, ours
):
    assert lookup(client, caseworker, q=ours.id_number[:12]) == []  # no oracle on the digits
    assert lookup(client, caseworker, q=ours.id_number[-6:]) == []
    assert [r["value"] for r in lookup(client, caseworker, q=ours.id_number)] == [str(ours.pk)]
    assert [r["value"] for r in lookup(client, reviewer, q=ours.id_number[:12])] == [str(ours.pk)]


def test_lookup_by_number_never_reaches_another_town(client, caseworker, theirs):
    assert lookup(client, caseworker, q=theirs.id_number) == []


def test_lookup_active_only_and_status_shown(client, caseworker, areas, person_factory):
    gone = person_factory(
        name="王已故",
        community=areas["community_a1"],
        status=Person.Status.DECEASED,
        status_date=date(2026, 1, 5),
    )
    (result,) = lookup(client, caseworker, q="王已故")
    assert result["value"] == str(gone.pk)
    assert result["details"].endswith("死亡")
    assert lookup(client, caseworker, q="王已故", active="1") == []


def test_lookup_needs_the_registry_permission(client, integrity_officer, ours):
    assert client.get(LOOKUP, {"q": "王"}).status_code == 403  # a script gets no login page
    client.force_login(integrity_officer)
    assert client.get(LOOKUP, {"q": "王"}).status_code == 403


def test_lookup_empty_query_answers_nothing(client, caseworker, ours):
    assert lookup(client, caseworker, q="  ") == []


class PickForm(PersonPreselectMixin, forms.Form):
    """The smallest form with a person: the mixin and its typed-number field."""

    id_number = forms.CharField(max_length=20)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.preselect_person(user)


def test_picker_field_refuses_a_person_of_another_town(caseworker, ours, theirs):
    form = PickForm({"person": str(theirs.pk)}, user=caseworker)
    assert not form.is_valid()
    assert list(form.errors) == ["person"]
    assert PickForm({"person": str(ours.pk)}, user=caseworker).is_valid()


def test_picker_field_requires_a_person_and_keeps_typed_numbers(caseworker, ours):
    form = PickForm({}, user=caseworker)
    assert not form.is_valid()
    assert form.errors == {"person": ["请选择残疾人"]}
    typed = PickForm({"id_number": ours.id_number}, user=caseworker)
    assert typed.is_valid()


def test_picker_preselects_from_the_person_page_and_renders_only_that_person(
    caseworker, ours, areas, person_factory
):
    person_factory(name="王另一个", community=areas["community_a1"])
    form = PickForm(user=caseworker, initial={"person": str(ours.pk)})
    html = str(form["person"])
    assert form.preselected == ours
    assert f'<option value="{ours.pk}" selected>' in html
    assert person_picker_label(ours, viewer=caseworker) in html
    assert "王另一个" not in html  # the registry is never in the page
    assert ours.id_number not in html
    assert 'data-lookup-url="/people/lookup/"' in html


def test_picker_preselects_from_a_whole_typed_number(caseworker, ours):
    form = PickForm(user=caseworker, initial={"id_number": ours.id_number})
    assert form.preselected == ours
