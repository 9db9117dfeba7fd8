"""Reminders go out in the default install: the command, 立即发送 and 发送测试短信."""

import pytest
from django.core.management import call_command
from django.urls import reverse

from dfed.notifications.models import SmsMessage
from integrity.models import ReminderCampaign
from integrity.services import reminder_campaigns_ensure_year

pytestmark = pytest.mark.django_db


def command(*args):
    """Run a command as in production: its on-commit sends run when it returns."""
    from django.test import TestCase

    with TestCase.captureOnCommitCallbacks(execute=True):
        call_command(*args)


def test_reminders_send_due_command_sends_on_the_send_day(org, sms_outbox, capsys):
    command("reminders_send_due", "--date", "2026-02-13")
    assert sms_outbox == []
    command("reminders_send_due", "--date", "2026-02-14")
    out = capsys.readouterr().out
    assert "2026 春节：已排队 4 条短信" in out
    assert len(sms_outbox) == 4
    assert all("春节将至" in m["body"] for m in sms_outbox)
    command("reminders_send_due", "--date", "2026-02-14")
    assert len(sms_outbox) == 4  # a second run sends nothing more


def test_reminders_send_due_command_rejects_a_bad_date():
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="YYYY-MM-DD"):
        call_command("reminders_send_due", "--date", "2026-13-01")


def test_console_backend_prints_each_message(org, settings, capsys):
    settings.SMS_BACKEND = "dfed.notifications.backends.console.SmsBackend"
    command("reminders_send_due", "--date", "2026-02-14")
    out = capsys.readouterr().out
    assert out.count("[SMS] ") == 4
    assert f"[SMS] {org['secretary'].phone}: 李书记同志：春节将至" in out


def test_officer_sends_a_campaign_now(
    client, integrity_officer, org, sms_outbox, django_capture_on_commit_callbacks
):
    reminder_campaigns_ensure_year(year=2026)
    campaign = ReminderCampaign.objects.get(year=2026, festival="dragon_boat")
    client.force_login(integrity_officer)
    page = client.get(reverse("integrity:campaign-detail", args=[campaign.pk])).content.decode()
    assert "立即发送" in page
    assert "确定现在就向 5 人发送本次提醒" in page
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("integrity:campaign-send", args=[campaign.pk]), follow=True)
    assert "已排队 4 条短信" in response.content.decode()
    assert len(sms_outbox) == 4
    campaign.refresh_from_db()
    assert campaign.status == ReminderCampaign.Status.SENT
    client.post(reverse("integrity:campaign-send", args=[campaign.pk]))
    assert len(sms_outbox) == 4


def test_officer_sends_a_test_text_to_own_phone(
    client, integrity_officer, org, sms_outbox, django_capture_on_commit_callbacks
):
    reminder_campaigns_ensure_year(year=2026)
    campaign = ReminderCampaign.objects.get(year=2026, festival="labour")
    client.force_login(integrity_officer)
    response = client.post(reverse("integrity:campaign-test", args=[campaign.pk]), follow=True)
    assert "未登记手机号" in response.content.decode()
    assert sms_outbox == []
    integrity_officer.phone = "13912345678"
    integrity_officer.display_name = "孙纪检"
    integrity_officer.save()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("integrity:campaign-test", args=[campaign.pk]))
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("integrity:campaign-test", args=[campaign.pk]))
    assert [m["phone"] for m in sms_outbox] == ["13912345678", "13912345678"]
    assert sms_outbox[0]["body"].startswith("【测试】孙纪检同志：")
    assert "五一将至" in sms_outbox[0]["body"]
    campaign.refresh_from_db()
    assert campaign.status == ReminderCampaign.Status.PLANNED  # a test does not send the campaign
    assert SmsMessage.objects.filter(purpose="integrity_reminder_test").count() == 2


def test_official_cannot_send(client, official, org):
    reminder_campaigns_ensure_year(year=2026)
    campaign = ReminderCampaign.objects.get(year=2026, festival="labour")
    client.force_login(official)
    assert client.post(reverse("integrity:campaign-send", args=[campaign.pk])).status_code == 403
    assert client.post(reverse("integrity:campaign-test", args=[campaign.pk])).status_code == 403
