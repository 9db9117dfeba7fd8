"""Demo registry: the 示范区 area tree, ~2,000 people and one user per role.

Deterministic (fixed seed) and idempotent: running it again adds nothing.
"""

import random
from datetime import date, timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import transaction
from simple_history.utils import bulk_create_with_history

from dfed.accounts.roles import Role
from dfed.core.validators import id_check_char

from .models import Area, Person

DISTRICT = ("330199000000", "示范区")
TOWNS = ["城关街道", "东湖街道", "西山镇", "南塘镇", "北岭镇", "青石镇", "白沙乡", "红河镇"]
COMMUNITY_SUFFIXES = ["社区", "村", "村", "社区"]
COMMUNITY_NAMES = [
    "和平",
    "幸福",
    "光明",
    "新华",
    "东升",
    "向阳",
    "团结",
    "富强",
    "长青",
    "桃源",
    "清泉",
    "金桥",
    "丰收",
    "永安",
    "广福",
    "兴隆",
    "龙山",
    "石门",
    "柳岸",
    "荷塘",
    "松林",
    "杏花",
    "梅园",
    "竹溪",
    "枫桥",
    "云台",
    "望江",
    "凤鸣",
    "安澜",
    "锦绣",
    "春晖",
    "秀水",
]
SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡"
    "余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯"
    "龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
)
GIVEN = (
    "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超兰霞平刚桂英华建国文红玉梅志忠兴德福宝春生"
    "海林燕云凤金荣淑珍建军小红晓东雪梅丹萍琳玲慧婷浩宇子涵思远嘉怡欣然俊杰"
)
BANKS = ["农商银行", "农业银行", "邮储银行", "工商银行", "建设银行"]
DEMO_USERS = [
    ("admin", "系统管理员", Role.ADMIN, None),
    ("jingban", "陈经办", Role.CASEWORKER, "城关街道"),
    ("xiangzhen", "王主任", Role.TOWN_REVIEWER, "城关街道"),
    ("shenhe", "李审核", Role.REVIEWER, None),
    ("lingdao", "赵理事长", Role.OFFICIAL, None),
    ("jijian", "孙纪检", Role.INTEGRITY, None),
]
DEMO_USER_PHONES = {name: f"1390000000{i}" for i, (name, *_) in enumerate(DEMO_USERS, start=1)}


def make_id_number(area6: str, birth: date, seq: int, female: bool) -> str:
    seq3 = seq % 1000
    if (seq3 % 2 == 0) != female:  # the 17th digit: odd for men, even for women
        seq3 = (seq3 + 1) % 1000
    first17 = f"{area6}{birth:%Y%m%d}{seq3:03d}"
    return first17 + id_check_char(first17)


@transaction.atomic
def load_areas() -> dict[str, Area]:
    district, _ = Area.objects.get_or_create(
        code=DISTRICT[0], defaults={"name": DISTRICT[1], "level": Area.Level.DISTRICT}
    )
    towns = {}
    names = iter(COMMUNITY_NAMES)
    for i, name in enumerate(TOWNS, start=1):
        town, _ = Area.objects.get_or_create(
            code=f"330199{i:03d}000",
            defaults={"name": name, "level": Area.Level.TOWN, "parent": district},
        )
        towns[name] = town
        for j, suffix in enumerate(COMMUNITY_SUFFIXES, start=1):
            Area.objects.get_or_create(
                code=f"330199{i:03d}{j:03d}",
                defaults={
                    "name": next(names) + suffix,
                    "level": Area.Level.COMMUNITY,
                    "parent": town,
                },
            )
    return towns


@transaction.atomic
def load_users(towns: dict[str, Area]) -> None:
    User = get_user_model()
    for username, display, role, town in DEMO_USERS:
        user, created = User.objects.get_or_create(
            username=username,
            defaults={
                "display_name": display,
                "is_staff": role == Role.ADMIN,
                "is_superuser": role == Role.ADMIN,
            },
        )
        if created:
            user.set_password(settings.DEMO_PASSWORD)
        if created or not user.phone:  # 发送测试短信 goes to the account's own phone
            user.phone = user.phone or DEMO_USER_PHONES[username]
            user.save()
        user.groups.add(Group.objects.get(name=role))
        if town:
            user.towns.add(towns[town])


@transaction.atomic
def load_people(count: int = 2000, seed: int = 20261125) -> int:
    """Create ``count`` demo people; returns how many were new."""
    rng = random.Random(seed)
    communities = list(Area.objects.filter(level=Area.Level.COMMUNITY).select_related("parent"))
    existing = set(Person.objects.values_list("id_number", flat=True))
    people = []
    for n in range(count):
        community = communities[n % len(communities)]
        female = rng.random() < 0.45
        birth = date(1940, 1, 1) + timedelta(days=rng.randrange(0, 365 * 80))
        id_number = make_id_number("330199", birth, n, female)
        category = rng.choices(range(1, 8), weights=[12, 15, 3, 40, 12, 13, 5])[0]
        level = rng.choices(range(1, 5), weights=[15, 25, 30, 30])[0]
        household = rng.choices(["dibao", "marginal", "tekun", "general"], weights=[25, 10, 3, 62])[
            0
        ]
        name = rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.choice([1, 2])))
        has_bank = household in ("dibao", "marginal", "tekun") or level <= 2
        draws = (
            rng.choice(BANKS),
            rng.randint(0, 10**15 - 1),
            rng.randint(1, 200),
            rng.choice("3578"),
            rng.randint(0, 999999999),
        )
        if id_number in existing:
            continue
        existing.add(id_number)
        people.append(
            Person(
                name=name,
                id_number=id_number,
                sex="female" if female else "male",
                birth_date=birth,
                certificate_number=f"{id_number}{category}{level}",
                category=category,
                level=level,
                household=household,
                town=community.parent,
                community=community,
                address=f"{community.parent.name}{community.name}{draws[2]}号",
                phone=f"1{draws[3]}{draws[4]:09d}",
                bank_name=draws[0] if has_bank else "",
                bank_account=f"6228{draws[1]:015d}" if has_bank else "",
            )
        )
    if people:
        bulk_create_with_history(people, Person, batch_size=1000, default_change_reason="演示数据")
    return len(people)
