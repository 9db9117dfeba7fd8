"""One masking rule: edit forms, admin, search without an oracle, integrity staff phones."""

from django.urls import reverse

from dfed.core.masking import mask, reveal
from dfed.people.models import Person

from .factories import make_id


def form_data(person, **changes):
    data = {
        "name": person.name,
        "id_number": mask(person.id_number, "id"),
        "ethnicity": person.ethnicity,
        "certificate_number": mask(person.certificate_number, "certificate"),
        "category": person.category,
        "level": person.level,
        "household": "general",
        "community": person.community_id,
        "address": "",
        "phone": mask(person.phone, "phone"),
        "bank_name": person.bank_name,
        "bank_account": mask(person.bank_account, "bank"),
        "guardian_name": "",
        "guardian_phone": "",
        "note": "",
    }
    data.update(changes)
    return data


def test_reveal_masks_for_viewers_without_view_sensitive(caseworker, reviewer):
    assert reveal("330199198005170012", kind="id", viewer=caseworker) == "330199********0012"
    assert reveal("330199198005170012", kind="id", viewer=reviewer) == "330199198005170012"
    assert reveal("13812345678", kind="phone", viewer=caseworker) == "138****5678"


def test_person_edit_form_masks_and_keeps_stored_values(client, areas, caseworker, person_factory):
    person = person_factory(community=areas["community_a1"])
    stored = Person.objects.values_list("id_number", "bank_account", "certificate_number").get()
    client.force_login(caseworker)
    page = client.get(reverse("people:person-update", args=[person.pk])).content.decode()
    for value in stored + (person.phone,):
        assert value not in page
    assert mask(person.id_number, "id") in page
    # Sent back masked: the stored values stand; the household change is saved.
    response = client.post(reverse("people:person-update", args=[person.pk]), form_data(person))
    assert response.status_code == 302, response.content.decode()
    person.refresh_from_db()
    assert (person.id_number, person.bank_account, person.certificate_number) == stored
    assert person.household == "general"
    # A new full value replaces the stored one.
    response = client.post(
        reverse("people:person-update", args=[person.pk]),
        form_data(person, phone="13912345678"),
    )
    assert response.status_code == 302
    person.refresh_from_db()
    assert person.phone == "13912345678"
    assert person.id_number == stored[0]


def test_person_edit_form_error_page_stays_masked(client, areas, caseworker, person_factory):
    person = person_factory(community=areas["community_a1"])
    client.force_login(caseworker)
    response = client.post(
        reverse("people:person-update", args=[person.pk]), form_data(person, name="")
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert person.id_number not in page
    assert person.bank_account not in page


def test_search_twelve_digit_prefix_finds_nothing_without_view_sensitive(
    client, areas, caseworker, reviewer, person_factory
):
    person = person_factory(community=areas["community_a1"], name="甲某")
    client.force_login(caseworker)
    url = reverse("people:person-list")
    assert "甲某" not in client.get(url, {"q": person.id_number[:12]}).content.decode()
    assert "甲某" not in client.get(url, {"q": person.id_number[-8:]}).content.decode()
    assert "甲某" in client.get(url, {"q": person.id_number}).content.decode()
    assert "甲某" in client.get(url, {"q": person.certificate_number}).content.decode()
    assert "甲某" in client.get(url, {"q": "甲"}).content.decode()
    client.force_login(reviewer)
    assert "甲某" in client.get(url, {"q": person.id_number[:12]}).content.decode()


def test_admin_person_form_masks_for_staff_without_view_sensitive(
    client, areas, make_user, person_factory
):
    from django.contrib.auth.models import Permission

    from dfed.accounts.roles import Role

    staff = make_user("staffer", Role.CASEWORKER, towns=[areas["town_a"]], is_staff=True)
    staff.user_permissions.add(Permission.objects.get(codename="change_person"))
    person = person_factory(community=areas["community_a1"])
    client.force_login(staff)
    page = client.get(reverse("admin:people_person_change", args=[person.pk])).content.decode()
    assert person.id_number not in page
    assert person.bank_account not in page
    listing = client.get(
        reverse("admin:people_person_changelist"), {"q": person.id_number[:12]}
    ).content.decode()
    assert person.name not in listing


def test_integrity_staff_phone_masked_in_list_and_form(client, areas, official, make_user):
    from integrity.models import Staff

    staff = Staff.objects.create(name="钱干部", phone="13712345678")
    client.force_login(official)
    page = client.get(reverse("integrity:staff-list")).content.decode()
    assert "13712345678" not in page
    assert "137****5678" in page
    assert (
        "钱干部"
        not in client.get(reverse("integrity:staff-list"), {"q": "1371234"}).content.decode()
    )
    edit = client.get(reverse("integrity:staff-edit", args=[staff.pk]))
    if edit.status_code == 200:
        assert "13712345678" not in edit.content.decode()


def test_create_form_takes_full_values(client, areas, caseworker):
    client.force_login(caseworker)
    id_number = make_id()
    response = client.post(
        reverse("people:person-create"),
        {
            "name": "新人",
            "id_number": id_number,
            "category": 4,
            "level": 2,
            "household": "dibao",
            "community": areas["community_a1"].pk,
            "ethnicity": "汉族",
            "phone": "13812345678",
        },
    )
    assert response.status_code == 302
    assert Person.objects.get().id_number == id_number
