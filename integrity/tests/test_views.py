import io
from datetime import date

import openpyxl
import pytest
from django.urls import reverse
from django.utils import timezone

from integrity.models import Commitment, ResponsibilityLetter, StudySession
from integrity.services import reminder_campaigns_ensure_year

from .factories import LetterFactory, StaffFactory, StudySessionFactory, TalkFactory

pytestmark = pytest.mark.django_db


def test_overview_counts_what_was_done(client, integrity_officer, org):
    LetterFactory(year=2026, issuer=org["secretary"], signer=org["deputy"])
    LetterFactory(year=2026, issuer=org["deputy"], signer=org["head_office"], signed_on=None)
    StudySessionFactory(held_on=date(2026, 3, 5))
    StudySessionFactory(held_on=date(2025, 3, 5))
    client.force_login(integrity_officer)
    response = client.get(reverse("integrity:overview"), {"year": 2026})
    rows = {r["key"]: r for r in response.context["rows"]}
    assert (rows["letters"]["done"], rows["letters"]["due"]) == (1, 3)
    assert rows["special"]["done"] == 1
    assert rows["special"]["href"] == "/integrity/sessions/?year=2026&kind=special"
    assert "2026年党风廉政建设总览" in response.content.decode()


def test_official_reads_but_cannot_add(client, official, org):
    client.force_login(official)
    assert client.get(reverse("integrity:letter-list")).status_code == 200
    assert client.get(reverse("integrity:letter-create")).status_code == 403


def test_caseworker_cannot_open_ledger(client, caseworker):
    client.force_login(caseworker)
    assert client.get(reverse("integrity:overview")).status_code == 403


def test_integrity_officer_records_signed_letter(client, integrity_officer, org):
    client.force_login(integrity_officer)
    response = client.post(
        reverse("integrity:letter-create"),
        {
            "year": 2026,
            "issuer": org["secretary"].pk,
            "signer": org["deputy"].pk,
            "signed_on": "2026-02-20",
        },
    )
    assert response.status_code == 302
    assert ResponsibilityLetter.objects.get(signer=org["deputy"]).signed_on == date(2026, 2, 20)
    response = client.post(
        reverse("integrity:letter-create"),
        {"year": 2026, "issuer": org["deputy"].pk, "signer": org["deputy"].pk},
    )
    assert response.status_code == 400
    assert "不能是同一人" in response.content.decode()


def test_session_form_records_attendance(client, integrity_officer, org):
    client.force_login(integrity_officer)
    response = client.post(
        reverse("integrity:session-create"),
        {
            "held_on": "2026-05-08",
            "kind": "special",
            "topic": "专题研究党风廉政",
            "attendees": [org["secretary"].pk, org["deputy"].pk],
        },
    )
    assert response.status_code == 302
    session = StudySession.objects.get(topic="专题研究党风廉政")
    assert session.attendees.count() == 2
    listing = client.get(reverse("integrity:session-list"), {"year": 2026, "kind": "special"})
    assert "专题研究党风廉政" in listing.content.decode()


def test_letter_chain_shows_who_has_not_signed(client, integrity_officer, org):
    LetterFactory(year=2026, issuer=org["secretary"], signer=org["deputy"])
    client.force_login(integrity_officer)
    response = client.get(reverse("integrity:letter-chain"), {"year": 2026})
    unsigned = {r["signer"].name for r in response.context["unsigned"]}
    assert unsigned == {"赵主任", "钱科长"}
    assert "尚有 2 人未签订" in response.content.decode()


def test_talk_content_only_for_parties_and_integrity(client, make_user, integrity_officer, org):
    from dfed.accounts.roles import Role

    official = make_user("leader1", Role.OFFICIAL)
    other_official = make_user("leader2", Role.OFFICIAL)
    talk = TalkFactory(talker=StaffFactory(user=official))
    url = reverse("integrity:talk-detail", args=[talk.pk])
    client.force_login(official)
    assert "谈话内容机密" in client.get(url).content.decode()
    client.force_login(other_official)
    page = client.get(url).content.decode()
    assert "谈话内容机密" not in page
    assert "仅谈话双方和纪检人员可见" in page
    client.force_login(integrity_officer)
    assert "谈话内容机密" in client.get(url).content.decode()
    client.force_login(other_official)
    export = client.get(reverse("integrity:talk-list"), {"export": "xlsx"})
    assert "谈话内容机密" not in str(
        list(openpyxl.load_workbook(io.BytesIO(b"".join(export.streaming_content))).active.values)
    )


