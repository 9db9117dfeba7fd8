"""Which steps each role is offered on every status pipeline, per status: from the transition
map, the actions' permissions and the row's town (``StatusPipelineMixin.available_actions``),
and that action views accept exactly those (``action_check``). The star assessment's table is in
homes/tests/test_actions.py."""

import pytest
from django.contrib.auth.models import Permission
from django.core.exceptions import PermissionDenied, ValidationError

from accessibility.models import AccessibleCommunity, RetrofitProject
from dfed.accounts.roles import Role
from dfed.notifications.models import SmsMessage
from dfed.people.models import PersonTransfer
from integrity.models import ReminderCampaign
from subsidies.models import (
    AccountCorrection,
    Application,
    Entitlement,
    Finding,
    PaymentBatch,
    RecoveryItem,
)

CW, TR, RV, OF, IN, AD = Role.ALL

# pipeline → role → {status: offered action names}; a status not listed offers nothing.
A, B, F = Application.Status, PaymentBatch.Status, Finding.Status
P, C = RetrofitProject.Status, AccessibleCommunity.Status
EXPECTED = {
    "application": (
        lambda status: Application(status=status),
        Application.Status,
        {
            CW: {A.DRAFT: ["submit"]},
            TR: {A.DRAFT: ["submit"], A.TOWN_REVIEW: ["town-approve", "return"]},
            RV: {A.DISTRICT_REVIEW: ["approve", "reject"]},
            AD: {
                A.DRAFT: ["submit"],
                A.TOWN_REVIEW: ["town-approve", "return"],
                A.DISTRICT_REVIEW: ["approve", "reject"],
            },
        },
    ),
    "payment batch": (
        lambda status: PaymentBatch(status=status),
        PaymentBatch.Status,
        {
            role: {
                B.DRAFT: ["confirm", "hold"],
                B.CONFIRMED: ["export"],
                B.EXPORTED: ["export", "return", "paid", "fail"],
            }
            for role in (RV, AD)
        },
    ),
    "entitlement": (
        lambda state: Entitlement(state=state),
        Entitlement.State,
        {
            role: {
                "active": ["suspend", "end", "review"],
                "suspended": ["resume", "end", "review"],
            }
            for role in (TR, RV, AD)
        },
    ),
    "recovery": (
        lambda status: RecoveryItem(status=status),
        RecoveryItem.Status,
        {RV: {"pending": ["recover"]}, AD: {"pending": ["recover"]}},
    ),
    "account correction": (
        lambda status: AccountCorrection(status=status),
        AccountCorrection.Status,
        {role: {"open": ["correct"]} for role in (CW, TR, AD)},
    ),
    "finding (stop)": (
        lambda status: Finding(status=status, kind="stop", rule="died"),
        Finding.Status,
        {role: {F.OPEN: ["stop", "dismiss"]} for role in (CW, TR, RV, AD)},
    ),
    "finding (start)": (
        lambda status: Finding(status=status, kind="start", rule="start_living"),
        Finding.Status,
        {role: {F.OPEN: ["start", "invite", "dismiss"]} for role in (CW, TR, RV, AD)},
    ),
    "finding (new certificate holder)": (
        lambda status: Finding(status=status, kind="start", rule="invite_new"),
        Finding.Status,
        {role: {F.OPEN: ["dismiss"]} for role in (CW, TR, RV, AD)},
    ),
    "finding (correct)": (
        lambda status: Finding(status=status, kind="correct", rule="name"),
        Finding.Status,
        {role: {F.OPEN: ["correct", "dismiss"]} for role in (CW, TR, RV, AD)},
    ),
    "retrofit project": (
        lambda status: RetrofitProject(status=status),
        RetrofitProject.Status,
        {
            **{
                role: {
                    P.APPLIED: ["intake"],
                    P.ASSESSMENT: ["assess", "return"],
                    P.CONSTRUCTION: ["construction"],
                    P.RETURNED: ["reopen"],
                }
                for role in (CW, TR)
            },
            RV: {P.APPROVAL: ["approve", "return"], P.ACCEPTANCE: ["accept", "return"]},
            AD: {
                P.APPLIED: ["intake"],
                P.ASSESSMENT: ["assess", "return"],
                P.APPROVAL: ["approve", "return"],
                P.CONSTRUCTION: ["construction"],
                P.ACCEPTANCE: ["accept", "return"],
                P.RETURNED: ["reopen"],
            },
        },
    ),
    "accessible community": (
        lambda status: AccessibleCommunity(status=status),
        AccessibleCommunity.Status,
        {
            CW: {C.DECLARED: ["start"], C.BUILDING: ["check"], C.FAILED: ["start"]},
            TR: {C.DECLARED: ["start"], C.BUILDING: ["check"], C.FAILED: ["start"]},
            RV: {C.BUILDING: ["decide"]},
            AD: {C.DECLARED: ["start"], C.BUILDING: ["decide", "check"], C.FAILED: ["start"]},
        },
    ),
    "reminder campaign": (
        lambda status: ReminderCampaign(status=status),
        ReminderCampaign.Status,
        {role: {"planned": ["edit", "send", "cancel"]} for role in (IN, AD)},
    ),
    "person transfer": (
        lambda status: PersonTransfer(status=status),
        PersonTransfer.Status,
        {role: {"pending": ["approve", "reject"]} for role in (RV, AD)},
    ),
    "sms message": (
        lambda status: SmsMessage(status=status),
        SmsMessage.Status,
        {role: {"failed": ["resend"]} for role in (IN, AD)},
    ),
}

