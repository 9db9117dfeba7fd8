"""A small data set whose every annual figure is computed by hand (see the comments)."""

from datetime import date
from decimal import Decimal

from accessibility.models import AccessibleCommunity, RetrofitBudget, RetrofitProject
from dfed.notifications.models import SmsMessage
from homes.models import (
    Attendance,
    Home,
    Membership,
    ServiceRecord,
    ServiceType,
    StarAssessment,
    StarAssessmentTemplate,
)
from integrity.models import (
    Commitment,
    Inspection,
    MajorDecision,
    ReminderCampaign,
    ResponsibilityLetter,
    RiskPoint,
    ServiceVisit,
    Staff,
    StudySession,
    Talk,
)
from subsidies.models import SubsidyType, Tier
from subsidies.services import (
    payment_batch_confirm,
    payment_batch_generate,
    payment_batch_mark_exported,
    payment_batch_mark_paid,
)
from subsidies.tests.factories import EntitlementFactory, demo_rates

JAN, FEB, MAR = date(2026, 1, 1), date(2026, 2, 1), date(2026, 3, 1)


def load_subsidies(people, reviewer):
    """Rates 生活 300, 护理 一级 300 / 二级 200. Batches: Jan and Feb paid, Mar draft.

    Jan: A 生活 1 人 300, A 护理 1 人 200, B 生活 1 人 300, B 护理 1 人 300
    Feb: A 生活 1 人 300, A 护理 1 人 200, B 生活 2 人 600, B 护理 1 人 300
    Year: 生活 3 人 1,500 元 (0.2 万元), 护理 2 人 1,000 元 (0.1 万元)
    """
    demo_rates()
    a1, a2, b_l3, b_l1 = people[0], people[1], people[4], people[5]
    EntitlementFactory(person=a1, type=SubsidyType.LIVING, start_month=JAN)
    EntitlementFactory(person=a2, type=SubsidyType.CARE, tier=Tier.LEVEL2, start_month=JAN)
    EntitlementFactory(person=b_l1, type=SubsidyType.LIVING, start_month=JAN)
    EntitlementFactory(person=b_l1, type=SubsidyType.CARE, tier=Tier.LEVEL1, start_month=JAN)
    EntitlementFactory(person=b_l3, type=SubsidyType.LIVING, start_month=FEB)
    batches = []
    for month in (JAN, FEB, MAR):
        batch = payment_batch_generate(month=month, by=reviewer)
        if month != MAR:
            batch = payment_batch_confirm(batch=batch, by=reviewer)
            payment_batch_mark_exported(batch=batch, by=reviewer)
            batch = payment_batch_mark_paid(batch=batch, by=reviewer)
        batches.append(batch)
    return batches


def load_homes(areas, people, user):
    """Open homes at end 2026: h1 (A, 5 stars in 2026, 4 in 2025), h2 (A, 3 stars, opened
    2026-03); h3 (B) is closed → 1 of 2 towns covered. Members in 2026: 2. Attendance in
    2026: 3 person-days by 2 people; one service record with a third person → served 3."""
    t25 = StarAssessmentTemplate.objects.create(year=2025)
    t26 = StarAssessmentTemplate.objects.create(year=2026)
    a1, b1 = areas["community_a1"], areas["community_b1"]
    h1 = Home.objects.create(
        name="阳光一家", community=a1, town=a1.parent, opened_on=date(2025, 5, 1)
    )
    h2 = Home.objects.create(
        name="阳光二家", community=a1, town=a1.parent, opened_on=date(2026, 3, 1)
    )
    h3 = Home.objects.create(
        name="阳光三家", community=b1, town=b1.parent, status=Home.Status.CLOSED
    )
    approved = StarAssessment.Status.APPROVED
    for home, year, template, star, status in (
        (h1, 2025, t25, 4, approved),
        (h1, 2026, t26, 5, approved),
        (h2, 2026, t26, 3, approved),
        (h3, 2026, t26, 2, approved),  # closed: not counted
        (h2, 2027, t26, 1, StarAssessment.Status.SUBMITTED),
    ):
        StarAssessment.objects.create(
            home=home, year=year, template=template, star_level=star, status=status, created_by=user
        )
    Membership.objects.create(home=h1, person=people[0], joined_on=date(2025, 6, 1))
    Membership.objects.create(
        home=h1, person=people[1], joined_on=date(2026, 2, 1), left_on=date(2026, 8, 1)
    )
    Membership.objects.create(home=h2, person=people[2], joined_on=date(2027, 1, 5))
    for person, day in (
        (people[0], date(2026, 3, 2)),
        (people[0], date(2026, 3, 3)),
        (people[1], date(2026, 3, 2)),
        (people[0], date(2025, 12, 30)),
    ):
        Attendance.objects.create(home=h1, person=person, date=day)
    record = ServiceRecord.objects.create(
        home=h2, date=date(2026, 4, 1), service_type=ServiceType.objects.first(), hours=2
    )
    record.attendees.set([people[3], people[0]])
    return [h1, h2, h3]


