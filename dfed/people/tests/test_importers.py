"""The registry roster importer (残疾人名册) through the engine: a clean file, bad rows with every
error, all-or-nothing, unchanged re-import, history with user and reason, the command's exit
codes and the downloadable template."""

import io
from datetime import date

import pytest
from django.core.management import CommandError, call_command
from openpyxl import load_workbook

from dfed.core.importing.template import template_workbook
from dfed.core.importing.testing import xlsx_bytes
from dfed.imports.registry import importer_get
from dfed.people.importers import PEOPLE_SPEC, TEMPLATE_EXAMPLE, people_import
from dfed.people.models import Person
from dfed.people.tests.factories import make_id

HEADER = ["序号", "姓名", "性别", "身份证号", "残疾类别", "残疾等级", "镇（街道）", "村（社区）",
          "联系方式", "家庭类型", "代发金融机构", "社会保障卡号"]  # fmt: skip


def person_row(seq, name, id_number, **kw):
    return [
        seq,
        name,
        kw.get("sex"),
        id_number,
        kw.get("category", "肢体"),
        kw.get("level", "二级"),
        kw.get("town", "A镇"),
        kw.get("community", "A镇1社区"),
        kw.get("phone", "13800138000"),
        kw.get("household", "一般"),
        kw.get("bank", "农商银行"),
        kw.get("account", "622848001234567890"),
    ]


def ids(n):
    return [make_id(date(1970, 3, 9), seq=s) for s in range(1, n + 1)]


def test_people_import_writes_a_clean_roster_with_history(areas, admin_user):
    a, b = ids(2)
    data = xlsx_bytes(
        [["示范区残疾人名册"], HEADER, person_row(1, "王芳", a), person_row(2, "李强", b)]
    )

    report = people_import(source=data, filename="名册.xlsx", by=admin_user)

    assert report.lines() == ["共2行：新增2行，更新0行，未变化0行，有误0行。已全部写入。"]
    person = Person.objects.get(id_number=a)
    assert (person.name, person.phone, person.bank_account) == (
        "王芳",
        "13800138000",
        "622848001234567890",
    )
    record = person.history.get()
    assert (record.history_user, record.history_change_reason) == (
        admin_user,
        "导入残疾人名册：名册.xlsx",
    )

    again = people_import(source=data, filename="名册.xlsx", by=admin_user)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 2)
    assert Person.history.count() == 2

    from dfed.people.models import PersonCount

    town = areas["community_a1"].parent
    assert sum(PersonCount.objects.filter(town_id=town.pk).values_list("people", flat=True)) == 2


def test_people_import_reports_every_error_and_writes_nothing(areas):
    a, b = ids(2)
    rows = [
        HEADER,
        person_row(1, "王芳", a),
        person_row(2, "李?", b, town="Z镇", household="富裕"),
        person_row(3, "王芳", a),
    ]

    report = people_import(source=xlsx_bytes(rows), filename="名册.xlsx")

    assert report.error_lines() == [
        "第3行 姓名 含有无法识别的字符“?”，可能是生僻字在保存时丢失（常见于另存为 GBK 编码的"
        " CSV）：请对照原始材料更正，或改用 xlsx、UTF-8 CSV 文件",
        "第3行 镇（街道） 镇（街道）不存在：Z镇",
        "第3行 家庭类型 家庭类型无法识别：富裕（应为低保、低保户、低保家庭、城乡低保、"
        "最低生活保障、低保边缘、低保边缘户、低保边缘家庭、低边、边缘户、特困、特困户、特困供养、特困人员、"
        "特困供养人员、五保、一般、一般户、一般家庭、普通、非低保、其他）",
        "第4行 身份证号 与第2行重复（同一身份证号）",
    ]
    assert not report.written
    assert not Person.objects.exists()


def test_people_import_updates_a_changed_person_and_keeps_blank_optional_values(
    areas, person_factory
):
    existing = person_factory(community=areas["community_a1"], phone="13900000000")
    row = person_row(1, "新名字", existing.id_number, phone=None, household="低保")

    report = people_import(source=xlsx_bytes([HEADER, row]), filename="x.xlsx")

    assert (report.created, report.updated) == (0, 1)
    existing.refresh_from_db()
    assert (existing.name, existing.phone, existing.household) == ("新名字", "13900000000", "dibao")


def test_import_people_command_exit_codes(areas, tmp_path):
    (a,) = ids(1)
    good, bad = tmp_path / "good.xlsx", tmp_path / "bad.xlsx"
    good.write_bytes(xlsx_bytes([HEADER, person_row(1, "王芳", a)]))
    bad.write_bytes(xlsx_bytes([HEADER, person_row(1, "王芳", "123")]))

    out = io.StringIO()
    call_command("import_people", str(good), "--dry-run", stdout=out)
    assert "预览，尚未写入" in out.getvalue()
    with pytest.raises(CommandError) as failed:
        call_command("import_people", str(bad), stdout=io.StringIO())
    assert failed.value.returncode == 1
    with pytest.raises(CommandError) as unreadable:
        call_command("import_people", str(tmp_path / "none.xlsx"))
    assert unreadable.value.returncode == 2
    assert importer_get("people").run is people_import


def test_people_template_has_the_header_an_example_and_drop_downs(areas):
    data = template_workbook(
        spec=PEOPLE_SPEC,
        title="残疾人名册",
        example=TEMPLATE_EXAMPLE,
        choices={"category": ["视力", "肢体"], "town": ["A镇", "B镇"]},
    )
    sheet = load_workbook(io.BytesIO(data))["名册"]
    header = [c.value for c in sheet[2]]
    assert header[:4] == ["序号", "姓名", "性别", "公民身份号码"]
    assert sheet.cell(row=3, column=4).value == TEMPLATE_EXAMPLE["id_number"]
    formulas = {v.formula1 for v in sheet.data_validations.dataValidation}
    assert formulas == {"'选项'!$A$1:$A$2", "'选项'!$B$1:$B$2"}
    # The template itself imports (its example row is a valid person of its example areas).
    assert people_import(source=data, filename="t.xlsx", dry_run=True).file_error == ""


def test_people_import_reports_each_row_outcome_and_changed_fields(areas, admin_user):
    """The preview's rows: computed from the staged flags the write acts on, before it."""
    from dfed.core.importing.report import RowOutcome

    a, b = ids(2)
    people_import(
        source=xlsx_bytes([HEADER, person_row(1, "王芳", a), person_row(2, "李强", b)]),
        filename="名册.xlsx",
        by=admin_user,
    )
    c = make_id(date(1971, 3, 9), seq=1)
    data = xlsx_bytes(
        [
            HEADER,
            person_row(1, "王芳", a, phone="13900139000", level="一级"),
            person_row(2, "李强", b),
            person_row(3, "张伟", c),
            person_row(4, "赵六", c, town="C镇"),
        ]
    )

    report = people_import(source=data, filename="名册.xlsx", by=admin_user, dry_run=True)

    assert report.outcomes == [
        RowOutcome(2, "updated", "王芳", a, (
            ("level", "残疾等级", "二级", "一级"),
            ("phone", "联系电话", "13800138000", "13900139000"),
        )),
        RowOutcome(3, "unchanged", "李强", b),
        RowOutcome(4, "created", "张伟", c),
    ]  # fmt: skip
    assert [entry[:2] for entry in report.row_entries()] == [
        (2, "updated"),
        (3, "unchanged"),
        (4, "created"),
        (5, "error"),
    ]
    assert Person.objects.get(id_number=a).phone == "13800138000"
