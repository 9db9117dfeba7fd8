"""The registry's services are the gate: without the permission, or outside the person's town,
the service itself refuses with PermissionDenied."""

import pytest
from django.core.exceptions import PermissionDenied

from dfed.people.models import Person, PersonTransfer
from dfed.people.services import (
    person_create,
    person_set_status,
    person_transfer_decide,
    person_transfer_request,
    person_update,
)

pytestmark = pytest.mark.django_db


def test_person_services_refuse_another_towns_person(person_factory, areas, caseworker):
    theirs = person_factory(community=areas["community_b1"])
    with pytest.raises(PermissionDenied, match="其他镇街道"):
        person_update(person=theirs, by=caseworker, address="新地址")
    with pytest.raises(PermissionDenied, match="其他镇街道"):
        person_set_status(person=theirs, status=Person.Status.MOVED, on=None, by=caseworker)
    with pytest.raises(PermissionDenied, match="其他镇街道"):
        person_create(
            by=caseworker,
            name="某某",
            id_number="330102199001011237",
            community=areas["community_b1"],
        )
    mine = person_factory(community=areas["community_a1"])
    with pytest.raises(PermissionDenied, match="其他镇街道"):  # moving it out of the town
        person_update(person=mine, by=caseworker, community=areas["community_b1"])
    theirs.refresh_from_db()
    assert theirs.status == Person.Status.ACTIVE


def test_person_services_refuse_a_user_without_the_permission(person_factory, areas, official):
    person = person_factory(community=areas["community_a1"])
    with pytest.raises(PermissionDenied):
        person_update(person=person, by=official, address="新地址")
    with pytest.raises(PermissionDenied):
        person_set_status(person=person, status=Person.Status.MOVED, on=None, by=official)
    with pytest.raises(PermissionDenied):
        person_transfer_request(
            id_number=person.id_number, to_community=areas["community_b1"], by=official
        )


def test_transfer_decisions_need_a_district_reviewer(
    person_factory, areas, caseworker, town_reviewer, make_user
):
    person = person_factory(community=areas["community_b1"])
    transfer = person_transfer_request(
        id_number=person.id_number, to_community=areas["community_a1"], by=caseworker
    )
    with pytest.raises(PermissionDenied):
        person_transfer_decide(transfer=transfer, by=town_reviewer, approve=True)
    transfer.refresh_from_db()
    assert transfer.status == PersonTransfer.Status.PENDING
