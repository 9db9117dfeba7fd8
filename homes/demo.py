"""Demo data for homes: called by ``manage.py load_demo`` after the registry is loaded.

Homes in every town but the last (so the coverage page shows a gap), last year's and this
year's score sheets approved with a spread of star levels (one failing the fire-safety item, one
waiting for approval), about fifteen members a home, and the last month of attendance and
service records. Deterministic (fixed seed) and idempotent: each part is added only once.
"""

import random
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from dfed.people.models import Area, Person

from . import services
from .models import Attendance, Home, Membership, ServiceRecord, StarAssessment

SEED = 20261125
# (suffix, operator, capacity, services, second home in the town?)
HOME_SPECS = [
    ("阳光家园", Home.Operator.PUBLIC, 40, ["care", "rehab", "skills", "recreation", "work"]),
    ("康乐之家", Home.Operator.ASSISTED, 30, ["care", "rehab", "recreation"]),
    ("温馨家园", Home.Operator.SOCIAL, 25, ["care", "skills", "work"]),
]
# Score profiles: share of each ordinary item's maximum, and whether the fire-safety item fails
# (mandatory items are otherwise met).
FIVE, FOUR, THREE, ONE, FIRE = (
    (0.96, False),
    (0.86, False),
    (0.7, False),
    (0.5, False),
    (0.92, True),
)
# Per home, in load order: last year's approved sheet, and this year's sheet with its last step.
PLAN = [
    (FOUR, FIVE, "approve"),
    (THREE, FOUR, "submit"),  # waits for a reviewer: approving it lifts the home to four stars
    (FIVE, None, None),
    (FIRE, None, None),
    (FOUR, None, None),
    (ONE, THREE, "draft"),
    (THREE, FOUR, "approve"),
    (FOUR, None, None),
    (THREE, None, None),
    (FIVE, FIRE, "approve"),
]


def _users():
    User = get_user_model()
    assessor = (
        User.objects.filter(username="admin").first()
        or User.objects.filter(is_superuser=True).order_by("pk").first()
    )
    approver = User.objects.filter(username="shenhe").first()
    return assessor, approver


def _score(points: Decimal, share: float) -> Decimal:
    value = (points * Decimal(str(share)) * 2).quantize(Decimal("1"), rounding=ROUND_HALF_UP) / 2
    return min(points, value)


def load_homes(towns: list[Area], by) -> list[Home]:
    homes = []
    types = services.service_type_catalogue_ensure()
    for n, town in enumerate(towns[:-1]):  # the last town is left without a home: a gap
        communities = list(town.children.order_by("code"))
        specs = HOME_SPECS[: 2 if n % 3 == 0 else 1]
        for k, (suffix, operator, capacity, codes) in enumerate(specs):
            community = communities[k % len(communities)]
            name = f"{town.name}{suffix}"
            home = Home.objects.filter(community=community, name=name).first()
            if home is None:
                home = services.home_create(
                    by=by,
                    name=name,
                    community=community,
                    address=f"{town.name}{community.name}{10 + n}号",
                    floor_area=Decimal(300 + 40 * n),
                    opened_on=date(2018 + n % 5, 3 + k, 1),
                    operator=operator,
                    capacity=capacity,
                    contact_name=f"{town.name[:1]}主任",
                    contact_phone=f"1390571{n:02d}{k:02d}",
                    services=[types[c] for c in codes],
                )
            homes.append(home)
    return homes


def load_assessments(homes: list[Home], assessor, approver) -> int:
    this_year = timezone.localdate().year
    created = 0
    for n, home in enumerate(homes):
        last, this, step = PLAN[n % len(PLAN)]
        plan = [(this_year - 1, last, "approve")]
        if this is not None:
            plan.append((this_year, this, step))
        for year, (share, fire_fails), step in plan:
            if StarAssessment.objects.filter(home=home, year=year).exists():
                continue
            assessment = services.assessment_create(
                home=home, year=year, by=assessor, assessors="区残联星级评定组"
            )
            scores = {}
            for line in assessment.scores.select_related("item"):
                item = line.item
                score, remark = _score(item.max_points, share), ""
                if item.is_mandatory:  # met, except the fire-safety item of a failing profile
                    score = item.max_points
                    if fire_fails and item.cap_level == 2:
                        score, remark = Decimal("0"), "消防验收手续未办结"
                scores[line.item_id] = (score, remark)
            services.assessment_score(assessment=assessment, by=assessor, scores=scores)
            if step != "draft":
                services.assessment_submit(assessment=assessment, by=assessor)
            if step == "approve":
                services.assessment_approve(assessment=assessment, by=approver)
            created += 1
    return created


def load_members(homes: list[Home], rng: random.Random, per_home: int = 15) -> int:
    taken = set(Membership.objects.filter(left_on__isnull=True).values_list("person", flat=True))
    created = []
    for home in homes:
        if home.memberships.exists():
            continue
        candidates = (
            Person.objects.filter(town=home.town, status=Person.Status.ACTIVE)
            .exclude(pk__in=taken)
            .order_by("id_number")
            .values_list("pk", flat=True)[: per_home * 3]
        )
        chosen = rng.sample(list(candidates), min(per_home, len(candidates)))
        for pk in chosen:
            taken.add(pk)
            joined = date(timezone.localdate().year - 1, rng.randint(1, 12), 1)
            created.append(Membership(home=home, person_id=pk, joined_on=joined))
    Membership.objects.bulk_create(created)
    return len(created)


def load_activity(homes: list[Home], rng: random.Random, days: int = 30) -> int:
    """A month of weekday attendance and one service session a weekday per home."""
    today = timezone.localdate()
    added = 0
    for home in homes:
        if home.attendance.exists():
            continue
        members = list(
            home.memberships.filter(left_on__isnull=True).values_list("person", flat=True)
        )
        offered = list(home.services.all())
        rows, day = [], today - timedelta(days=days)
        while day <= today:
            if day.weekday() < 5 and members:
                present = [pk for pk in members if rng.random() < 0.8]
                rows += [Attendance(home=home, person_id=pk, date=day) for pk in present]
                if offered and present:
                    record = ServiceRecord.objects.create(
                        home=home,
                        date=day,
                        service_type=offered[day.toordinal() % len(offered)],
                        hours=Decimal(rng.choice(["1.5", "2", "2.5", "3"])),
                        staff="服务员",
                    )
                    record.attendees.set(present[: max(1, len(present) * 2 // 3)])
            day += timedelta(days=1)
        Attendance.objects.bulk_create(rows, ignore_conflicts=True)
        added += len(rows)
    return added


@transaction.atomic
def load(*, stdout=None) -> None:
    """Add this app's demo rows; idempotent."""
    rng = random.Random(SEED)
    assessor, approver = _users()
    towns = list(Area.objects.filter(level=Area.Level.TOWN).order_by("code"))
    if not towns or assessor is None or approver is None:
        return
    homes = load_homes(towns, assessor)
    assessed = load_assessments(homes, assessor, approver)
    members = load_members(homes, rng)
    attendance = load_activity(homes, rng)
    if stdout is not None:
        stdout.write(
            f"残疾人之家：{len(homes)} 家；新增星级评定 {assessed} 份、成员 {members} 名、"
            f"出勤 {attendance} 人次。"
        )
