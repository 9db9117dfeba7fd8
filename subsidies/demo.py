"""Demo data for subsidies: called by ``manage.py load_demo`` after the registry is loaded.

Rates (生活补贴 300, 护理补贴 一级 300 / 二级 200 from 2025-01), about 300 entitlements (most taken
over from the spreadsheets, paid by the old process through last December; a few new ones with
arrears), applications in every state in 城关街道, this year's batches up to last month
generated, confirmed, exported and paid, and this month's batch generated as a draft.
Deterministic and idempotent: each part is skipped when its rows already exist.
"""

from datetime import date
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from dfed.core.months import month_add, month_start, months_between
from dfed.people.models import Person

from .eligibility import eligibility_check, tier_for
from .models import (
    Application,
    Entitlement,
    Finding,
    PaymentBatch,
    SubsidyRate,
    SubsidyType,
    Tier,
)
from .services import (
    application_approve,
    application_create,
    application_reject,
    application_submit,
    application_town_approve,
    entitlement_open,
    payment_batch_confirm,
    payment_batch_generate,
    payment_batch_mark_exported,
    payment_batch_mark_paid,
    payment_summary_refresh,
    subsidy_rate_create,
)

FROM = date(2025, 1, 1)
RATES = [
    (SubsidyType.LIVING, Tier.NONE, Decimal("300.00")),
    (SubsidyType.CARE, Tier.LEVEL1, Decimal("300.00")),
    (SubsidyType.CARE, Tier.LEVEL2, Decimal("200.00")),
]


def _say(stdout, text: str) -> None:
    if stdout is not None:
        stdout.write(text)


def _user(username: str):
    return get_user_model().objects.filter(username=username).first()


def load_rates(admin) -> int:
    if SubsidyRate.objects.exists():
        return 0
    for subsidy_type, tier, amount in RATES:
        subsidy_rate_create(
            by=admin,
            type=subsidy_type,
            tier=tier,
            monthly_amount=amount,
            effective_from=FROM,
            note="演示标准",
        )
    return len(RATES)


def load_entitlements(reviewer, this_month: date) -> int:
    if Entitlement.objects.exists():
        return 0
    taken_over_through = date(this_month.year - 1, 12, 1)  # the old process paid up to here
    people = Person.objects.filter(status=Person.Status.ACTIVE).order_by("id_number")
    # Skip 城关街道 people with even positions so the demo applications have candidates there.
    living = list(people.filter(household=Person.Household.DIBAO).select_related("town")[:160])
    care = list(people.filter(level__in=[1, 2]).select_related("town")[:160])
    created = 0
    for index, person in enumerate(living):
        if person.town.name == "城关街道" and index % 2 == 0:
            continue
        new = index % 16 == 0  # a new recipient approved 3 months ago: arrears
        entitlement_open(
            person=person,
            type=SubsidyType.LIVING,
            tier=Tier.NONE,
            start_month=month_add(this_month, -2) if new else FROM,
            paid_through=None if new else taken_over_through,
            by=reviewer,
            note="" if new else "由原台账转入",
        )
        created += 1
    for index, person in enumerate(care):
        if person.town.name == "城关街道" and index % 2 == 0:
            continue
        new = index % 20 == 0
        entitlement_open(
            person=person,
            type=SubsidyType.CARE,
            tier=tier_for(type=SubsidyType.CARE, level=person.level),
            start_month=month_add(this_month, -1) if new else FROM,
            paid_through=None if new else taken_over_through,
            by=reviewer,
            note="" if new else "由原台账转入",
        )
        created += 1
    return created


def load_applications(caseworker, town_head, reviewer) -> int:
    if Application.objects.exists() or not (caseworker and town_head and reviewer):
        return 0
    candidates = [
        person
        for person in Person.objects.filter(
            status=Person.Status.ACTIVE, town__in=caseworker.towns.all()
        ).order_by("id_number")
        if not eligibility_check(person=person, type=SubsidyType.LIVING)
    ][:10]
    plan = [
        "draft",
        "draft",
        "draft",
        "town",
        "town",
        "district",
        "district",
        "approved",
        "rejected",
        "returned",
    ]
    for person, target in zip(candidates, plan, strict=False):
        application = application_create(
            person=person, type=SubsidyType.LIVING, by=caseworker, reason="家庭困难，申请生活补贴"
        )
        if target == "draft":
            continue
        application_submit(application=application, by=caseworker)
        if target == "town":
            continue
        if target == "returned":
            from .services import application_return

            application_return(application=application, by=town_head, comment="请补充低保证复印件")
            continue
        application_town_approve(application=application, by=town_head, comment="情况属实")
        if target == "approved":
            application_approve(application=application, by=reviewer, comment="同意")
        elif target == "rejected":
            application_reject(
                application=application, by=reviewer, comment="家庭收入已超过低保标准"
            )
    return len(candidates)


