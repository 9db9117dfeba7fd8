"""Integrity ledger and reminder campaign writes.

Invariants:
- one responsibility letter per signer and year, one commitment per staff, kind and year, one
  campaign per festival and year (database constraints);
- a campaign's send day is always computed from ``holidays.China`` (see ``festivals``), never
  typed in; changing its offset recomputes it;
- sending a campaign is idempotent: the campaign row is locked, only a 待发送 campaign sends, and
  every text carries the key ``reminder:<campaign>:<staff>`` so a repeated run queues nothing new.
"""

import re
from datetime import date

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from dfed.notifications.models import MAX_BODY_LENGTH
from dfed.notifications.services import sms_message_queue

from .festivals import holiday_period, send_day
from .models import ReminderCampaign, Staff

PLACEHOLDERS = {"姓名": "name", "name": "name", "节日": "festival", "festival": "festival"}
PLACEHOLDER_RE = re.compile(r"\{([^{}]*)\}")
DEFAULT_TEMPLATE = (
    "{姓名}同志：{节日}将至，请严守中央八项规定精神，廉洁过节、文明过节，"
    "不收受礼品礼金，不公车私用，不违规吃喝。——区残联纪检组"
)


@transaction.atomic
def ledger_record_save(*, instance, m2m: dict | None = None):
    """Validate and save a ledger row (letters, sessions, talks, …) and its many-to-many sets."""
    instance.full_clean()
    instance.save()
    for field, values in (m2m or {}).items():
        getattr(instance, field).set(values)
    return instance


def reminder_template_check(template: str) -> None:
    unknown = [p for p in PLACEHOLDER_RE.findall(template) if p.strip() not in PLACEHOLDERS]
    if unknown:
        raise ValidationError(
            _("模板中有无法识别的占位符：%(p)s（可用：{姓名}、{节日}）")
            % {"p": "、".join("{" + p + "}" for p in unknown)}
        )


def reminder_render(*, template: str, name: str, festival: str) -> str:
    values = {"name": name, "festival": festival}
    return PLACEHOLDER_RE.sub(lambda m: values[PLACEHOLDERS[m.group(1).strip()]], template)


def reminder_festival_label(campaign: ReminderCampaign) -> str:
    """The festival name(s) of a campaign in Chinese whatever the page's language."""
    with translation.override("zh-hans"):
        return str(campaign.get_festival_display())


def reminder_campaign_body(*, campaign: ReminderCampaign, staff: Staff) -> str:
    """The text of one reminder; the festival name is Chinese whatever the page's language."""
    festival = reminder_festival_label(campaign)
    return reminder_render(template=campaign.template, name=staff.name, festival=festival)


def reminder_campaign_schedule(campaign: ReminderCampaign) -> ReminderCampaign:
    """Fill the holiday start and the send day from the holiday calendar (not saved)."""
    campaign.holiday_start = holiday_period(campaign.festival, campaign.year).start
    campaign.send_on = send_day(campaign.festival, campaign.year, campaign.offset_days)
    return campaign


@transaction.atomic
def reminder_campaign_save(*, campaign: ReminderCampaign, departments=None) -> ReminderCampaign:
    """Create or edit a campaign: check the template, compute the send day."""
    if campaign.pk:
        stored = ReminderCampaign.objects.select_for_update().get(pk=campaign.pk)
        if stored.status != ReminderCampaign.Status.PLANNED:
            raise ValidationError(_("已发送或已取消的提醒不能再修改"))
    reminder_template_check(campaign.template)
    reminder_campaign_schedule(campaign)
    campaign.full_clean()
    campaign.save()
    if departments is not None:
        campaign.departments.set(departments)
    if campaign.audience == ReminderCampaign.Audience.DEPARTMENTS and not (
        campaign.departments.exists()
    ):
        raise ValidationError(_("发送对象为指定科室时，请至少选择一个科室"))
    sample = reminder_render(template=campaign.template, name="欧阳晓明", festival="端午")
    if len(sample) > MAX_BODY_LENGTH:
        raise ValidationError(_("短信内容过长，最多%(n)d字") % {"n": MAX_BODY_LENGTH})
    return campaign


