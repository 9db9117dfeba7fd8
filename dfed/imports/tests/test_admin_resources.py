"""The admin's reference-table resources (django-import-export) read cells as the engine does:
invisible characters and wrappers removed, codes Excel stored as numbers, labels for choices;
an export imports back unchanged; one bad row writes nothing."""

from decimal import Decimal

import tablib

from accessibility.models import RetrofitItem
from accessibility.resources import RetrofitItemResource
from dfed.people.models import Area
from dfed.people.resources import AreaResource
from homes.models import Home
from homes.resources import HomeResource


def dataset(headers, *rows) -> tablib.Dataset:
    return tablib.Dataset(*rows, headers=headers)


def test_areas_import_with_numeric_codes_and_invisible_characters(db):
    data = dataset(
        ["\ufeff行政区划代码", "名称", "层级", "上级区划代码"],
        [330199000000.0, "示范区", "区", None],
        ["'330199001000", "城关\u200b街道", "镇街道", 330199000000],
        ['="330199001001"', "和平社区", "社区村", "330199001000"],
    )

    result = AreaResource().import_data(data, dry_run=False)

    assert not result.has_errors()
    assert not result.has_validation_errors()
    community = Area.objects.get(code="330199001001")
    assert (community.name, community.level, community.parent.name) == (
        "和平社区",
        "community",
        "城关街道",
    )
    exported = AreaResource().export()
    again = AreaResource().import_data(exported, dry_run=False)
    assert again.totals["skip"] == 3


def test_retrofit_items_all_or_nothing(db):
    headers = ["年度", "项目名称", "类别", "单位", "单价上限（元）", "启用", "说明"]
    bad = dataset(
        headers,
        [2026, "不锈钢扶手", "扶手抓杆", "米", "￥150", "是", ""],
        [2026, "坡道", "不知道", "平方米", "300", "是", ""],
    )

    result = RetrofitItemResource().import_data(bad, dry_run=False)

    assert result.has_validation_errors()
    assert not RetrofitItem.objects.exists()
    good = dataset(headers, [2026, "不锈钢扶手\u00a0", "扶手抓杆", "米", "1,50元", "否", None])
    assert not RetrofitItemResource().import_data(good, dry_run=False).has_validation_errors()
    item = RetrofitItem.objects.get()
    assert (item.name, item.price_cap, item.active, item.note) == (
        "不锈钢扶手",
        Decimal("150.00"),
        False,
        "",
    )


def test_homes_import_by_town_and_community_names(areas):
    data = dataset(
        [
            "镇（街道）",
            "村（社区）",
            "名称",
            "开办日期",
            "运营方式",
            "可容纳人数",
            "状态",
            "联系电话",
        ],
        ["A镇", "A镇1社区", "阳光家园", "2020年5月1日", "公办", 30, "运营中", "'13800138000"],
    )

    result = HomeResource().import_data(data, dry_run=False)

    assert not result.has_errors()
    assert not result.has_validation_errors()
    home = Home.objects.get()
    assert (home.town.name, home.opened_on.isoformat(), home.contact_phone) == (
        "A镇",
        "2020-05-01",
        "13800138000",
    )
    assert HomeResource().import_data(HomeResource().export(), dry_run=False).totals["skip"] == 1
