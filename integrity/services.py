"""Integrity ledger and reminder campaign writes.

Invariants:
- one responsibility letter per signer and year, one commitment per staff, kind and year, one
  campaign per festival and year (database constraints);
- one text per holiday period: festivals whose periods overlap or touch (中秋 inside 国庆) share
  one campaign, keyed by the period's first festival; the others are 已并入 (merged);
- a campaign's period and send day are always computed from ``holidays.China`` (see
  ``festivals``), never typed in; every daily run recomputes the campaigns not yet sent, and a
  year's campaigns are created only once that year's official arrangement is in the data;
- every write a person makes checks their permission here (``require``; the integrity app has no
  town scope): the ledger's add/change permission of the row's model, a campaign's
  ``integrity.change_remindercampaign``; the daily job acts as the system;
- sending a campaign is idempotent: the campaign row is locked, only a 待发送 campaign sends, and
  every text carries the key ``reminder:<campaign>:<staff>`` so a repeated run queues nothing new.
"""

import re
from datetime import date

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from dfed.core.history import save_with_history
from dfed.core.permissions import require
from dfed.notifications.models import MAX_BODY_LENGTH
from dfed.notifications.services import sms_message_queue

from .festivals import arrangement_published, holiday_periods, working_day_before
from .models import ReminderCampaign, Staff

PLACEHOLDERS = {"姓名": "name", "name": "name", "节日": "festival", "festival": "festival"}
PLACEHOLDER_RE = re.compile(r"\{([^{}]*)\}")
DEFAULT_TEMPLATE = (
    "{姓名}同志：{节日}将至，请严守中央八项规定精神，廉洁过节、文明过节，"
    "不收受礼品礼金，不公车私用，不违规吃喝。——区残联纪检组"
)


@transaction.atomic
def ledger_record_save(*, instance, by, m2m: dict | None = None):
    """Validate and save a ledger row (letters, sessions, talks, …) and its many-to-many sets
    (``m2m``: field name → objects), with ``by`` in its history. Returns the row.

    Raises: PermissionDenied if ``by`` lacks the add (new row) or change permission of the
    row's model; ValidationError if the row is invalid."""
    meta = instance._meta
    verb = "change" if instance.pk else "add"
    require(by, f"{meta.app_label}.{verb}_{meta.model_name}")
    instance.full_clean()
    save_with_history(instance, by=by)
    for field, values in (m2m or {}).items():
        getattr(instance, field).set(values)
    return instance


def reminder_template_check(template: str) -> None:
    """Check a campaign text's placeholders ({姓名}, {节日}).

    Raises: ValidationError naming the placeholders it does not know."""
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
        return campaign.festival_label


def reminder_campaign_body(*, campaign: ReminderCampaign, staff: Staff) -> str:
    """The text of one reminder; the festival name is Chinese whatever the page's language."""
    festival = reminder_festival_label(campaign)
    return reminder_render(template=campaign.template, name=staff.name, festival=festival)


def _period_of(campaign: ReminderCampaign):
    for period in holiday_periods(campaign.year):
        if campaign.festival in period.festivals:
            return period
    raise LookupError(campaign)


def reminder_campaign_schedule(campaign: ReminderCampaign, period=None) -> ReminderCampaign:
    """Fill the holiday period, its festivals and the send day from the holiday calendar (not
    saved): the send day is the last working day before the period (调休 working days count),
    ``offset_days`` working days earlier."""
    period = period or _period_of(campaign)
    campaign.festivals = ",".join(period.festivals)
    campaign.holiday_start, campaign.holiday_end = period.start, period.end
    campaign.send_on = working_day_before(period.start, campaign.offset_days)
    return campaign


