"""Demo data for accessibility: called by ``manage.py load_demo`` after the registry is loaded.

A catalogue and town budgets for this year and last, projects in every status walked through the
real services (so timelines and figures are genuine; photos get thumbnails), in the first town
two households whose person leaves the registry (one project 已终止, one flagged in 施工), and two
accessible-community creations.
Deterministic and idempotent: a household-year or community-year that exists is left alone.
"""

import struct
import zlib
from datetime import date, datetime, timedelta
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from dfed.people.models import Area, Person
from dfed.people.services import person_set_status

from . import services
from .conf import eligible_households
from .models import (
    AccessibleCommunity,
    ChecklistItem,
    CommunityCheck,
    Photo,
    ProjectStep,
    RetrofitBudget,
    RetrofitItem,
    RetrofitProject,
)

S = RetrofitProject.Status

CATALOGUE = [
    # name, category, unit, cap
    ("卫生间安全扶手", "grab_bar", "套", "600"),
    ("床边助起扶手", "grab_bar", "个", "400"),
    ("走廊扶手", "grab_bar", "米", "150"),
    ("入户坡道", "ramp", "米", "800"),
    ("门槛坡", "ramp", "个", "200"),
    ("蹲便改坐便", "bathroom", "套", "1500"),
    ("淋浴座椅", "bathroom", "个", "350"),
    ("防滑地面处理", "bathroom", "平方米", "120"),
    ("低位灶台改造", "kitchen", "套", "2500"),
    ("水龙头改杠杆式", "kitchen", "个", "180"),
    ("门加宽改造", "door", "樘", "1800"),
    ("闪光门铃", "smart", "套", "300"),
    ("燃气泄漏报警器", "smart", "套", "450"),
    ("一键呼叫装置", "smart", "套", "600"),
]
STANDARD = [
    ("WZA-01", "社区主要出入口设置无障碍坡道", "坡度不大于1:12，两侧设扶手"),
    ("WZA-02", "社区服务中心设无障碍卫生间", "含安全抓杆、紧急呼叫按钮"),
    ("WZA-03", "主要道路人行道设连续盲道", "盲道连续、无障碍物占用"),
    ("WZA-04", "设置无障碍机动车停车位", "位于距出入口最近处，有明显标识"),
    ("WZA-05", "公共建筑设低位服务设施", "低位服务台、低位饮水机等"),
    ("WZA-06", "设置无障碍标识系统", "国际通用无障碍标志，导向清晰"),
    ("WZA-07", "开展残疾人家庭无障碍改造", "有需求的困难残疾人家庭改造率100%"),
    ("WZA-08", "提供无障碍信息交流服务", "手语、字幕或语音提示服务"),
]
BUDGETS = [Decimal("120000"), Decimal("90000"), Decimal("80000"), Decimal("80000"),
           Decimal("70000"), Decimal("70000"), Decimal("60000"), Decimal("60000")]  # fmt: skip
# Stages for this year's projects in each town; together they cover every status.
STAGES_THIS_YEAR = [S.COMPLETED, S.COMPLETED, S.ACCEPTANCE, S.CONSTRUCTION, S.APPROVAL,
                    S.ASSESSMENT, S.APPLIED, S.RETURNED]  # fmt: skip


