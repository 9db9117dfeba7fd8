from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from dfed.people.models import Person
from dfed.people.services import person_set_status
from homes import services
from homes.models import Attendance, Home, Membership, ServiceType, StarAssessment
from homes.selectors import home_list_visible_to
from homes.standard import DEFAULT_ITEMS
from homes.tests.factories import HomeFactory, small_template

pytestmark = pytest.mark.django_db

FULL = Decimal("20")


def scored(assessment, *points, by):
    lines = list(assessment.scores.order_by("item__order"))
    return services.assessment_score(
        assessment=assessment,
        by=by,
        scores={
            line.item_id: (Decimal(str(p)), "") for line, p in zip(lines, points, strict=False)
        },
    )


def approved(home, year, points, *, by, approver):
    assessment = services.assessment_create(home=home, year=year, by=by)
    scored(assessment, *points, by=by)
    services.assessment_submit(assessment=assessment, by=by)
    return services.assessment_approve(assessment=assessment, by=approver)


def test_home_create_derives_town_and_sets_services(areas, caseworker):
    home = services.home_create(
        by=caseworker,
        name="和平家园",
        community=areas["community_a2"],
        contact_phone="１３８００１３８０００",
        services=ServiceType.objects.filter(code__in=["care", "work"]),
    )
    assert home.town == areas["town_a"]
    assert home.contact_phone == "13800138000"
    assert sorted(home.services.values_list("code", flat=True)) == ["care", "work"]
    assert home.history.first().history_user == caseworker


def test_assessment_workflow_and_star_level(home_a, template, town_reviewer, reviewer):
    assessment = services.assessment_create(home=home_a, year=2026, by=town_reviewer)
    assert assessment.status == StarAssessment.Status.DRAFT
    assert assessment.scores.count() == 5
    with pytest.raises(ValidationError, match="5 项未评分"):
        services.assessment_submit(assessment=assessment, by=town_reviewer)
    scored(assessment, 20, 16, 16, 16, 16, by=town_reviewer)
    assessment = services.assessment_submit(assessment=assessment, by=town_reviewer)
    assert (assessment.status, assessment.total, assessment.star_level) == ("submitted", 84, 4)
    with pytest.raises(ValidationError, match="不能修改评分"):
        scored(assessment, 20, 20, 20, 20, 20, by=town_reviewer)
    services.assessment_approve(assessment=assessment, by=reviewer)
    assessment.refresh_from_db()
    assert assessment.status == StarAssessment.Status.APPROVED
    assert assessment.decided_by == reviewer
    assert home_list_visible_to(reviewer).get(pk=home_a.pk).current_star == 4


def test_assessor_cannot_approve_own_assessment(home_a, template, reviewer, reviewer2):
    assessment = services.assessment_create(home=home_a, year=2026, by=reviewer)
    scored(assessment, 20, 20, 20, 20, 20, by=reviewer)
    services.assessment_submit(assessment=assessment, by=reviewer)
    with pytest.raises(ValidationError, match="不能审定自己的评定"):
        services.assessment_approve(assessment=assessment, by=reviewer)
    assessment.refresh_from_db()
    assert assessment.status == StarAssessment.Status.SUBMITTED
    services.assessment_approve(assessment=assessment, by=reviewer2)
    assessment.refresh_from_db()
    assert assessment.status == StarAssessment.Status.APPROVED


def test_submitter_cannot_approve_either(home_a, template, town_reviewer, reviewer, reviewer2):
    assessment = services.assessment_create(home=home_a, year=2026, by=town_reviewer)
    scored(assessment, 20, 20, 20, 20, 20, by=town_reviewer)
    services.assessment_submit(assessment=assessment, by=reviewer)
    with pytest.raises(ValidationError, match="不能审定自己的评定"):
        services.assessment_approve(assessment=assessment, by=reviewer)


def test_scorer_cannot_approve(home_a, template, town_reviewer, reviewer, reviewer2):
    assessment = services.assessment_create(home=home_a, year=2026, by=town_reviewer)
    scored(assessment, 20, 20, 20, 20, 19, by=reviewer)
    services.assessment_submit(assessment=assessment, by=town_reviewer)
    with pytest.raises(ValidationError, match="不能审定自己的评定"):
        services.assessment_approve(assessment=assessment, by=reviewer)
    services.assessment_approve(assessment=assessment, by=reviewer2)


def test_return_needs_comment_then_resubmit(home_a, template, town_reviewer, reviewer):
    assessment = services.assessment_create(home=home_a, year=2026, by=town_reviewer)
    scored(assessment, 20, 20, 20, 20, 20, by=town_reviewer)
    services.assessment_submit(assessment=assessment, by=town_reviewer)
    with pytest.raises(ValidationError, match="退回必须填写意见"):
        services.assessment_return(assessment=assessment, by=reviewer, comment=" ")
    services.assessment_return(assessment=assessment, by=reviewer, comment="消防验收证明缺失")
    assessment.refresh_from_db()
    assert assessment.status == StarAssessment.Status.RETURNED
    scored(assessment, 0, 20, 20, 20, 20, by=town_reviewer)
    assessment = services.assessment_submit(assessment=assessment, by=town_reviewer)
    assert assessment.star_level == 2  # the failed fire-safety item caps it
    assert assessment.return_comment == ""


