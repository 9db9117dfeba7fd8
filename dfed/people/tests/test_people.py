from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from dfed.people.models import Person, SensitiveAccessLog
from dfed.people.services import person_create, person_set_status
from dfed.people.signals import person_left_registry

from .factories import make_id


def login(client, user):
    client.force_login(user)
    return client


def test_person_create_derives_sex_birth_and_town(areas, caseworker):
    id_number = make_id(date(1975, 3, 8), female=True)
    person = person_create(
        by=caseworker,
        name="张三",
        id_number=id_number.lower(),
        category=4,
        level=2,
        household="dibao",
        community=areas["community_a1"],
        certificate_number=id_number + "42",
        phone="13812345678",
    )
    assert person.sex == "female"
    assert person.birth_date == date(1975, 3, 8)
    assert person.town == areas["town_a"]
    assert person.history.count() == 1
    assert person.history.first().history_user == caseworker


def test_person_create_rejects_duplicate_and_bad_certificate(areas, caseworker, person_factory):
    existing = person_factory()
    with pytest.raises(ValidationError) as exc:
        person_create(
            by=caseworker,
            name="李四",
            id_number=existing.id_number,
            category=4,
            level=2,
            community=areas["community_a1"],
        )
    # The unique constraint is validated with the field's own message, once.
    assert exc.value.message_dict["id_number"] == ["具有 身份证号 的 残疾人 已存在。"]
    other = make_id()
    with pytest.raises(ValidationError) as exc:
        person_create(
            by=caseworker,
            name="李四",
            id_number=other,
            category=4,
            level=2,
            community=areas["community_a1"],
            certificate_number=other + "52",
        )
    assert exc.value.message_dict["certificate_number"] == ["残疾人证号中的类别与残疾类别不一致"]
    assert Person.objects.count() == 1


def test_caseworker_gets_404_for_another_towns_person(client, areas, caseworker, person_factory):
    foreign = person_factory(community=areas["community_b1"])
    own = person_factory(community=areas["community_a1"])
    login(client, caseworker)
    assert client.get(reverse("people:person-detail", args=[foreign.pk])).status_code == 404
    assert client.get(reverse("people:person-update", args=[foreign.pk])).status_code == 404
    assert client.get(reverse("people:person-detail", args=[own.pk])).status_code == 200
    listing = client.get(reverse("people:person-list")).content.decode()
    assert own.name in listing
    assert foreign.name not in listing


def test_reviewer_sees_the_whole_district(client, areas, reviewer, person_factory):
    a = person_factory(community=areas["community_a1"])
    b = person_factory(community=areas["community_b2"])
    login(client, reviewer)
    listing = client.get(reverse("people:person-list")).content.decode()
    assert a.name in listing
    assert b.name in listing


def test_list_masks_sensitive_values_without_permission(client, areas, caseworker, person_factory):
    person = person_factory(community=areas["community_a1"])
    login(client, caseworker)
    page = client.get(reverse("people:person-list")).content.decode()
    assert person.id_number not in page
    assert f"{person.id_number[:6]}********{person.id_number[-4:]}" in page
    detail = client.get(reverse("people:person-detail", args=[person.pk])).content.decode()
    assert person.id_number not in detail
    assert person.bank_account not in detail
    assert "138****8000" in detail
    assert not SensitiveAccessLog.objects.exists()


def test_detail_shows_full_values_and_logs_for_view_sensitive(
    client, areas, admin_user, person_factory
):
    person = person_factory(community=areas["community_a1"])
    login(client, admin_user)
    detail = client.get(reverse("people:person-detail", args=[person.pk])).content.decode()
    assert person.id_number in detail
    assert person.bank_account in detail
    log = SensitiveAccessLog.objects.get()
    assert (log.user, log.person) == (admin_user, person)
    logs_page = client.get(reverse("people:accesslog-list")).content.decode()
    assert person.name in logs_page


