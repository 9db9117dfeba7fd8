"""The member roster's columns, row checks and downloadable template."""

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from dfed.core.importing import Column, ImportSpec, Record
from dfed.core.importing import normalizers as n
from dfed.core.importing.template import template_workbook

from ..models import Home

LABEL = gettext_lazy("残疾人之家成员名册")
KEY = "home_members"

SPEC = ImportSpec(
    columns=[
        Column("seq", ("序号",)),
        Column(
            "home",
            ("残疾人之家", "残疾人之家名称", "所属残疾人之家", "之家名称", "所在残疾人之家"),
            n.compact,
            required=True,
            blank_ok=False,
            max_length=100,
        ),
        Column("town", ("镇（街道）", "乡镇（街道）", "镇街道", "乡镇街道", "乡镇"), n.compact),
        Column(
            "name",
            ("姓名", "成员姓名", "残疾人姓名"),
            n.person_name,
            required=True,
            blank_ok=False,
            max_length=50,
        ),
        Column(
            "id_number",
            ("公民身份号码", "身份证号", "身份证号码", "身份证"),
            n.id_number,
            required=True,
            blank_ok=False,
        ),
        Column(
            "joined_on",
            ("加入日期", "入家日期", "加入时间", "入托日期"),
            n.day,
            required=True,
            blank_ok=False,
        ),
        Column("left_on", ("退出日期", "退出时间"), n.day),
        Column("leave_reason", ("退出原因",), max_length=200),
        Column("note", ("备注",)),
    ],
    checks=[],
    key="id_number",
)
TEMPLATE_EXAMPLE = {
    "seq": 1,
    "home": "东湖残疾人之家",
    "town": "东湖街道",
    "name": "王芳",
    "id_number": "330199197003090028",
    "joined_on": "2025-03-01",
}


def check_dates(record: Record):
    values = record.values
    joined, left = values.get("joined_on"), values.get("left_on")
    if joined and joined > timezone.localdate():
        yield "joined_on", _("加入日期不能晚于今天")
    if joined and left and left < joined:
        yield "left_on", _("退出日期不能早于加入日期")


SPEC.checks = [check_dates]


def home_members_template() -> bytes:
    """The member roster template: header, one example row, drop-down lists (home, town)."""
    return template_workbook(
        spec=SPEC,
        title=str(LABEL),
        example=TEMPLATE_EXAMPLE,
        choices={
            "home": list(Home.objects.order_by("name").values_list("name", flat=True)),
            "town": sorted(set(Home.objects.values_list("town__name", flat=True))),
        },
    )