def test_score_above_maximum_refused(home_a, template, town_reviewer):
    assessment = services.assessment_create(home=home_a, year=2026, by=town_reviewer)
    with pytest.raises(ValidationError, match="0 到 20"):
        scored(assessment, 21, by=town_reviewer)


def test_one_assessment_per_home_and_year(home_a, template, town_reviewer):
    services.assessment_create(home=home_a, year=2026, by=town_reviewer)
    with pytest.raises(ValidationError, match="已有星级评定"):
        services.assessment_create(home=home_a, year=2026, by=town_reviewer)


def test_current_star_is_latest_approved(home_a, template, town_reviewer, reviewer):
    small_template(2025)
    approved(home_a, 2025, (FULL,) * 5, by=town_reviewer, approver=reviewer)
    assert home_list_visible_to(reviewer).get(pk=home_a.pk).current_star == 5
    draft = services.assessment_create(home=home_a, year=2026, by=town_reviewer)
    scored(draft, 0, 20, 20, 20, 20, by=town_reviewer)
    assert home_list_visible_to(reviewer).get(pk=home_a.pk).current_star == 5  # not approved
    services.assessment_submit(assessment=draft, by=town_reviewer)
    services.assessment_approve(assessment=draft, by=reviewer)
    home = home_list_visible_to(reviewer).get(pk=home_a.pk)
    assert (home.current_star, home.current_star_year) == (2, 2026)
    assert home_a.assessments.count() == 2  # history kept


def test_template_ensure_copies_latest_year_or_uses_standard(db):
    first = services.star_template_ensure(year=2024)
    assert first.items.count() == len(DEFAULT_ITEMS)
    assert sum(i.max_points for i in first.items.all()) == 100
    first.five_star_min = Decimal("92")
    first.save()
    first.items.filter(order=1).update(title="改过的项目")
    copy = services.star_template_ensure(year=2026)
    assert copy.five_star_min == Decimal("92")
    assert copy.items.filter(title="改过的项目").exists()
    assert services.star_template_ensure(year=2026) == copy


def test_one_membership_at_a_time(home_a, home_b, person_factory, areas, caseworker, admin_user):
    person = person_factory(community=areas["community_a1"])
    services.membership_join(home=home_a, person=person, joined_on=date(2026, 1, 5), by=caseworker)
    with pytest.raises(ValidationError, match="一人只能加入一个残疾人之家"):
        services.membership_join(
            home=home_b, person=person, joined_on=date(2026, 3, 1), by=admin_user
        )
    with pytest.raises(ValidationError, match="已是本残疾人之家的成员"):
        services.membership_join(
            home=home_a, person=person, joined_on=date(2026, 3, 1), by=caseworker
        )
    membership = Membership.objects.get(person=person)
    services.membership_leave(
        membership=membership, left_on=date(2026, 2, 28), reason="搬家", by=caseworker
    )
    with pytest.raises(ValidationError, match="一人只能加入一个残疾人之家"):  # overlaps
        services.membership_join(
            home=home_b, person=person, joined_on=date(2026, 2, 1), by=admin_user
        )
    services.membership_join(home=home_b, person=person, joined_on=date(2026, 3, 1), by=admin_user)
    assert Membership.objects.filter(person=person, left_on__isnull=True).get().home == home_b


def test_person_leaving_registry_ends_membership(home_a, person_factory, areas, caseworker):
    person = person_factory(community=areas["community_a1"])
    services.membership_join(home=home_a, person=person, joined_on=date(2026, 1, 5), by=caseworker)
    day = timezone.localdate() - timedelta(days=1)
    services.attendance_save(home=home_a, day=day, present=[person.pk], by=caseworker)
    today = timezone.localdate()
    services.attendance_save(home=home_a, day=today, present=[person.pk], by=caseworker)
    person_set_status(person=person, status=Person.Status.DECEASED, on=day, by=caseworker)
    membership = Membership.objects.get(person=person)
    assert membership.left_on == day
    assert "死亡" in membership.leave_reason
    assert list(Attendance.objects.values_list("date", flat=True)) == [day]  # not after death
    with pytest.raises(ValidationError, match="不能加入"):
        services.membership_join(
            home=home_a, person=person, joined_on=date(2026, 2, 1), by=caseworker
        )