CASES = [
    (pipeline, role, status)
    for pipeline, (_build, statuses, _table) in EXPECTED.items()
    for role in Role.ALL
    for status in statuses.values
]


@pytest.fixture(scope="module")
def users(django_db_setup, django_db_blocker):
    from dfed.accounts.tests.factories import user_with_role

    with django_db_blocker.unblock():
        made = {role: user_with_role(f"pipeline{i}", role) for i, role in enumerate(Role.ALL)}
        for user in made.values():
            user.get_all_permissions()  # cached on the user: the cases need no database
    yield made
    with django_db_blocker.unblock():
        for user in made.values():
            user.delete()


@pytest.mark.parametrize(("pipeline", "role", "status"), CASES)
def test_available_actions_per_role_and_status(pipeline, role, status, users):
    build, _statuses, table = EXPECTED[pipeline]
    row = build(status)
    names = [action.name for action in row.available_actions(users[role])]
    assert names == table.get(role, {}).get(status, [])


@pytest.mark.parametrize(("pipeline", "role", "status"), CASES)
def test_action_check_accepts_exactly_the_available_actions(pipeline, role, status, users):
    build, _statuses, _table = EXPECTED[pipeline]
    row = build(status)
    user = users[role]
    offered = {action.name for action in row.available_actions(user)}
    for name in {action.name for action in row.ACTIONS}:
        if name in offered:
            row.action_check(user, name)
        else:
            with pytest.raises((PermissionDenied, ValidationError)):
                row.action_check(user, name)


def test_town_scope_a_caseworker_is_offered_nothing_in_another_town(
    make_user, person_factory, areas
):
    caseworker = make_user("cw", CW, towns=[areas["town_a"]])
    mine = Application(status=A.DRAFT, person=person_factory(community=areas["community_a1"]))
    theirs = Application(status=A.DRAFT, person=person_factory(community=areas["community_b1"]))
    assert [a.name for a in mine.available_actions(caseworker)] == ["submit"]
    assert theirs.available_actions(caseworker) == []
    with pytest.raises(PermissionDenied):
        theirs.action_check(caseworker, "submit")


def test_action_check_names_the_state_when_the_map_refuses(make_user, areas):
    reviewer = make_user("rv", RV)
    with pytest.raises(ValidationError, match="已发放") as caught:
        PaymentBatch(status=B.PAID).action_check(reviewer, "confirm")
    assert caught.value.code == "bad_transition"


def test_transfers_are_decided_by_district_reviewers_only(make_user, areas):
    town_user = make_user("tr", TR, towns=[areas["town_a"]])
    town_user.user_permissions.add(Permission.objects.get(codename="approve_persontransfer"))
    town_user = type(town_user).objects.get(pk=town_user.pk)
    assert town_user.has_perm("people.approve_persontransfer")
    assert PersonTransfer(status="pending").available_actions(town_user) == []