@transaction.atomic
def load(*, stdout=None) -> None:
    """Add this app's demo rows; idempotent."""
    admin, reviewer = _user("admin"), _user("shenhe")
    if admin is None or reviewer is None:
        _say(stdout, "补贴演示数据：缺少演示账号，已跳过。")
        return
    this_month = month_start(timezone.localdate())
    rates = load_rates(admin)
    entitlements = load_entitlements(reviewer, this_month)
    applications = load_applications(_user("jingban"), _user("xiangzhen"), reviewer)
    batch_rows = 0
    if not PaymentBatch.objects.exists():
        for month in months_between(date(this_month.year, 1, 1), month_add(this_month, -1)):
            batch = payment_batch_generate(month=month, by=reviewer)
            batch_rows += batch.inserted
            payment_batch_confirm(batch=batch, by=reviewer)
            payment_batch_mark_exported(batch=batch, by=reviewer)
            payment_batch_mark_paid(batch=batch, by=reviewer)
        batch_rows += payment_batch_generate(month=this_month, by=reviewer).inserted
    summary_rows = payment_summary_refresh()
    findings = load_lists(admin, timezone.localdate())
    _say(
        stdout,
        f"补贴：新增标准 {rates} 条、享受资格 {entitlements} 条、申请 {applications} 份、"
        f"发放明细 {batch_rows} 笔、发放汇总 {summary_rows} 行、比对发现 {findings} 条。",
    )


def _csv(rows) -> bytes:
    import csv
    import io

    buffer = io.StringIO(newline="")
    csv.writer(buffer).writerows(rows)
    return buffer.getvalue().encode("utf-8")


def load_lists(admin, today: date) -> int:
    """One list of each kind, built from the demo's own people so that 城关街道's worklist has a
    handful of every finding kind; imported through the registry's importer, then compared."""
    from dfed.people.lists import external_list_import
    from dfed.people.models import Area, ExternalList

    from .services import finding_compare

    if ExternalList.objects.exists():
        return 0
    town = Area.objects.filter(level="town", name="城关街道").first()
    if town is None:
        return 0
    live = Entitlement.objects.exclude(state=Entitlement.State.ENDED).filter(person__town=town)
    living = list(live.filter(type=SubsidyType.LIVING).select_related("person")[:12])
    care = list(live.filter(type=SubsidyType.CARE).select_related("person")[:8])
    without = list(
        Person.objects.filter(town=town, status="active", household="general")
        .exclude(subsidy_entitlements__type=SubsidyType.LIVING)
        .order_by("pk")[:3]
    )
    if len(living) < 7 or len(care) < 4:
        return 0  # too small a demo for every kind
    month = month_start(today)
    day = lambda months_ago, d=10: month_add(month, -months_ago).replace(day=d)  # noqa: E731
    p = [e.person for e in living]
    c = [e.person for e in care]
    lists = {
        "death": [["身份证号", "姓名", "死亡日期", "信息来源"]]
        + [[x.id_number, x.name, day(2).isoformat(), "殡葬"] for x in p[0:2]],
        "move": [["身份证号", "姓名", "迁移类型", "迁移日期", "迁往地区划代码"]]
        + [[x.id_number, x.name, "迁出", day(1, 5).isoformat(), "330106"] for x in c[0:2]],
        "sentence": [["身份证号", "姓名", "服刑起始日期", "服刑截止日期"]]
        + [[p[2].id_number, p[2].name, day(3, 1).isoformat(), day(-24, 1).isoformat()]],
        "assistance": [["身份证号", "姓名", "救助类型", "起始年月", "终止年月"]]
        + [[x.id_number, x.name, "低保", "2024-01", f"{day(2):%Y-%m}"] for x in p[3:5]]
        + [[x.id_number, x.name, "低保", f"{day(4):%Y-%m}", ""] for x in without]
        + [[x.id_number, x.name, "特困", "2024-01", ""] for x in p[5:6]],
        "certificate": [
            ["身份证号", "姓名", "残疾类别", "残疾等级", "发证日期", "是否注销", "户籍地区划代码"]
        ]
        + [[x.id_number, x.name, "肢体", "三级", day(1).isoformat(), "否", ""] for x in c[2:4]]
        + [
            [
                x.id_number,
                x.name + "华",
                x.get_category_display(),
                x.get_level_display(),
                day(1).isoformat(),
                "否",
                "",
            ]
            for x in p[6:7]
        ]  # fmt: skip
        + [
            [
                _new_id(i),
                name,
                "精神",
                "二级",
                day(0, 1).isoformat(),
                "否",
                town.children.order_by("code").first().code,
            ]
            for i, name in enumerate(("赵新证", "钱新证", "孙新证"))
        ],  # fmt: skip
    }
    for kind, rows in lists.items():
        report = external_list_import(
            kind=kind, source=_csv(rows), filename=f"演示{kind}.csv", by=admin
        )
        if not report.written:  # the demo's own data is clean; say so loudly if not
            raise RuntimeError("; ".join(report.lines()))
    finding_compare(today=today)
    return Finding.objects.count()


def _new_id(index: int) -> str:
    from dfed.core.validators import id_check_char

    first17 = f"3301992001051{index:03d}7"[:17]
    return first17 + id_check_char(first17)
