"""The homes services are the gate: without the permission, or outside the home's town, the
service itself refuses with PermissionDenied (whatever view or task calls it)."""

from datetime import date

import pytest
from django.contrib.auth.models import Permission
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from homes import services
from homes.models import Membership, ServiceType, StarAssessment

pytestmark = pytest.mark.django_db


def calls(home, person, template):
    """Each service with its arguments, for a given user."""
    assessment = StarAssessment(home=home, year=2026, template=template, status="submitted")
    membership = Membership(home=home, person=person, joined_on=date(2026, 1, 1))
    today = timezone.localdate()
    return {
        "home_update": lambda by: services.home_update(home=home, by=by, name="改名"),
        "membership_join": lambda by: services.membership_join(
            home=home, person=person, joined_on=date(2026, 1, 1), by=by
        ),
        "membership_leave": lambda by: services.membership_leave(
            membership=membership, left_on=today, reason="", by=by
        ),
        "attendance_save": lambda by: services.attendance_save(
            home=home, day=today, present=[], by=by
        ),
        "service_record_create": lambda by: services.service_record_create(
            home=home,
            by=by,
            date=today,
            service_type=ServiceType.objects.first(),
            hours=1,
        ),
        "assessment_create": lambda by: services.assessment_create(home=home, year=2026, by=by),
        "assessment_submit": lambda by: services.assessment_submit(assessment=assessment, by=by),
        "assessment_approve": lambda by: services.assessment_approve(assessment=assessment, by=by),
        "assessment_return": lambda by: services.assessment_return(
            assessment=assessment, by=by, comment="x"
        ),
    }


SERVICES = list(calls(None, None, None))


@pytest.fixture
def town_a_staff(make_user, areas):
    """Every homes permission, for town A only."""
    user = make_user("homes_a", "经办人", towns=[areas["town_a"]])
    user.groups.clear()
    user.user_permissions.set(Permission.objects.filter(content_type__app_label="homes"))
    return type(user).objects.get(pk=user.pk)


@pytest.mark.parametrize("name", SERVICES)
def test_a_user_without_the_permission_is_refused_by_the_service(
    name, home_a, person_factory, areas, template, official
):
    person = person_factory(community=areas["community_a1"])
    with pytest.raises(PermissionDenied):
        calls(home_a, person, template)[name](official)


@pytest.mark.parametrize("name", SERVICES)
def test_a_user_of_another_town_is_refused_by_the_service(
    name, home_b, person_factory, areas, template, town_a_staff
):
    person = person_factory(community=areas["community_b1"])
    with pytest.raises(PermissionDenied, match="其他镇街道"):
        calls(home_b, person, template)[name](town_a_staff)


def test_home_create_checks_the_town_of_the_community(areas, town_a_staff):
    with pytest.raises(PermissionDenied, match="其他镇街道"):
        services.home_create(by=town_a_staff, name="B家", community=areas["community_b1"])
