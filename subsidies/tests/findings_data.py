"""A small world for the comparison tests: one registered person per finding kind and the
lists that reveal them (imported through the engine), compared as of ``TODAY``."""

from datetime import date

import pytest

from dfed.core.importing.testing import xlsx_bytes
from dfed.people.lists import external_list_import
from dfed.people.tests.factories import make_id
from subsidies.models import Finding, SubsidyType, Tier
from subsidies.services import finding_compare

from .factories import EntitlementFactory

TODAY = date(2026, 11, 30)
HEADERS = {
    "assistance": ["身份证号", "姓名", "救助类型", "起始年月", "终止年月"],
    "death": ["身份证号", "姓名", "死亡日期", "信息来源"],
    "move": ["身份证号", "姓名", "迁移类型", "迁移日期", "迁往地区划代码"],
    "certificate": ["身份证号", "姓名", "残疾类别", "残疾等级", "发证日期", "是否注销", "区划代码"],
    "sentence": ["身份证号", "姓名", "服刑起始日期", "服刑截止日期"],
}


def load(kind: str, *rows):
    report = external_list_import(
        kind=kind, source=xlsx_bytes([HEADERS[kind], *rows]), filename=f"{kind}.xlsx"
    )
    assert report.written, report.lines()
    return report


def compare():
    return finding_compare(today=TODAY)


def living(person, **kwargs):
    kwargs.setdefault("paid_through", date(2026, 10, 1))
    return EntitlementFactory(person=person, type=SubsidyType.LIVING, tier=Tier.NONE, **kwargs)


def care(person, **kwargs):
    kwargs.setdefault("paid_through", date(2026, 10, 1))
    tier = Tier.LEVEL1 if person.level == 1 else Tier.LEVEL2
    return EntitlementFactory(person=person, type=SubsidyType.CARE, tier=tier, **kwargs)


def found(**filters) -> set[tuple]:
    return set(Finding.objects.filter(**filters).values_list("rule", "id_number", "type"))


@pytest.fixture
def world(areas, rates, person_factory):
    """One registered person per finding kind, and the lists that reveal them."""
    return build_world(areas, person_factory)


def build_world(areas, person_factory) -> dict:
    """The people of ``world`` (rates must exist), keyed by what the lists say of them."""
    a1 = areas["community_a1"]
    people = {
        "dead": person_factory(community=a1, level=3),
        "moved": person_factory(community=a1),
        "jailed": person_factory(community=a1, level=3),
        "poorer": person_factory(community=a1, level=3),
        "better": person_factory(community=a1),
        "missed": person_factory(community=a1, level=3, household="general"),
        "severe": person_factory(community=a1, household="general"),
        "renamed": person_factory(community=a1, level=4, household="general"),
        "tekun": person_factory(community=a1, level=4),
    }
    living(people["dead"])
    care(people["moved"])
    living(people["jailed"])
    living(people["poorer"])
    care(people["better"])
    living(people["renamed"])
    living(people["tekun"])
    p = people
    load("death", [p["dead"].id_number, p["dead"].name, "2026-03-15", "殡葬"])
    load("move", [p["moved"].id_number, p["moved"].name, "迁出", "2026-05-02", "330106"])
    load("sentence", [p["jailed"].id_number, "", "2026-02-01", "2028-01-31"])
    load(
        "assistance",
        [p["poorer"].id_number, p["poorer"].name, "低保", "2024-01", "2026-04"],
        [p["missed"].id_number, p["missed"].name, "低保", "2025-06", ""],
        [p["tekun"].id_number, p["tekun"].name, "特困", "2024-01", ""],
    )
    newcomer = make_id()
    load(
        "certificate",
        [p["better"].id_number, p["better"].name, "肢体", "三级", "2026-07-10", "否", ""],
        [p["renamed"].id_number, "王新名", "肢体", "四级", "2026-01-01", "否", ""],
        [newcomer, "新办证", "精神", "一级", "2026-10-01", "否", "330199002001"],
    )
    people["newcomer"] = newcomer
    return people