def _png(rgb: tuple[int, int, int], width: int = 160, height: int = 120) -> bytes:
    """A solid-colour PNG made without an imaging library."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    row = b"\x00" + bytes(rgb) * width
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(row * height))
        + chunk(b"IEND", b"")
    )


def _photo(kind: str, n: int) -> SimpleUploadedFile:
    colour = (180, 120, 90) if kind == "before" else (80, 160, 110)
    return SimpleUploadedFile(f"{kind}-{n}.png", _png(colour), content_type="image/png")


def load_catalogue(years) -> None:
    for year in years:
        for name, category, unit, cap in CATALOGUE:
            RetrofitItem.objects.get_or_create(
                year=year,
                name=name,
                defaults={"category": category, "unit": unit, "price_cap": Decimal(cap)},
            )


def load_budgets(towns, years) -> None:
    for year in years:
        for town, amount in zip(towns, BUDGETS, strict=False):
            RetrofitBudget.objects.get_or_create(town=town, year=year, defaults={"amount": amount})


def _walk(project, stage, *, worker, reviewer, year, n) -> None:
    """Take a freshly applied project to ``stage`` (RETURNED: returned at 审批)."""
    today = timezone.localdate()
    day = date(year, 3, 1) if year < today.year else today - timedelta(40)  # see _backdate
    items = list(RetrofitItem.objects.filter(year=year).order_by("pk"))
    if stage == S.APPLIED:
        return
    project = services.project_intake(project=project, by=worker)
    if stage == S.ASSESSMENT:
        return
    chosen = [items[(n + k * 5) % len(items)] for k in range(2 + n % 2)]
    lines = [
        {
            "item": item,
            "quantity": Decimal(1 + (n + k) % 3),
            "unit_price": (item.price_cap * Decimal("0.9")).quantize(Decimal("0.01")),
        }
        for k, item in enumerate(chosen)
    ]
    if n % 4 == 1:  # one line above its cap, with the reason
        lines[0]["unit_price"] = lines[0]["item"].price_cap + Decimal("50")
        lines[0]["over_cap_reason"] = "房屋结构特殊，需定制加长"
    project = services.project_assess(
        project=project,
        by=worker,
        assessor=f"{project.town.name}评估员",
        assessed_on=day,
        findings="入户查看，卫生间和出入口存在障碍，需改造。",
        items=lines,
    )
    services.photo_add(project=project, by=worker, kind="before", upload=_photo("before", n))
    if stage == S.RETURNED:
        services.project_return(project=project, by=reviewer, comment="估价偏高，请重新核实数量")
        return
    if stage == S.APPROVAL:
        return
    project = services.project_approve(project=project, by=reviewer)
    if stage == S.CONSTRUCTION:
        return
    costs = {line.pk: (line.estimate * Decimal("0.95")).quantize(Decimal("0.01"))
             for line in project.items.all()}  # fmt: skip
    project = services.project_record_construction(
        project=project,
        by=worker,
        contractor=["平安装修队", "康居无障碍工程公司", "惠民建筑"][n % 3],
        start=day + timedelta(10),
        finish=day + timedelta(20),
        actual_costs=costs,
    )
    if stage == S.ACCEPTANCE:
        return
    services.project_accept(
        project=project,
        by=reviewer,
        items_done=True,
        family_satisfied=True,
        signed_by="户主",
        accepted_on=day + timedelta(25),
        note="改造内容全部完成，家庭满意。",
        photos=[("after", _photo("after", n))],
    )


def _backdate(project, *, year: int, n: int) -> None:
    """Spread a demo project's steps over plausible days (the services stamp them now)."""
    today = timezone.localdate()
    start = date(year, 2, 20) if year < today.year else today - timedelta(45)
    steps = list(ProjectStep.objects.filter(project=project).order_by("at", "pk"))
    stamps = {}
    for i, step in enumerate(steps):
        day = start + timedelta(days=i * 5 + n % 4)
        step.at = timezone.make_aware(datetime(day.year, day.month, day.day, 9 + i, 30))
        stamps.setdefault(step.action, step.at)
    ProjectStep.objects.bulk_update(steps, ["at"])
    RetrofitProject.objects.filter(pk=project.pk).update(
        applied_at=stamps["apply"],
        approved_at=stamps.get("approve"),
        completed_at=stamps.get("accept"),
    )


def load_projects(towns, *, this_year: int, stdout=None) -> int:
    User = get_user_model()
    admin = User.objects.get(username="admin")
    jingban = User.objects.get(username="jingban")
    reviewer = User.objects.get(username="shenhe")
    created = 0
    plan = [(this_year - 1, [S.COMPLETED] * 3), (this_year, STAGES_THIS_YEAR)]
    for t, town in enumerate(towns):
        worker = jingban if jingban.towns.filter(pk=town.pk).exists() else admin
        # People who already have a project stay in the list after leaving the registry (see
        # load_registry_changes), so that a second run picks the same households.
        people = list(
            Person.objects.filter(town=town, household__in=eligible_households())
            .filter(Q(status=Person.Status.ACTIVE) | Q(retrofits__isnull=False))
            .distinct()
            .order_by("id_number")[:12]
        )
        n = 0
        for year, stages in plan:
            for stage in stages:
                person, n = people[n % len(people)], n + 1
                if RetrofitProject.objects.filter(person=person, year=year).exists():
                    continue
                project = services.project_apply(
                    person=person, year=year, by=worker, needs="卫生间如厕困难，出入口有台阶。"
                )
                _walk(project, stage, worker=worker, reviewer=reviewer, year=year, n=t + n)
                _backdate(project, year=year, n=t + n)
                created += 1
    return created