def load_accessibility(areas, people, user):
    """Budgets 2026: A 50,000, B 30,000 (8.0 万元). Completed 2026: 12,000 + 8,000.50 = 20,000.50
    (2.0 万元), 2 households; 1 in construction; a 2025 project is another year.
    Communities passed in 2026: 1."""
    town_a, town_b = areas["town_a"], areas["town_b"]
    RetrofitBudget.objects.create(town=town_a, year=2026, amount=Decimal("50000"))
    RetrofitBudget.objects.create(town=town_b, year=2026, amount=Decimal("30000"))
    done = RetrofitProject.Status.COMPLETED
    for person, year, status, approved, actual in (
        (people[0], 2026, done, Decimal("12000"), Decimal("12000")),
        (people[1], 2026, done, Decimal("9000"), Decimal("8000.50")),
        (people[5], 2026, RetrofitProject.Status.CONSTRUCTION, Decimal("15000"), None),
        (people[4], 2025, done, Decimal("9000"), Decimal("9000")),
    ):
        RetrofitProject.objects.create(
            person=person,
            year=year,
            town=person.town,
            status=status,
            approved_amount=approved,
            actual_total=actual,
            applied_by=user,
        )
    for community, status in (
        (areas["community_a1"], AccessibleCommunity.Status.PASSED),
        (areas["community_b1"], AccessibleCommunity.Status.BUILDING),
    ):
        AccessibleCommunity.objects.create(
            community=community, town=community.parent, year=2026, status=status, declared_by=user
        )


def load_integrity():
    """Letters signed 2; commitments signed 3; 专题研究 2 (+1 in 2025); 集中学习 4; inspections
    2; talks 3; risk points reviewed 2 of 3; decisions 2; visits 2 (families 5 + 3 = 8).
    Reminders: 春节 and 国庆 sent, 中秋 cancelled; texts sent 3 + 2 = 5, failed 1."""
    boss = Staff.objects.create(name="书记", post=Staff.Post.SECRETARY)
    deputy = Staff.objects.create(name="副理事长", post=Staff.Post.DEPUTY, supervisor=boss)
    head = Staff.objects.create(name="科长", post=Staff.Post.HEAD, supervisor=deputy)
    clerk = Staff.objects.create(name="科员", supervisor=head)
    ResponsibilityLetter.objects.create(
        year=2026, issuer=boss, signer=deputy, signed_on=date(2026, 2, 10)
    )
    ResponsibilityLetter.objects.create(
        year=2026, issuer=deputy, signer=head, signed_on=date(2026, 2, 11)
    )
    for staff, signed in ((deputy, True), (head, True), (clerk, True), (boss, False)):
        Commitment.objects.create(
            year=2026, staff=staff, signed_on=date(2026, 2, 12) if signed else None
        )
    for day, kind in (
        (date(2026, 1, 15), StudySession.Kind.STUDY),
        (date(2026, 3, 15), StudySession.Kind.STUDY),
        (date(2026, 6, 15), StudySession.Kind.STUDY),
        (date(2026, 9, 15), StudySession.Kind.STUDY),
        (date(2026, 2, 20), StudySession.Kind.SPECIAL),
        (date(2026, 7, 20), StudySession.Kind.SPECIAL),
        (date(2025, 7, 20), StudySession.Kind.SPECIAL),
    ):
        StudySession.objects.create(held_on=day, kind=kind, topic="学习党章党规")
    for period, day in (("mid", date(2026, 7, 1)), ("end", date(2026, 12, 20))):
        Inspection.objects.create(year=2026, period=period, held_on=day, inspectors="纪检组")
    for day in (date(2026, 3, 1), date(2026, 3, 8), date(2026, 5, 1)):
        Talk.objects.create(held_on=day, talker=boss, talkee=clerk, topic="谈心")
    for reviewed in (date(2026, 4, 1), date(2026, 4, 2), None):
        RiskPoint.objects.create(
            post="补贴审核",
            description="虚报冒领",
            level="high",
            controls="双人复核",
            reviewed_on=reviewed,
        )
    for day in (date(2026, 4, 10), date(2026, 10, 10)):
        MajorDecision.objects.create(
            matter="资金安排",
            category="funds",
            meeting="党组会",
            decided_on=day,
            participants="班子",
        )
    for day, families in ((date(2026, 5, 5), 5), (date(2026, 6, 6), 3)):
        ServiceVisit.objects.create(group="走访组", visited_on=day, place="A镇", families=families)
    campaigns = {}
    for festival, status in (
        ("spring", ReminderCampaign.Status.SENT),
        ("national", ReminderCampaign.Status.SENT),
        ("mid_autumn", ReminderCampaign.Status.CANCELLED),
    ):
        campaigns[festival] = ReminderCampaign.objects.create(
            year=2026, festival=festival, template="{姓名}：节日期间请廉洁过节。", status=status
        )
    n = 0
    for festival, status, count in (
        ("spring", SmsMessage.Status.SENT, 3),
        ("spring", SmsMessage.Status.FAILED, 1),
        ("national", SmsMessage.Status.SENT, 2),
        (None, SmsMessage.Status.SENT, 1),  # not a reminder
    ):
        for _i in range(count):
            n += 1
            SmsMessage.objects.create(
                phone="13800138000",
                body="节日期间请廉洁过节。",
                purpose="integrity_reminder" if festival else "subsidy_approved",
                campaign=campaigns[festival].ref if festival else "",
                status=status,
                idempotency_key=f"test-{n}",
            )
