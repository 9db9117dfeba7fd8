"""One text per holiday period, recomputed from the current holiday data."""

from datetime import date

import pytest
from django.urls import reverse
from holidays.constants import OCT, SEP

from integrity.festivals import arrangement_published, holiday_periods
from integrity.models import ReminderCampaign
from integrity.services import (
    reminder_campaign_send,
    reminder_campaigns_send_due,
    reminder_campaigns_sync_year,
)

pytestmark = pytest.mark.django_db

# A plausible 2028 arrangement in the library's format (not the State Council's: it is not out).
ARRANGEMENT_2028 = [(OCT, 5, SEP, 30), (OCT, 6, OCT, 14)]


def texts_per_phone(outbox):
    phones = [m["phone"] for m in outbox]
    return {p: phones.count(p) for p in phones}


def test_mid_autumn_inside_national_day_2025_is_one_period():
    periods = {p.festivals: p for p in holiday_periods(2025)}
    period = periods[("mid_autumn", "national")]
    assert (period.start, period.end) == (date(2025, 10, 1), date(2025, 10, 8))
    assert ("national",) not in periods
    assert ("mid_autumn",) not in periods


def test_2025_one_text_per_person_around_national_day(
    org, sms_outbox, django_capture_on_commit_callbacks
):
    created = reminder_campaigns_sync_year(year=2025)
    assert len(created) == 6
    campaign = ReminderCampaign.objects.get(year=2025, festival="mid_autumn")
    assert campaign.festival_label == "中秋、国庆"
    assert (campaign.holiday_start, campaign.holiday_end) == (date(2025, 10, 1), date(2025, 10, 8))
    assert campaign.send_on == date(2025, 9, 30)
    assert not ReminderCampaign.objects.filter(year=2025, festival="national").exists()
    with django_capture_on_commit_callbacks(execute=True):
        result = reminder_campaigns_send_due(today=date(2025, 9, 30))
    assert result == {"2025 中秋、国庆": 4}
    assert set(texts_per_phone(sms_outbox).values()) == {1}
    assert len(sms_outbox) == 4
    assert all("中秋、国庆将至" in m["body"] for m in sms_outbox)


def test_2028_one_text_per_person_around_national_day(
    org, sms_outbox, holiday_data, django_capture_on_commit_callbacks
):
    # Before the arrangement is published the year is an estimate and gets no campaigns ...
    assert not arrangement_published(2028)
    assert reminder_campaigns_sync_year(year=2028) == []
    # ... but 中秋 (10-03) already shares the statutory 国庆 days.
    assert any(p.festivals == ("mid_autumn", "national") for p in holiday_periods(2028))
    holiday_data(2028, ARRANGEMENT_2028)
    assert arrangement_published(2028)
    created = reminder_campaigns_sync_year(year=2028)
    assert [c.festival_label for c in created if c.festival in ("mid_autumn", "national")] == [
        "中秋、国庆"
    ]
    campaign = ReminderCampaign.objects.get(year=2028, festival="mid_autumn")
    # 09-30 is a make-up working Saturday: the last working day before the period.
    assert campaign.send_on == date(2028, 9, 30)
    assert campaign.holiday_start == date(2028, 10, 1)
    with django_capture_on_commit_callbacks(execute=True):
        result = reminder_campaigns_send_due(today=date(2028, 9, 30))
    assert result == {"2028 中秋、国庆": 4}
    assert set(texts_per_phone(sms_outbox).values()) == {1}


def test_calendar_change_recomputes_a_planned_campaign(org, holiday_data, integrity_officer):
    reminder_campaigns_sync_year(year=2026)
    national = ReminderCampaign.objects.get(year=2026, festival="national")
    spring = ReminderCampaign.objects.get(year=2026, festival="spring")
    reminder_campaign_send(campaign=spring, by=integrity_officer)
    assert national.send_on == date(2026, 9, 30)
    # The arrangement is amended: 09-30 becomes a day off, made up on Saturday 09-26.
    holiday_data(2026, [(SEP, 30, SEP, 26)])
    reminder_campaigns_send_due(today=date(2026, 3, 1))
    national.refresh_from_db()
    assert national.holiday_start == date(2026, 9, 30)
    assert national.send_on == date(2026, 9, 29)
    assert national.status == ReminderCampaign.Status.PLANNED
    spring_before = (spring.send_on, spring.holiday_start)
    spring.refresh_from_db()
    assert (spring.send_on, spring.holiday_start) == spring_before  # a sent one is history


def test_calendar_change_that_joins_two_periods_merges_their_campaigns(org, holiday_data):
    reminder_campaigns_sync_year(year=2026)
    # 中秋 (09-25..27) and 国庆 (10-01..07) joined by making 09-28..30 days off.
    holiday_data(2026, [(SEP, 28, SEP, 19), (SEP, 29, OCT, 11), (SEP, 30, OCT, 17)])
    reminder_campaigns_send_due(today=date(2026, 3, 1))
    mid = ReminderCampaign.objects.get(year=2026, festival="mid_autumn")
    national = ReminderCampaign.objects.get(year=2026, festival="national")
    assert mid.status == ReminderCampaign.Status.PLANNED
    assert mid.festival_label == "中秋、国庆"
    assert national.status == ReminderCampaign.Status.MERGED
    assert mid.send_on == date(2026, 9, 24)


def test_next_year_is_created_only_once_its_arrangement_is_published(org, holiday_data):
    reminder_campaigns_send_due(today=date(2026, 11, 30))
    assert ReminderCampaign.objects.filter(year=2026).count() == 7
    assert not ReminderCampaign.objects.filter(year=2027).exists()
    holiday_data(2027, [(OCT, 6, SEP, 26), (OCT, 7, OCT, 9)])
    reminder_campaigns_send_due(today=date(2026, 12, 1))
    national = ReminderCampaign.objects.get(year=2027, festival="national")
    assert national.holiday_end == date(2027, 10, 7)


def test_officer_sees_that_next_year_is_an_estimate(client, integrity_officer, holiday_data):
    client.force_login(integrity_officer)
    page = client.get(reverse("integrity:campaign-list"), {"year": 2027}).content.decode()
    assert "2027年的放假安排（调休）尚未收录" in page
    response = client.post(reverse("integrity:campaign-list") + "?year=2027", follow=True)
    assert "2027年的放假安排尚未收录，暂不生成节日提醒" in response.content.decode()
    assert not ReminderCampaign.objects.filter(year=2027).exists()
    holiday_data(2027, [(OCT, 6, SEP, 26)])
    page = client.get(reverse("integrity:campaign-list"), {"year": 2027}).content.decode()
    assert "尚未收录" not in page
