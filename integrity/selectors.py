"""Integrity reads: the whole district, for 纪检, admins and officials."""

from dataclasses import dataclass
from datetime import date

from django.db.models import Count, Q, Sum
from django.db.models.functions import TruncMonth
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _

from dfed.notifications.models import SmsMessage
from dfed.notifications.selectors import sms_counts_by_campaign, sms_progress_by_campaign

from .models import (
    Commitment,
    Inspection,
    MajorDecision,
    Rectification,
    ReminderCampaign,
    ResponsibilityLetter,
    RiskPoint,
    ServiceVisit,
    Staff,
    StudySession,
    Talk,
)


def talk_can_read_content(*, user, talk: Talk) -> bool:
    """The content of a talk is for its two parties and 纪检 (and admins)."""
    if user.has_perm("integrity.view_talk_content"):
        return True
    return Staff.objects.filter(user=user, pk__in=[talk.talker_id, talk.talkee_id]).exists()


def talk_get_visible(*, user, pk: int) -> Talk:
    qs = Talk.objects.select_related("talker", "talkee")
    if not user.has_perm("integrity.view_talk"):
        qs = qs.filter(Q(talker__user=user) | Q(talkee__user=user))
    return get_object_or_404(qs, pk=pk)


def letter_expected_signers():
    """Who signs a letter each year: 分管领导 (from 主要领导) and 科室负责人 (from 分管领导)."""
    return (
        Staff.objects.filter(active=True, post__in=[Staff.Post.DEPUTY, Staff.Post.HEAD])
        .select_related("department", "supervisor")
        .order_by("post", "department__order", "name")
    )


def letter_chain(*, year: int) -> list[dict]:
    """The signing chain of ``year``: each expected signer with issuer and letter (or None)."""
    letters = {
        letter.signer_id: letter
        for letter in ResponsibilityLetter.objects.filter(year=year).select_related("issuer")
    }
    rows = []
    for staff in letter_expected_signers():
        letter = letters.get(staff.pk)
        rows.append(
            {
                "signer": staff,
                "issuer": letter.issuer if letter else staff.supervisor,
                "letter": letter,
                "signed": bool(letter and letter.signed_on),
            }
        )
    return rows


def integrity_overview(*, year: int) -> list[dict]:
    """What was due and what was done in ``year``: one row per duty with the list to open."""
    staff_count = Staff.objects.filter(active=True).count()
    signers = letter_expected_signers().count()
    letters_signed = ResponsibilityLetter.objects.filter(year=year, signed_on__isnull=False)
    commitments = Commitment.objects.filter(
        year=year, kind=Commitment.Kind.INTEGRITY, signed_on__isnull=False
    )
    sessions = StudySession.objects.filter(held_on__year=year).aggregate(
        study=Count("pk", filter=Q(kind=StudySession.Kind.STUDY)),
        special=Count("pk", filter=Q(kind=StudySession.Kind.SPECIAL)),
    )
    rectifications = Rectification.objects.filter(inspection__year=year).aggregate(
        total=Count("pk"), closed=Count("pk", filter=Q(closed_on__isnull=False))
    )
    visits = ServiceVisit.objects.filter(visited_on__year=year).aggregate(
        n=Count("pk"), families=Sum("families"), enterprises=Sum("enterprises")
    )
    campaigns = ReminderCampaign.objects.filter(year=year)
    sent_refs = [c.ref for c in campaigns if c.status == ReminderCampaign.Status.SENT]
    texts_sent = sum(
        counts.get(SmsMessage.Status.SENT, 0) + counts.get(SmsMessage.Status.DELIVERED, 0)
        for counts in sms_counts_by_campaign(sent_refs).values()
    )
    y = f"?year={year}"
    return [
        {
            "key": "letters",
            "label": _("责任书签订"),
            "done": letters_signed.count(),
            "due": signers,
            "url": ("integrity:letter-list", y),
        },
        {
            "key": "commitments",
            "label": _("廉政承诺书签订"),
            "done": commitments.values("staff").distinct().count(),
            "due": staff_count,
            "url": ("integrity:commitment-list", y),
        },
        {
            "key": "inspections",
            "label": _("责任制检查"),
            "done": Inspection.objects.filter(year=year).count(),
            "due": 2,
            "url": ("integrity:inspection-list", y),
        },
        {
            "key": "rectifications",
            "label": _("整改事项销号"),
            "done": rectifications["closed"],
            "due": rectifications["total"],
            "url": ("integrity:inspection-list", y),
        },
        {
            "key": "study",
            "label": _("集中学习"),
            "done": sessions["study"],
            "due": None,
            "url": ("integrity:session-list", f"{y}&kind=study"),
        },
        {
            "key": "special",
            "label": _("专题研究"),
            "done": sessions["special"],
            "due": None,
            "url": ("integrity:session-list", f"{y}&kind=special"),
        },
        {
            "key": "talks",
            "label": _("谈心谈话"),
            "done": Talk.objects.filter(held_on__year=year).count(),
            "due": None,
            "url": ("integrity:talk-list", y),
        },
        {
            "key": "risks",
            "label": _("风险点评估"),
            "done": RiskPoint.objects.filter(reviewed_on__year=year).count(),
            "due": RiskPoint.objects.count(),
            "url": ("integrity:risk-list", y),
        },
        {
            "key": "decisions",
            "label": _("三重一大事项登记"),
            "done": MajorDecision.objects.filter(decided_on__year=year).count(),
            "due": None,
            "url": ("integrity:decision-list", y),
        },
        {
            "key": "visits",
            "label": _("三服务走访"),
            "done": visits["n"],
            "due": None,
            "extra": _("家庭 %(f)d 户，企业 %(e)d 家")
            % {"f": visits["families"] or 0, "e": visits["enterprises"] or 0},
            "url": ("integrity:visit-list", y),
        },
        {
            "key": "reminders",
            "label": _("节日廉洁提醒"),
            "done": len(sent_refs),
            "due": campaigns.exclude(status=ReminderCampaign.Status.CANCELLED).count(),
            "extra": _("短信 %(n)d 条") % {"n": texts_sent},
            "url": ("integrity:campaign-list", y),
        },
    ]