def test_attendance_save_is_idempotent_and_members_only(
    home_a, home_b, person_factory, areas, caseworker
):
    ann, bob, eve = (person_factory(community=areas["community_a1"]) for _ in range(3))
    for p in (ann, bob):
        services.membership_join(home=home_a, person=p, joined_on=date(2026, 1, 1), by=caseworker)
    day = timezone.localdate()
    services.attendance_save(home=home_a, day=day, present=[ann.pk, bob.pk], by=caseworker)
    result = services.attendance_save(home=home_a, day=day, present=[ann.pk], by=caseworker)
    assert result == {"present": 1, "added": 0, "removed": 1}
    assert list(Attendance.objects.values_list("person", flat=True)) == [ann.pk]
    with pytest.raises(ValidationError, match="不是本家成员"):
        services.attendance_save(home=home_a, day=day, present=[eve.pk], by=caseworker)
    with pytest.raises(ValidationError, match="以后"):
        services.attendance_save(
            home=home_a, day=day + timedelta(days=1), present=[], by=caseworker
        )
    before = date(2025, 12, 31)
    with pytest.raises(ValidationError, match="不是本家成员"):  # not yet a member then
        services.attendance_save(home=home_a, day=before, present=[ann.pk], by=caseworker)


def test_service_record_attendees_must_be_members(home_a, person_factory, areas, caseworker):
    ann, eve = (person_factory(community=areas["community_a1"]) for _ in range(2))
    services.membership_join(home=home_a, person=ann, joined_on=date(2026, 1, 1), by=caseworker)
    care = ServiceType.objects.get(code="care")
    record = services.service_record_create(
        home=home_a,
        by=caseworker,
        date=date(2026, 2, 3),
        service_type=care,
        hours=Decimal("2.5"),
        attendees=[ann.pk],
    )
    assert list(record.attendees.all()) == [ann]
    with pytest.raises(ValidationError, match="本家成员"):
        services.service_record_create(
            home=home_a,
            by=caseworker,
            date=date(2026, 2, 3),
            service_type=care,
            hours=Decimal("1"),
            attendees=[eve.pk],
        )


def test_closed_home_takes_no_members(areas, person_factory, caseworker):
    home = HomeFactory(community=areas["community_a1"], status=Home.Status.CLOSED)
    person = person_factory(community=areas["community_a1"])
    with pytest.raises(ValidationError, match="不在运营中"):
        services.membership_join(
            home=home, person=person, joined_on=date(2026, 1, 1), by=caseworker
        )


def test_home_closes_only_without_members(home_a, person_factory, areas, caseworker):
    person = person_factory(community=areas["community_a1"])
    membership = services.membership_join(
        home=home_a, person=person, joined_on=date(2026, 1, 1), by=caseworker
    )
    with pytest.raises(ValidationError, match="1 名在册成员"):
        services.home_update(home=home_a, by=caseworker, status=Home.Status.CLOSED)
    services.membership_leave(
        membership=membership, left_on=date(2026, 2, 1), reason="", by=caseworker
    )
    home = services.home_update(home=home_a, by=caseworker, status=Home.Status.CLOSED)
    assert home.status == Home.Status.CLOSED


def test_leave_date_cannot_precede_recorded_attendance(home_a, person_factory, areas, caseworker):
    person = person_factory(community=areas["community_a1"])
    membership = services.membership_join(
        home=home_a, person=person, joined_on=date(2026, 1, 1), by=caseworker
    )
    services.attendance_save(home=home_a, day=date(2026, 3, 2), present=[person.pk], by=caseworker)
    with pytest.raises(ValidationError, match="2026-03-02 还有出勤记录"):
        services.membership_leave(
            membership=membership, left_on=date(2026, 3, 1), reason="", by=caseworker
        )
    services.membership_leave(
        membership=membership, left_on=date(2026, 3, 2), reason="", by=caseworker
    )


def test_attendance_error_never_names_people_outside_the_users_towns(
    home_a, person_factory, areas, caseworker
):
    own = person_factory(community=areas["community_a1"], name="本镇甲")
    foreign = person_factory(community=areas["community_b1"], name="外镇乙")
    with pytest.raises(ValidationError) as exc:
        services.attendance_save(
            home=home_a, day=timezone.localdate(), present=[own.pk, foreign.pk], by=caseworker
        )
    message = " ".join(exc.value.messages)
    assert "本镇甲" in message
    assert "外镇乙" not in message
    assert "另有 1 人" in message


def test_service_type_catalogue_is_restored_when_emptied(db):
    from homes.models import SERVICE_TYPES, ServiceType
    from homes.services import service_type_catalogue_ensure

    ServiceType.objects.all().delete()  # as a flush between transactional tests leaves it
    types = service_type_catalogue_ensure()
    assert [(t.code, t.name) for t in ServiceType.objects.all()] == [
        (code, name) for code, name, _order in SERVICE_TYPES
    ]
    assert set(types) == {code for code, _name, _order in SERVICE_TYPES}
