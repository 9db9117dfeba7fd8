from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from dfed.core.months import month_add, month_start
from subsidies.models import Application, ApplicationEvent, Entitlement, SubsidyType
from subsidies.services import (
    application_approve,
    application_attach,
    application_create,
    application_reject,
    application_return,
    application_submit,
    application_town_approve,
)
from subsidies.tests.factories import PDF_BYTES

LIVING, CARE = SubsidyType.LIVING, SubsidyType.CARE
S = Application.Status


@pytest.fixture
def draft(person, caseworker):
    return application_create(person=person, type=LIVING, by=caseworker, reason="低保户")


@pytest.fixture
def at_district(draft, caseworker, town_reviewer):
    application_submit(application=draft, by=caseworker)
    return application_town_approve(application=draft, by=town_reviewer, comment="属实")


def test_application_full_chain_opens_entitlement(at_district, reviewer):
    entitlement = application_approve(application=at_district, by=reviewer, comment="同意")
    at_district.refresh_from_db()
    assert at_district.status == S.APPROVED
    assert entitlement.state == Entitlement.State.ACTIVE
    assert entitlement.start_month == month_add(month_start(timezone.localdate()), 1)
    assert entitlement.paid_through is None
    assert entitlement.application == at_district
    actions = list(at_district.events.values_list("action", "by__username", "comment"))
    assert actions == [
        ("create", "caseworker", ""),
        ("submit", "caseworker", ""),
        ("town_approve", "townhead", "属实"),
        ("approve", "reviewer", "同意"),
    ]
    assert at_district.history.count() >= 4


def test_application_approve_with_earlier_month(at_district, reviewer):
    entitlement = application_approve(
        application=at_district, by=reviewer, approved_from=date(2025, 3, 1)
    )
    assert entitlement.start_month == date(2025, 3, 1)


def test_application_approve_refuses_start_after_next_month(at_district, reviewer):
    later = month_add(month_start(timezone.localdate()), 3)
    with pytest.raises(ValidationError, match="起始月份不能晚于"):
        application_approve(application=at_district, by=reviewer, approved_from=later)


def test_application_submit_refuses_with_reasons(draft, caseworker, person):
    person.household = "general"
    person.save()
    with pytest.raises(ValidationError) as exc:
        application_submit(application=draft, by=caseworker)
    assert exc.value.messages == ["生活补贴须为低保家庭（当前：一般）"]
    draft.refresh_from_db()
    assert draft.status == S.DRAFT


def test_application_create_refuses_ineligible(person_factory, areas, caseworker):
    person = person_factory(community=areas["community_a1"], level=4)
    with pytest.raises(ValidationError, match="护理补贴须为一级或二级残疾"):
        application_create(person=person, type=CARE, by=caseworker)


def test_application_create_refuses_duplicate(draft, person, caseworker):
    with pytest.raises(ValidationError, match="已有未办结的生活补贴申请"):
        application_create(person=person, type=LIVING, by=caseworker)


def test_application_return_goes_back_to_draft_with_comment(draft, caseworker, town_reviewer):
    application_submit(application=draft, by=caseworker)
    with pytest.raises(ValidationError):
        application_return(application=draft, by=town_reviewer, comment=" ")
    application_return(application=draft, by=town_reviewer, comment="缺低保证明")
    draft.refresh_from_db()
    assert draft.status == S.DRAFT
    event = draft.events.last()
    assert (event.action, event.comment, event.by) == ("return", "缺低保证明", town_reviewer)
    application_submit(application=draft, by=caseworker)  # can be resubmitted
    draft.refresh_from_db()
    assert draft.status == S.TOWN_REVIEW


def test_application_reject_needs_reason(at_district, reviewer):
    with pytest.raises(ValidationError, match="驳回必须填写理由"):
        application_reject(application=at_district, by=reviewer, comment="")
    application_reject(application=at_district, by=reviewer, comment="收入超标")
    at_district.refresh_from_db()
    assert at_district.status == S.REJECTED
    assert at_district.decision_comment == "收入超标"
    assert not Entitlement.objects.exists()