def test_create_view_shows_chinese_errors_and_writes_nothing(client, areas, caseworker):
    login(client, caseworker)
    data = {
        "name": "王五",
        "id_number": "330199198005170012",
        "category": 4,
        "level": 2,
        "household": "dibao",
        "community": areas["community_a1"].pk,
        "ethnicity": "汉族",
    }
    response = client.post(reverse("people:person-create"), data)
    assert response.status_code == 400
    assert "身份证号校验位错误" in response.content.decode()
    assert not Person.objects.exists()
    data["id_number"] = make_id()
    response = client.post(reverse("people:person-create"), data)
    assert response.status_code == 302
    assert Person.objects.get().name == "王五"


def test_caseworker_cannot_register_into_another_town(client, areas, caseworker):
    login(client, caseworker)
    data = {
        "name": "王五",
        "id_number": make_id(),
        "category": 4,
        "level": 2,
        "household": "dibao",
        "community": areas["community_b1"].pk,
    }
    response = client.post(reverse("people:person-create"), data)
    assert response.status_code == 400
    assert not Person.objects.exists()


def test_person_set_status_requires_date_and_signals(areas, reviewer, person_factory):
    person = person_factory()
    received = []

    def receiver(sender, person, status, on, by, **kwargs):
        received.append((person.pk, status, on))

    person_left_registry.connect(receiver)
    try:
        with pytest.raises(ValidationError):
            person_set_status(person=person, status="deceased", on=None, by=reviewer)
        person_set_status(person=person, status="deceased", on=date(2025, 3, 10), by=reviewer)
    finally:
        person_left_registry.disconnect(receiver)
    person.refresh_from_db()
    assert person.status == "deceased"
    assert received == [(person.pk, "deceased", date(2025, 3, 10))]


def test_search_by_name_and_id(client, areas, reviewer, person_factory):
    target = person_factory(name="独特名字")
    person_factory(name="别人")
    login(client, reviewer)
    page = client.get(reverse("people:person-list"), {"q": "独特"}).content.decode()
    assert "独特名字" in page
    assert "别人" not in page
    page = client.get(reverse("people:person-list"), {"q": target.id_number[-6:]}).content
    assert "独特名字" in page.decode()


def test_export_is_masked_xlsx(client, areas, caseworker, person_factory):
    from io import BytesIO

    from openpyxl import load_workbook

    person = person_factory(community=areas["community_a1"])
    login(client, caseworker)
    response = client.get(reverse("people:person-list"), {"export": "xlsx"})
    assert response.status_code == 200
    sheet = load_workbook(BytesIO(b"".join(response.streaming_content))).active
    row = [c.value for c in sheet[2]]
    assert row[0] == person.name
    assert row[2] == f"{person.id_number[:6]}********{person.id_number[-4:]}"
    assert sheet.cell(row=2, column=3).number_format == "@"


def test_filter_by_town_and_community(client, areas, reviewer, person_factory):
    a = person_factory(name="甲镇人", community=areas["community_a1"])
    b = person_factory(name="乙镇人", community=areas["community_b2"])
    login(client, reviewer)
    page = client.get(reverse("people:person-list"), {"town": areas["town_b"].pk}).content
    assert b.name in page.decode()
    assert a.name not in page.decode()
    page = client.get(reverse("people:person-list"), {"community": areas["community_a1"].pk})
    assert a.name in page.content.decode()
    assert b.name not in page.content.decode()


@pytest.mark.django_db
def test_duplicate_id_number_in_the_form_gets_one_field_error(areas, caseworker, person_factory):
    from dfed.people.forms import PersonForm

    existing = person_factory()
    data = {
        "name": "王五",
        "id_number": existing.id_number,
        "category": 4,
        "level": 2,
        "household": "dibao",
        "community": areas["community_a1"].pk,
        "ethnicity": "汉族",
        "status": "active",
    }
    form = PersonForm(data, user=caseworker)
    assert not form.is_valid()
    assert form.errors["id_number"] == ["具有 身份证号 的 残疾人 已存在。"]
    assert "__all__" not in form.errors
