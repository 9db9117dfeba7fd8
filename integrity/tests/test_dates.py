"""Date order in the ledger, in the form and in the service."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from integrity.models import Inspection, MajorDecision, Rectification, StudySession, Talk
from integrity.services import ledger_record_save

pytestmark = pytest.mark.django_db


@pytest.fixture
def inspection():
    return Inspection.objects.create(
        year=2026, period=Inspection.Period.MID_YEAR, held_on=date(2026, 7, 15), inspectors="纪检组"
    )


def test_rectification_cannot_close_before_its_inspection_in_the_service(
    inspection, org, integrity_officer
):
    item = Rectification(
        inspection=inspection,
        description="补齐台账",
        owner=org["head_office"],
        due_on=date(2026, 8, 31),
        closed_on=date(2026, 7, 1),
    )
    with pytest.raises(ValidationError) as caught:
        ledger_record_save(instance=item, by=integrity_officer)
    assert caught.value.message_dict["closed_on"] == [
        "销号日期（2026-07-01）不能早于检查日期（2026-07-15）"
    ]
    assert not Rectification.objects.exists()
    item.closed_on = date(2026, 7, 20)
    ledger_record_save(instance=item, by=integrity_officer)
    assert Rectification.objects.get().closed_on == date(2026, 7, 20)


def test_rectification_due_before_the_inspection_is_refused_in_the_form(
    client, integrity_officer, inspection, org
):
    client.force_login(integrity_officer)
    response = client.post(
        reverse("integrity:rectification-create"),
        {
            "inspection": inspection.pk,
            "description": "补齐台账",
            "owner": org["head_office"].pk,
            "due_on": "2026-07-01",
            "closed_on": "2026-07-02",
        },
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "整改期限（2026-07-01）不能早于检查日期（2026-07-15）" in page
    assert "销号日期（2026-07-02）不能早于检查日期（2026-07-15）" in page
    assert not Rectification.objects.exists()


def test_inspection_cannot_move_after_a_closed_item(inspection, org, integrity_officer):
    Rectification.objects.create(
        inspection=inspection,
        description="补齐台账",
        owner=org["head_office"],
        due_on=date(2026, 8, 31),
        closed_on=date(2026, 7, 20),
    )
    inspection.held_on = date(2026, 7, 25)
    with pytest.raises(ValidationError, match="已于2026-07-20销号"):
        ledger_record_save(instance=inspection, by=integrity_officer)


def test_talk_and_session_cannot_be_recorded_in_the_future(client, integrity_officer, org):
    tomorrow = timezone.localdate() + timedelta(days=1)
    talk = Talk(held_on=tomorrow, talker=org["secretary"], talkee=org["deputy"], topic="谈心")
    with pytest.raises(ValidationError) as caught:
        ledger_record_save(instance=talk, by=integrity_officer)
    assert "日期不能晚于今天" in caught.value.message_dict["held_on"][0]
    client.force_login(integrity_officer)
    response = client.post(
        reverse("integrity:session-create"),
        {"held_on": tomorrow.isoformat(), "kind": "study", "topic": "学习"},
    )
    assert response.status_code == 400
    assert "日期不能晚于今天" in response.content.decode()
    assert not StudySession.objects.exists()
    decision = MajorDecision(
        matter="采购",
        category=MajorDecision.Category.FUNDS,
        meeting="党组会",
        decided_on=tomorrow,
        participants="全体",
        outcome="同意",
    )
    with pytest.raises(ValidationError, match="不能晚于今天"):
        ledger_record_save(instance=decision, by=integrity_officer)