@transaction.atomic
def reminder_campaign_save(*, campaign: ReminderCampaign, by, departments=None) -> ReminderCampaign:
    """Create or edit a campaign: check the template, compute the send day.

    Raises: PermissionDenied if ``by`` lacks integrity.change_remindercampaign (add, for a new
    one); ValidationError if it was sent or cancelled, the template has an unknown placeholder,
    no department is chosen for 指定科室 or the text is over the SMS length."""
    require(by, f"integrity.{'change' if campaign.pk else 'add'}_remindercampaign")
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
def reminder_campaigns_sync_year(*, year: int, create: bool = True) -> list[ReminderCampaign]:
    """Bring the campaigns of ``year`` in line with the current holiday calendar.

    Campaigns not yet sent get their period, festivals and send day recomputed; in each holiday
    period one campaign stays 待发送 (the key festival's, else the first one not cancelled) and
    the others become 已并入 — or come back to 待发送 when a calendar change splits a period.
    A period with a campaign already sent gets no other. Missing campaigns are created (with the
    default template) only when ``create`` and the year's arrangement is published. Returns the
    campaigns created.
    """
    campaigns = {
        c.festival: c for c in ReminderCampaign.objects.select_for_update().filter(year=year)
    }
    editable = (ReminderCampaign.Status.PLANNED, ReminderCampaign.Status.MERGED)
    may_create = create and arrangement_published(year)
    created = []
    for period in holiday_periods(year):
        members = [campaigns[f] for f in period.festivals if f in campaigns]
        sent = any(c.status == ReminderCampaign.Status.SENT for c in members)
        live = [c for c in members if c.status in editable]
        if not members and may_create:
            campaign = ReminderCampaign(
                year=year, festival=period.festivals[0], template=DEFAULT_TEMPLATE
            )
            reminder_campaign_schedule(campaign, period)
            try:
                with transaction.atomic():
                    campaign.save()
            except IntegrityError:  # created meanwhile by a concurrent run
                continue
            created.append(campaign)
            continue
        leader = None if sent or not live else live[0]
        for campaign in live:
            reminder_campaign_schedule(campaign, period)
            campaign.status = (
                ReminderCampaign.Status.PLANNED
                if campaign is leader
                else ReminderCampaign.Status.MERGED
            )
            campaign.save(
                update_fields=[
                    "festivals",
                    "holiday_start",
                    "holiday_end",
                    "send_on",
                    "status",
                    "updated_at",
                ]
            )
    return created


def reminder_campaigns_ensure_year(*, year: int) -> list[ReminderCampaign]:
    """Create the campaigns of ``year`` that do not exist yet (one per holiday period), once the
    year's arrangement is published; recompute the others. Returns the campaigns created."""
    return reminder_campaigns_sync_year(year=year)


def reminder_campaign_recipients(campaign: ReminderCampaign):
    staff = Staff.objects.filter(active=True).select_related("department")
    if campaign.audience == ReminderCampaign.Audience.LEADERS:
        staff = staff.filter(post__in=Staff.LEADER_POSTS)
    elif campaign.audience == ReminderCampaign.Audience.DEPARTMENTS:
        staff = staff.filter(department__in=campaign.departments.all())
    return staff.order_by("pk")


def reminder_campaign_send(*, campaign: ReminderCampaign, by) -> int:
    """立即发送: queue one text per recipient with a phone now; return how many were queued
    (0 if the campaign was sent already).

    Raises: PermissionDenied if ``by`` lacks integrity.change_remindercampaign."""
    require(by, "integrity.change_remindercampaign")
    return _campaign_send(campaign)


@transaction.atomic
def _campaign_send(campaign: ReminderCampaign) -> int:
    """Send as the system (the daily job) or for a permitted user."""
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

    Each click is a new text.

    Raises: PermissionDenied if ``user`` lacks integrity.change_remindercampaign;
    ValidationError when the account has no mobile number.
    """
    require(user, "integrity.change_remindercampaign")
    phone = (getattr(user, "phone", "") or "").strip()
    if not phone:
        raise ValidationError(
            _("您的账户未登记手机号，无法发送测试短信；请联系管理员在用户资料中填写")
        )
    name = getattr(user, "display_name", "") or user.get_full_name() or user.get_username()
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
def reminder_campaign_cancel(*, campaign: ReminderCampaign, by) -> ReminderCampaign:
    """取消发送: a planned campaign will not be sent.

    Raises: PermissionDenied if ``by`` lacks integrity.change_remindercampaign;
    ValidationError if it is not 待发送."""
    require(by, "integrity.change_remindercampaign")
    campaign = ReminderCampaign.objects.select_for_update().get(pk=campaign.pk)
    if campaign.status != ReminderCampaign.Status.PLANNED:
        raise ValidationError(_("只有待发送的提醒可以取消"))
    campaign.status = ReminderCampaign.Status.CANCELLED
    campaign.save(update_fields=["status", "updated_at"])
    return campaign


def reminder_campaigns_send_due(*, today: date | None = None) -> dict[str, int]:
    """The daily job: recompute this and next year's campaigns from the current holiday data
    (creating those of a year whose arrangement is published), then send every planned
    campaign whose send day has come and whose holiday has not begun. Safe to run repeatedly."""
    today = today or timezone.localdate()
    for year in (today.year, today.year + 1):
        reminder_campaigns_sync_year(year=year)
    due = ReminderCampaign.objects.filter(
        status=ReminderCampaign.Status.PLANNED, send_on__lte=today, holiday_start__gt=today
    )
    result = {}
    for campaign in due:
        result[str(campaign)] = _campaign_send(campaign)
    return result
