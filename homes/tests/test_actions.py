"""Which pipeline steps each role is offered on a star assessment, per status (from the
transition map and the roles' permissions), and that the page shows exactly those."""

import pytest
from django.urls import reverse

from dfed.accounts.roles import Role
from homes.models import StarAssessment

S = StarAssessment.Status

# role → status → the action names offered
NONE = {S.DRAFT: [], S.RETURNED: [], S.SUBMITTED: [], S.APPROVED: []}
EXPECTED = {
    Role.CASEWORKER: NONE,  # runs homes, does not assess
    Role.TOWN_REVIEWER: {
        S.DRAFT: ["submit"],
        S.RETURNED: ["submit"],
        S.SUBMITTED: [],
        S.APPROVED: [],
    },
    Role.REVIEWER: {
        S.DRAFT: ["submit"],
        S.RETURNED: ["submit"],
        S.SUBMITTED: ["approve", "return"],
        S.APPROVED: [],
    },
    Role.OFFICIAL: NONE,
}


@pytest.mark.parametrize("role", list(EXPECTED))
@pytest.mark.parametrize("status", [S.DRAFT, S.RETURNED, S.SUBMITTED, S.APPROVED])
def test_available_actions_per_role_and_status(role, status, make_user):
    user = make_user("u", role)
    assessment = StarAssessment(status=status)
    names = [a.name for a in assessment.available_actions(user)]
    assert names == EXPECTED[role][status]


@pytest.mark.parametrize(
    ("role", "status", "buttons"),
    [
        (Role.REVIEWER, S.SUBMITTED, ["审定通过", "退回"]),
        (Role.TOWN_REVIEWER, S.DRAFT, ["提交审定"]),
        (Role.OFFICIAL, S.SUBMITTED, []),
    ],
)
def test_detail_page_offers_exactly_the_available_actions(
    role, status, buttons, make_user, client, areas, admin_user
):
    from homes.models import Home, StarAssessmentTemplate

    community = areas["community_a1"]
    home = Home.objects.create(name="一家", community=community, town=community.parent)
    assessment = StarAssessment.objects.create(
        home=home,
        year=2026,
        template=StarAssessmentTemplate.objects.create(year=2026),
        status=status,
        created_by=admin_user,
    )
    client.force_login(make_user("u", role, towns=[community.parent]))
    html = client.get(reverse("homes:assessment-detail", args=[assessment.pk])).content.decode()
    offered = [label for label in ("提交审定", "审定通过", "退回") if f">{label}</button>" in html]
    assert offered == buttons
