"""区内迁移: registering someone already registered in another town offers a transfer request."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from dfed.people.models import Person, PersonTransfer


def test_registering_an_id_of_another_town_offers_a_transfer_and_names_nothing(
    client, areas, caseworker, reviewer, person_factory
):
    elsewhere = person_factory(community=areas["community_b1"], name="外镇人")
    client.force_login(caseworker)
    data = {
        "name": "外镇人",
        "id_number": elsewhere.id_number,
        "category": 4,
        "level": 2,
        "household": "dibao",
        "community": areas["community_a1"].pk,
        "ethnicity": "汉族",
    }
    response = client.post(reverse("people:person-create"), data)
    assert response.status_code == 400
    page = response.content.decode()
    assert "已在本区其他镇街道登记" in page
    assert areas["town_b"].name not in page
    assert areas["community_b1"].name not in page
    assert 'data-testid="transfer-offer"' in page
    assert Person.objects.count() == 1
    # The caseworker asks; the request names only the new community.
    response = client.post(
        reverse("people:transfer-create"),
        {
            "id_number": elsewhere.id_number,
            "to_community": areas["community_a2"].pk,
            "reason": "已迁入",
        },
    )
    assert response.status_code == 302
    transfer = PersonTransfer.objects.get()
    assert (transfer.status, transfer.from_community) == ("pending", areas["community_b1"])
    listing = client.get(reverse("people:transfer-list")).content.decode()
    assert areas["community_b1"].name not in listing
    # The caseworker cannot approve; a district reviewer does.
    url = reverse("people:transfer-decide", args=[transfer.pk, "approve"])
    assert client.post(url).status_code == 403
    client.force_login(reviewer)
    assert client.post(url).status_code == 302
    elsewhere.refresh_from_db()
    assert (elsewhere.community, elsewhere.town) == (areas["community_a2"], areas["town_a"])
    assert elsewhere.history.first().history_change_reason.startswith("区内迁移")
    transfer.refresh_from_db()
    assert (transfer.status, transfer.decided_by) == ("approved", reviewer)
    # Now the caseworker sees the person.
    client.force_login(caseworker)
    detail = client.get(reverse("people:person-detail", args=[elsewhere.pk]))
    assert detail.status_code == 200


def test_transfer_request_refuses_without_revealing(areas, caseworker, person_factory):
    from dfed.people.services import person_transfer_request

    own = person_factory(community=areas["community_a1"])
    for number in (own.id_number, "330199198005170012"):
        with pytest.raises(ValidationError, match="无法申请区内迁移"):
            person_transfer_request(
                id_number=number, to_community=areas["community_a2"], by=caseworker
            )
    other = person_factory(community=areas["community_b1"])
    with pytest.raises(ValidationError, match="本人所辖"):
        person_transfer_request(
            id_number=other.id_number, to_community=areas["community_b2"], by=caseworker
        )