@pytest.mark.parametrize(
    ("user_fixture", "step"),
    [
        ("caseworker", "town_approve"),
        ("reviewer", "town_approve"),
        ("caseworker", "approve"),
        ("town_reviewer", "approve"),
        ("official", "submit"),
        ("reviewer", "submit"),
    ],
)
def test_application_steps_refused_for_wrong_role(request, draft, caseworker, user_fixture, step):
    user = request.getfixturevalue(user_fixture)
    if step != "submit":
        application_submit(application=draft, by=caseworker)
    call = {
        "submit": lambda: application_submit(application=draft, by=user),
        "town_approve": lambda: application_town_approve(application=draft, by=user),
        "approve": lambda: application_approve(application=draft, by=user),
    }[step]
    with pytest.raises(PermissionDenied):
        call()


def test_application_other_town_refused(person_b, caseworker, make_user, town_b):
    with pytest.raises(PermissionDenied):
        application_create(person=person_b, type=LIVING, by=caseworker)


def test_application_town_reviewer_of_other_town_refused(draft, caseworker, make_user, town_b):
    from dfed.accounts.roles import Role

    other_head = make_user("head_b", Role.TOWN_REVIEWER, towns=[town_b])
    application_submit(application=draft, by=caseworker)
    with pytest.raises(PermissionDenied):
        application_town_approve(application=draft, by=other_head)


@pytest.mark.parametrize(
    ("status", "call"),
    [
        (S.DRAFT, "approve"),
        (S.DRAFT, "town_approve"),
        (S.TOWN_REVIEW, "submit"),
        (S.TOWN_REVIEW, "approve"),
        (S.DISTRICT_REVIEW, "return"),
        (S.APPROVED, "reject"),
    ],
)
def test_application_forbidden_transitions(
    draft, caseworker, town_reviewer, reviewer, status, call
):
    if status != S.DRAFT:
        application_submit(application=draft, by=caseworker)
    if status in (S.DISTRICT_REVIEW, S.APPROVED):
        application_town_approve(application=draft, by=town_reviewer)
    if status == S.APPROVED:
        application_approve(application=draft, by=reviewer)
    calls = {
        "submit": lambda: application_submit(application=draft, by=caseworker),
        "town_approve": lambda: application_town_approve(application=draft, by=town_reviewer),
        "return": lambda: application_return(application=draft, by=town_reviewer, comment="x"),
        "approve": lambda: application_approve(application=draft, by=reviewer),
        "reject": lambda: application_reject(application=draft, by=reviewer, comment="x"),
    }
    with pytest.raises(ValidationError, match="不能变为"):
        calls[call]()


def test_application_attach_checks_content(draft, caseworker, settings):
    good = SimpleUploadedFile("证明.pdf", PDF_BYTES, content_type="application/pdf")
    attachment = application_attach(application=draft, upload=good, by=caseworker)
    assert attachment.content_type == "application/pdf"
    assert attachment.file.path.startswith(str(settings.MEDIA_ROOT))
    assert ApplicationEvent.objects.filter(action="attach").count() == 1
    fake = SimpleUploadedFile("x.pdf", b"MZ not a pdf", content_type="application/pdf")
    with pytest.raises(ValidationError, match="文件内容与扩展名不符"):
        application_attach(application=draft, upload=fake, by=caseworker)
    exe = SimpleUploadedFile("x.exe", b"MZ", content_type="application/octet-stream")
    with pytest.raises(ValidationError, match="只能上传"):
        application_attach(application=draft, upload=exe, by=caseworker)


def test_application_approve_rechecks_eligibility(at_district, reviewer, person):
    person.status, person.status_date = "deceased", date(2025, 5, 3)
    person.save()
    with pytest.raises(ValidationError, match="本人已死亡"):
        application_approve(application=at_district, by=reviewer)


def test_application_attach_size_limit(draft, caseworker, settings):
    settings.UPLOAD_MAX_BYTES = 1024
    big = SimpleUploadedFile("big.pdf", PDF_BYTES + b"0" * 2048, content_type="application/pdf")
    with pytest.raises(ValidationError, match="文件不能超过"):
        application_attach(application=draft, upload=big, by=caseworker)
    assert not draft.attachments.exists()
