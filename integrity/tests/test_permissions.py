"""The integrity services are the gate: a user without the permission is refused by the
service itself (PermissionDenied), whatever calls it. (Integrity has no town scope.)"""

import pytest
from django.core.exceptions import PermissionDenied

from integrity.models import ReminderCampaign, StudySession
from integrity.services import (
    ledger_record_save,
    reminder_campaign_cancel,
    reminder_campaign_save,
    reminder_campaign_send,
    reminder_campaign_test_send,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def campaign(db):
    return ReminderCampaign.objects.create(
        year=2026, festival="spring", template="{姓名}：廉洁过节"
    )


@pytest.mark.parametrize(
    "call",
    [
        lambda c, by: reminder_campaign_save(campaign=c, by=by),
        lambda c, by: reminder_campaign_send(campaign=c, by=by),
        lambda c, by: reminder_campaign_cancel(campaign=c, by=by),
        lambda c, by: reminder_campaign_test_send(campaign=c, user=by),
        lambda c, by: ledger_record_save(
            instance=StudySession(held_on=c.created_at.date(), kind="study", topic="学习"), by=by
        ),
    ],
    ids=["save", "send", "cancel", "test_send", "ledger"],
)
@pytest.mark.parametrize("role", ["caseworker", "reviewer", "official"])
def test_only_integrity_staff_pass_the_service(call, role, campaign, request):
    user = request.getfixturevalue(role)
    with pytest.raises(PermissionDenied):
        call(campaign, user)
    campaign.refresh_from_db()
    assert campaign.status == ReminderCampaign.Status.PLANNED
    assert not StudySession.objects.exists()


def test_the_integrity_officer_passes(campaign, integrity_officer):
    assert reminder_campaign_cancel(campaign=campaign, by=integrity_officer).status == "cancelled"
