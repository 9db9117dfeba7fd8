import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from accessibility import services
from accessibility.models import AccessibleCommunity, CommunityCheck
from dfed.accounts.roles import Role

from .factories import FAKE_JPEG, ChecklistItemFactory, jpeg, png

C = AccessibleCommunity.Status
pytestmark = pytest.mark.django_db


@pytest.fixture
def standard(db):
    return ChecklistItemFactory.create_batch(2) + [ChecklistItemFactory(active=False)]


@pytest.fixture
def creation(standard, areas, caseworker, year):
    creation = services.community_declare(community=areas["community_a1"], year=year, by=caseworker)
    return services.community_start(creation=creation, by=caseworker)


def test_declare_creates_a_check_per_active_item(standard, areas, caseworker, year):
    creation = services.community_declare(community=areas["community_a2"], year=year, by=caseworker)
    assert creation.status == C.DECLARED
    assert creation.town == areas["town_a"]
    assert creation.checks.count() == 2


def test_declare_once_per_community_year(creation, areas, caseworker, year):
    with pytest.raises(ValidationError, match=f"编号 {creation.pk}"):
        services.community_declare(community=areas["community_a1"], year=year, by=caseworker)


def test_declare_outside_own_town_is_denied(standard, areas, caseworker, year):
    with pytest.raises(PermissionDenied):
        services.community_declare(community=areas["community_b1"], year=year, by=caseworker)


def test_done_needs_evidence_or_note_and_evidence_type_is_checked(creation, caseworker):
    check = creation.checks.first()
    with pytest.raises(ValidationError, match="须上传佐证材料或填写说明"):
        services.community_check_update(check=check, by=caseworker, state="done")
    with pytest.raises(ValidationError, match="文件内容与扩展名不符"):
        services.community_check_update(
            check=check, by=caseworker, state="done", evidence=png("x.png", b"not a png")
        )
    with pytest.raises(ValidationError, match="无法识别为有效的 JPEG 图片"):
        services.community_check_update(
            check=check, by=caseworker, state="done", evidence=jpeg("x.jpg", FAKE_JPEG)
        )
    check = services.community_check_update(
        check=check, by=caseworker, state="done", evidence=png()
    )
    assert check.state == CommunityCheck.State.DONE
    assert check.evidence.name.startswith("accessibility/evidence/")
    assert check.updated_by == caseworker


def test_pass_needs_every_item_done(creation, caseworker, reviewer):
    with pytest.raises(ValidationError, match="尚有 2 项标准条目未达标"):
        services.community_decide(creation=creation, by=reviewer, passed=True)
    for check in creation.checks.all():
        services.community_check_update(check=check, by=caseworker, state="done", note="已完成")
    creation = services.community_decide(creation=creation, by=reviewer, passed=True)
    assert creation.status == C.PASSED
    assert creation.decided_by == reviewer


def test_fail_needs_a_note_and_can_be_resumed(creation, caseworker, reviewer):
    with pytest.raises(ValidationError, match="未通过须填写验收意见"):
        services.community_decide(creation=creation, by=reviewer, passed=False)
    creation = services.community_decide(
        creation=creation, by=reviewer, passed=False, note="盲道不连续"
    )
    assert creation.status == C.FAILED
    assert services.community_start(creation=creation, by=caseworker).status == C.BUILDING


def test_only_reviewers_decide(creation, caseworker, make_user):
    with pytest.raises(PermissionDenied):
        services.community_decide(creation=creation, by=caseworker, passed=False, note="x")
    with pytest.raises(PermissionDenied):
        services.community_decide(
            creation=creation, by=make_user("o", Role.OFFICIAL), passed=False, note="x"
        )


def test_checks_only_change_while_building(standard, areas, caseworker, year):
    creation = services.community_declare(community=areas["community_a2"], year=year, by=caseworker)
    with pytest.raises(ValidationError, match="只有“创建中”"):
        services.community_check_update(
            check=creation.checks.first(), by=caseworker, state="in_progress"
        )
