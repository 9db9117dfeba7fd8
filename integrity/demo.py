"""Demo data for integrity: called by ``manage.py load_demo`` after the registry is loaded.

Deterministic and idempotent: rows are looked up by natural keys before being created.
"""

import random
from datetime import date, datetime, time, timedelta

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from dfed.notifications.models import SmsMessage

from .models import (
    Commitment,
    Department,
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
from .services import reminder_campaign_body, reminder_campaigns_ensure_year

DEPARTMENTS = ["办公室", "组联部", "康复部", "教育就业部", "权益维护部", "财务科"]
SURNAMES = "王李张刘陈杨黄赵周吴徐孙胡朱高林何郭马罗"
GIVEN = "建国秀英志强丽华晓东海燕文明春梅红军玉兰伟宁静芳"
S = Staff.Post


def _phone(n: int) -> str:
    return f"139{57100000 + n:08d}"


@transaction.atomic
def load(*, stdout=None) -> None:
    rng = random.Random(20260601)
    today = timezone.localdate()
    year = today.year
    departments = [
        Department.objects.get_or_create(name=name, defaults={"order": i})[0]
        for i, name in enumerate(DEPARTMENTS, 1)
    ]
    users = {
        u.username: u for u in get_user_model().objects.filter(username__in=["lingdao", "jijian"])
    }

    def staff(name, post, dept, supervisor=None, user=None, n=0):
        obj, _ = Staff.objects.get_or_create(
            name=name,
            defaults={
                "post": post,
                "department": dept,
                "supervisor": supervisor,
                "user": user,
                "phone": _phone(n) if n % 11 else "",
            },
        )
        return obj

    secretary = staff("赵理事长", S.SECRETARY, departments[0], user=users.get("lingdao"), n=1)
    deputies = [
        staff("钱副理事长", S.DEPUTY, departments[0], secretary, n=2),
        staff("孙纪检", S.DEPUTY, departments[0], secretary, user=users.get("jijian"), n=3),
    ]
    heads, members = [], []
    n = 10
    for i, dept in enumerate(departments):
        deputy = deputies[i % 2]
        head_name = SURNAMES[i] + GIVEN[2 * i : 2 * i + 2]
        heads.append(staff(head_name, S.HEAD, dept, deputy, n=n))
        n += 1
        for j in range(3):
            k = i * 3 + j
            name = (
                SURNAMES[(k * 7 + 3) % len(SURNAMES)]
                + GIVEN[k % len(GIVEN)]
                + GIVEN[(k * 5 + 3) % len(GIVEN)]
            )
            members.append(staff(name, S.STAFF, dept, heads[-1], n=n))
            n += 1
    everyone = [secretary, *deputies, *heads, *members]

    # Letters: every deputy signed; most heads signed.
    for signer in deputies + heads:
        signed = signer.post == S.DEPUTY or rng.random() < 0.7
        ResponsibilityLetter.objects.get_or_create(
            year=year,
            signer=signer,
            defaults={
                "issuer": signer.supervisor,
                "signed_on": date(year, 2, 20) + timedelta(days=rng.randint(0, 20))
                if signed
                else None,
            },
        )
    for person in everyone:
        signed = rng.random() < 0.85
        Commitment.objects.get_or_create(
            year=year,
            staff=person,
            kind=Commitment.Kind.INTEGRITY,
            defaults={"signed_on": date(year, 3, 1) if signed else None},
        )
    inspection, created = Inspection.objects.get_or_create(
        year=year,
        period=Inspection.Period.MID_YEAR,
        defaults={
            "held_on": date(year, 7, 15),
            "inspectors": "孙纪检、办公室",
            "findings": "部分科室责任书台账不完整；个别岗位风险点防控措施未更新。",
        },
    )
    if created:
        Rectification.objects.create(
            inspection=inspection,
            description="补齐责任书台账",
            owner=heads[0],
            due_on=date(year, 8, 31),
            closed_on=date(year, 8, 25),
            closing_note="已补齐",
        )
        Rectification.objects.create(
            inspection=inspection,
            description="更新康复部风险点防控措施",
            owner=heads[2],
            due_on=date(year, 9, 30),
        )
    sessions = [
        (date(year, 2, 26), StudySession.Kind.SPECIAL, "专题研究部署年度党风廉政建设工作"),
        (date(year, 3, 18), StudySession.Kind.STUDY, "学习中央八项规定及其实施细则精神"),
        (date(year, 5, 20), StudySession.Kind.STUDY, "学习《中国共产党纪律处分条例》"),
        (date(year, 7, 10), StudySession.Kind.SPECIAL, "专题研究半年检查发现问题整改"),
        (date(year, 9, 16), StudySession.Kind.STUDY, "观看警示教育片"),
    ]
    for held_on, kind, topic in sessions:
        session, created = StudySession.objects.get_or_create(
            topic=topic, defaults={"held_on": held_on, "kind": kind}
        )
        if created:
            session.attendees.set(rng.sample(everyone, k=min(12, len(everyone))))
    for i, (talker, talkee) in enumerate(
        [
            (secretary, deputies[0]),
            (secretary, deputies[1]),
            (deputies[0], heads[0]),
            (deputies[1], heads[1]),
            (deputies[0], heads[2]),
        ]
    ):
        Talk.objects.get_or_create(
            talker=talker,
            talkee=talkee,
            held_on=date(year, 4, 8 + i),
            defaults={"topic": "廉政提醒谈话", "content": "围绕岗位职责和廉洁自律要求谈心谈话。"},
        )
    risks = [
        ("财务报销审核", departments[5], "虚报冒领、违规报销", RiskPoint.Level.HIGH),
        ("补贴资金审核发放", departments[2], "优亲厚友、审核不严", RiskPoint.Level.HIGH),
        ("辅具采购", departments[2], "采购中收受好处", RiskPoint.Level.MEDIUM),
        ("就业补贴审核", departments[3], "材料把关不严", RiskPoint.Level.MEDIUM),
        ("公务用车管理", departments[0], "公车私用", RiskPoint.Level.LOW),
    ]
    for post, dept, description, level in risks:
        RiskPoint.objects.get_or_create(
            post=post,
            defaults={
                "department": dept,
                "description": description,
                "level": level,
                "controls": "双人审核、定期公示、纪检抽查",
                "reviewed_on": date(year, 3, 30),
            },
        )
    decisions = [
        ("年度残疾人两项补贴资金安排", MajorDecision.Category.FUNDS),
        ("残疾人之家星级评定方案", MajorDecision.Category.DECISION),
        ("无障碍改造项目实施单位确定", MajorDecision.Category.PROJECT),
        ("科室负责人岗位调整", MajorDecision.Category.PERSONNEL),
    ]
    for i, (matter, category) in enumerate(decisions):
        MajorDecision.objects.get_or_create(
            matter=matter,
            defaults={
                "category": category,
                "meeting": "党组会议",
                "decided_on": date(year, 3 + 2 * i, 12),
                "participants": "党组成员",
                "outcome": "同意",
            },
        )
    for i, place in enumerate(["城关街道", "东湖镇", "红河镇"]):
        ServiceVisit.objects.get_or_create(
            place=place,
            visited_on=date(year, 6, 10 + i),
            defaults={
                "group": f"三服务第{i + 1}小组",
                "families": 8 + i * 3,
                "enterprises": 1 + i,
                "problems": "反映辅具适配周期长；希望增加就业岗位。",
                "follow_up": "已转康复部、教育就业部办理。",
            },
        )

    # Campaigns: this year's seven (and next year's, 元旦 is sent in December). Those whose send
    # day is past are shown as sent, with their delivery history.
    reminder_campaigns_ensure_year(year=year)
    reminder_campaigns_ensure_year(year=year + 1)
    for campaign in ReminderCampaign.objects.filter(
        status=ReminderCampaign.Status.PLANNED, send_on__lt=today
    ):
        sent_at = timezone.make_aware(datetime.combine(campaign.send_on, time(8, 30)))
        for person in everyone:
            if not person.phone:
                continue
            SmsMessage.objects.get_or_create(
                idempotency_key=f"reminder:{campaign.pk}:{person.pk}",
                defaults={
                    "phone": person.phone,
                    "body": reminder_campaign_body(campaign=campaign, staff=person),
                    "purpose": "integrity_reminder",
                    "campaign": campaign.ref,
                    "status": SmsMessage.Status.SENT,
                    "attempts": 1,
                    "provider_message_id": f"demo-{campaign.pk}-{person.pk}",
                    "sent_at": sent_at,
                },
            )
        campaign.status = ReminderCampaign.Status.SENT
        campaign.sent_at = sent_at
        campaign.save(update_fields=["status", "sent_at", "updated_at"])
    if stdout:
        stdout.write(f"党风廉政：工作人员 {len(everyone)} 名，节日提醒 {year} 年 7 个。")