def test_commitment_list_export(client, integrity_officer, org):
    Commitment.objects.create(year=2026, staff=org["clerk"], signed_on=date(2026, 1, 10))
    client.force_login(integrity_officer)
    response = client.get(reverse("integrity:commitment-list"), {"export": "xlsx", "year": 2026})
    sheet = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    assert "孙干事" in str(list(sheet.values))


def test_campaign_pages_show_send_day_and_preview(client, integrity_officer, org):
    reminder_campaigns_ensure_year(year=2026)
    client.force_login(integrity_officer)
    listing = client.get(reverse("integrity:campaign-list"), {"year": 2026})
    assert "2026-02-14" in listing.content.decode()
    spring = listing.context["campaigns"][1]
    detail = client.get(reverse("integrity:campaign-detail", args=[spring.pk])).content.decode()
    assert "李书记同志：春节将至" in detail
    response = client.post(
        reverse("integrity:campaign-edit", args=[spring.pk]),
        {"template": "{姓名}{职务}", "audience": "all", "offset_days": 0},
    )
    assert response.status_code == 400
    assert "无法识别的占位符" in response.content.decode()


def test_letters_are_signed_down_the_chain(client, integrity_officer, org):
    client.force_login(integrity_officer)
    url = reverse("integrity:letter-create")
    wrong_issuer = client.post(
        url, {"year": 2026, "issuer": org["secretary"].pk, "signer": org["head_office"].pk}
    )
    assert "科室负责人的责任书应由分管领导签发" in wrong_issuer.content.decode()
    too_early = client.post(
        url,
        {
            "year": 2026,
            "issuer": org["deputy"].pk,
            "signer": org["head_office"].pk,
            "signed_on": "2026-02-01",
        },
    )
    assert "责任书须逐级签订：王副理事长本年度的责任书尚未签订" in too_early.content.decode()
    LetterFactory(year=2026, issuer=org["secretary"], signer=org["deputy"])
    assert (
        client.post(
            url,
            {
                "year": 2026,
                "issuer": org["deputy"].pk,
                "signer": org["head_office"].pk,
                "signed_on": "2026-02-21",
            },
        ).status_code
        == 302
    )


def test_campaign_detail_shows_delivery_report_after_sending(
    client, integrity_officer, official, org, django_capture_on_commit_callbacks
):
    from integrity.models import ReminderCampaign
    from integrity.services import reminder_campaign_send

    reminder_campaigns_ensure_year(year=2026)
    campaign = ReminderCampaign.objects.get(year=2026, festival="national")
    with django_capture_on_commit_callbacks(execute=True):
        reminder_campaign_send(campaign=campaign, by=integrity_officer)
    client.force_login(integrity_officer)
    response = client.get(reverse("integrity:campaign-detail", args=[campaign.pk]))
    report = response.context["report"]
    assert (report["queued"], report["sending"], report["sent"], report["failed"]) == (0, 0, 4, 0)
    assert report["state"] == "已发送"
    assert '已发送：<span data-count="sent">4</span>' in response.content.decode()
    client.force_login(official)
    assert client.get(reverse("integrity:campaign-detail", args=[campaign.pk])).status_code == 200
    assert client.post(reverse("integrity:campaign-list"), {"year": 2027}).status_code == 403


def test_campaign_says_sending_until_every_text_settled(client, integrity_officer, org):
    from integrity.models import ReminderCampaign
    from integrity.services import reminder_campaign_send

    reminder_campaigns_ensure_year(year=2026)
    campaign = ReminderCampaign.objects.get(year=2026, festival="national")
    reminder_campaign_send(
        campaign=campaign, by=integrity_officer
    )  # committed rows, nothing handed over yet
    client.force_login(integrity_officer)
    response = client.get(reverse("integrity:campaign-detail", args=[campaign.pk]))
    report = response.context["report"]
    assert (report["queued"], report["sent"], report["settled"]) == (4, 0, False)
    page = response.content.decode()
    assert '<dd class="col-sm-10" data-testid="campaign-state">发送中' in page
    listing = client.get(reverse("integrity:campaign-list"), {"year": 2026}).content.decode()
    assert "发送中" in listing
    assert "0/4 条已结束" in listing


def test_ledger_edit_shows_the_record_and_a_new_row_defaults_to_this_year(
    client, integrity_officer, org
):
    letter = LetterFactory(year=2024, issuer=org["secretary"], signer=org["deputy"])
    client.force_login(integrity_officer)
    edit = client.get(reverse("integrity:letter-edit", args=[letter.pk]))
    assert edit.status_code == 200
    assert edit.context["object"] == letter
    assert edit.context["form"]["year"].value() == 2024  # not overwritten by this year
    new = client.get(reverse("integrity:letter-create"))
    assert new.context["object"] is None
    assert new.context["form"]["year"].value() == timezone.localdate().year