def load_registry_changes(town, *, this_year: int) -> int:
    """In one town, this year's applicant moves away (the project ends, 已终止) and the household
    in 施工 loses its person (the project is flagged); through the registry's own service."""
    if RetrofitProject.objects.filter(town=town, status=S.TERMINATED).exists():
        return 0
    User = get_user_model()
    jingban = User.objects.get(username="jingban")
    by = (
        jingban if jingban.towns.filter(pk=town.pk).exists() else User.objects.get(username="admin")
    )
    changed = 0
    for stage, status, days in ((S.APPLIED, Person.Status.MOVED, 5),
                                (S.CONSTRUCTION, Person.Status.DECEASED, 3)):  # fmt: skip
        project = (
            RetrofitProject.objects.filter(
                town=town, year=this_year, status=stage, person__status=Person.Status.ACTIVE
            )
            .select_related("person")
            .order_by("pk")
            .first()
        )
        if project is None:
            continue
        person_set_status(
            person=project.person,
            status=status,
            on=timezone.localdate() - timedelta(days),
            by=by,
            reason="演示：登记状态变更",
        )
        changed += 1
    return changed


def load_thumbnails() -> int:
    """Give every photo without a thumbnail one (photos stored before thumbnails existed);
    returns how many were made. New photos get theirs from the ``photo_thumbnail_make`` task."""
    made = 0
    for photo in Photo.objects.filter(thumbnail="").order_by("pk"):
        made += services.photo_thumbnail_refresh(photo=photo)
    return made


def load_communities(*, this_year: int) -> None:
    for code, title, description in STANDARD:
        ChecklistItem.objects.get_or_create(
            code=code,
            defaults={"title": title, "description": description, "order": int(code[-2:])},
        )
    User = get_user_model()
    worker, reviewer = User.objects.get(username="admin"), User.objects.get(username="shenhe")
    communities = list(Area.objects.filter(level=Area.Level.COMMUNITY).order_by("code"))
    if len(communities) < 6:
        return
    passed, building = communities[1], communities[5]
    if not AccessibleCommunity.objects.filter(community=passed, year=this_year - 1).exists():
        creation = services.community_declare(community=passed, year=this_year - 1, by=worker)
        services.community_start(creation=creation, by=worker)
        for check in creation.checks.all():
            services.community_check_update(
                check=check, by=worker, state=CommunityCheck.State.DONE, note="已建成并通过自查"
            )
        services.community_decide(creation=creation, by=reviewer, passed=True, note="各项达标")
    if not AccessibleCommunity.objects.filter(community=building, year=this_year).exists():
        creation = services.community_declare(community=building, year=this_year, by=worker)
        services.community_start(creation=creation, by=worker)
        for i, check in enumerate(creation.checks.all()):
            if i < 3:
                services.community_check_update(
                    check=check, by=worker, state=CommunityCheck.State.DONE, note="已完成"
                )
            elif i < 5:
                services.community_check_update(
                    check=check, by=worker, state=CommunityCheck.State.IN_PROGRESS, note="施工中"
                )


@transaction.atomic
def load(*, stdout=None) -> None:
    """Add this app's demo rows; idempotent."""
    this_year = timezone.localdate().year
    towns = list(Area.objects.filter(level=Area.Level.TOWN).order_by("code"))
    if not towns:
        return
    years = [this_year - 1, this_year]
    load_catalogue(years)
    load_budgets(towns, years)
    created = load_projects(towns, this_year=this_year, stdout=stdout)
    load_registry_changes(towns[0], this_year=this_year)
    load_thumbnails()
    load_communities(this_year=this_year)
    if stdout is not None:
        stdout.write(f"无障碍改造：新增改造项目 {created} 个。")