def reminder_campaign_list(*, year: int | None = None):
    qs = ReminderCampaign.objects.prefetch_related("departments")
    return qs.filter(year=year) if year else qs


def reminder_campaign_report(*, campaign: ReminderCampaign) -> dict:
    """The campaign's texts by state (queued, sending, sent, delivered, failed, opted_out,
    total) and ``state``: 发送中 until every text has settled, then 已发送."""
    return reminder_campaign_reports([campaign])[campaign.pk]


def reminder_campaign_reports(campaigns) -> dict[int, dict]:
    progress = sms_progress_by_campaign([c.ref for c in campaigns])
    reports = {}
    for campaign in campaigns:
        report = dict(progress[campaign.ref])
        if campaign.status != ReminderCampaign.Status.SENT:
            report["state"] = campaign.get_status_display()
        elif not report["settled"]:
            report["state"] = _("发送中")
        elif report["failed"]:
            report["state"] = _("已发送（%(n)d 条失败）") % {"n": report["failed"]}
        else:
            report["state"] = _("已发送")
        reports[campaign.pk] = report
    return reports


# --- For reports (dashboards and the annual summary) -----------------------------------------


@dataclass(frozen=True)
class IntegrityYearFigures:
    """A year of 党风廉政建设: the overview rows (see :func:`integrity_overview`), the families
    visited by “三服务” visits, the risk points on record, and the refs of the festival reminder
    campaigns sent that year (for their SMS counts)."""

    year: int
    overview: list[dict]
    visit_families: int
    risk_points_total: int
    campaign_refs_sent: list[str]


def integrity_figures_for_year(*, year: int) -> IntegrityYearFigures:
    """The year's figures; integrity work is district-wide, so there is no town filter."""
    families = ServiceVisit.objects.filter(visited_on__year=year).aggregate(n=Sum("families"))
    sent = ReminderCampaign.objects.filter(year=year, status=ReminderCampaign.Status.SENT)
    return IntegrityYearFigures(
        year=year,
        overview=integrity_overview(year=year),
        visit_families=families["n"] or 0,
        risk_points_total=RiskPoint.objects.count(),
        campaign_refs_sent=[c.ref for c in sent],
    )


@dataclass(frozen=True)
class ActivityMonth:
    """One month's study sessions (集中学习, 专题研究), talks and “三服务” visits."""

    study: int = 0
    special: int = 0
    talks: int = 0
    visits: int = 0


def integrity_activity_by_month(*, start: date, end: date) -> dict[date, ActivityMonth]:
    """{first day of month: ActivityMonth} for days from ``start`` to ``end`` (exclusive);
    months without activity are absent."""

    def by_month(queryset, field, **counts):
        rows = (
            queryset.order_by()
            .filter(**{f"{field}__gte": start, f"{field}__lt": end})
            .annotate(m=TruncMonth(field))
            .values("m")
            .annotate(**counts)
        )
        return {r["m"]: r for r in rows}

    sessions = by_month(
        StudySession.objects,
        "held_on",
        study=Count("pk", filter=Q(kind=StudySession.Kind.STUDY)),
        special=Count("pk", filter=Q(kind=StudySession.Kind.SPECIAL)),
    )
    talks = by_month(Talk.objects, "held_on", n=Count("pk"))
    visits = by_month(ServiceVisit.objects, "visited_on", n=Count("pk"))
    return {
        month: ActivityMonth(
            study=sessions.get(month, {}).get("study", 0),
            special=sessions.get(month, {}).get("special", 0),
            talks=talks.get(month, {}).get("n", 0),
            visits=visits.get(month, {}).get("n", 0),
        )
        for month in {*sessions, *talks, *visits}
    }