@transaction.atomic
def reminder_campaigns_ensure_year(*, year: int) -> list[ReminderCampaign]:
    """Create the seven festival campaigns of ``year`` that do not exist yet."""
    existing = set(ReminderCampaign.objects.filter(year=year).values_list("festival", flat=True))
    created = []
    for festival in ReminderCampaign.Festival.values:
        if festival in existing:
            continue
        campaign = ReminderCampaign(year=year, festival=festival, template=DEFAULT_TEMPLATE)
        reminder_campaign_schedule(campaign)
        try:
            with transaction.atomic():
                campaign.save()
        except IntegrityError:  # created meanwhile by a concurrent run
            continue
        created.append(campaign)
    return created


def reminder_campaign_recipients(campaign: ReminderCampaign):
    staff = Staff.objects.filter(active=True).select_related("department")
    if campaign.audience == ReminderCampaign.Audience.LEADERS:
        staff = staff.filter(post__in=Staff.LEADER_POSTS)
    elif campaign.audience == ReminderCampaign.Audience.DEPARTMENTS:
        staff = staff.filter(department__in=campaign.departments.all())
    return staff.order_by("pk")


@transaction.atomic
def reminder_campaign_send(*, campaign: ReminderCampaign) -> int:
    """Queue one text per recipient with a phone; return how many were queued (0 if the
    campaign was sent already)."""
    campaign = ReminderCampaign.objects.select_for_update().get(pk=campaign.pk)
    if campaign.status != ReminderCampaign.Status.PLANNED:
        return 0
    queued = 0
    for staff in reminder_campaign_recipients(campaign):
        if not staff.phone:
            continue
        sms_message_queue(
            phone=staff.phone,
            body=reminder_campaign_body(campaign=campaign, staff=staff),
            purpose="integrity_reminder",
            key=f"reminder:{campaign.pk}:{staff.pk}",
            campaign=campaign,
        )
        queued += 1
    campaign.status = ReminderCampaign.Status.SENT
    campaign.sent_at = timezone.now()
    campaign.save(update_fields=["status", "sent_at", "updated_at"])
    return queued


@transaction.atomic
def reminder_campaign_test_send(*, campaign: ReminderCampaign, user) -> None:
    """Queue one 【测试】 copy of the campaign's text to the officer's own phone (``user.phone``).

    Raises ValidationError when the account has no mobile number. Each click is a new text.
    """
    phone = (getattr(user, "phone", "") or "").strip()
    if not phone:
        raise ValidationError(
            _("您的账户未登记手机号，无法发送测试短信；请联系管理员在用户资料中填写")
        )
    name = user.get_full_name() or user.get_username()
    body = _("【测试】") + reminder_render(
        template=campaign.template, name=name, festival=reminder_festival_label(campaign)
    )
    sms_message_queue(
        phone=phone,
        body=body,
        purpose="integrity_reminder_test",
        key=f"reminder-test:{campaign.pk}:{user.pk}:{timezone.now().timestamp():.6f}",
        campaign=campaign,
    )


@transaction.atomic
def reminder_campaign_cancel(*, campaign: ReminderCampaign) -> ReminderCampaign:
    campaign = ReminderCampaign.objects.select_for_update().get(pk=campaign.pk)
    if campaign.status != ReminderCampaign.Status.PLANNED:
        raise ValidationError(_("只有待发送的提醒可以取消"))
    campaign.status = ReminderCampaign.Status.CANCELLED
    campaign.save(update_fields=["status", "updated_at"])
    return campaign


def reminder_campaigns_send_due(*, today: date | None = None) -> dict[str, int]:
    """The daily job: make sure this and next year's campaigns exist, then send every planned
    campaign whose send day has come and whose holiday has not begun. Safe to run repeatedly."""
    today = today or timezone.localdate()
    for year in (today.year, today.year + 1):
        reminder_campaigns_ensure_year(year=year)
    due = ReminderCampaign.objects.filter(
        status=ReminderCampaign.Status.PLANNED, send_on__lte=today, holiday_start__gt=today
    )
    result = {}
    for campaign in due:
        result[str(campaign)] = reminder_campaign_send(campaign=campaign)
    return result
