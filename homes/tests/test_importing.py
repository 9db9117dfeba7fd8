"""The 残疾人之家 member roster importer on the engine: a clean file, bad rows with the exact
report, all-or-nothing, unchanged re-import, an update with its diff, the command's exit codes,
the template on the upload page."""

import io
from datetime import date

import pytest
from django.core.management import CommandError, call_command
from openpyxl import load_workbook

from dfed.core.importing.testing import xlsx_bytes
from dfed.imports.registry import importer_get
from dfed.people.models import Person
from dfed.people.tests.factories import make_id
from homes.importing import home_members_import
from homes.models import Membership

HEADER = [
    "序号",
    "残疾人之家",
    "镇（街道）",
    "姓名",
    "身份证号",
    "加入日期",
    "退出日期",
    "退出原因",
]


@pytest.fixture
def people(person_factory, areas):
    return [person_factory(name=name) for name in ("王芳", "李强", "张伟")]


def roster(*rows):
    return xlsx_bytes([["残疾人之家成员名册"], HEADER, *rows])


def line(seq, home, person, joined="2025-03-01", *, town="A镇", name=None, left=None, reason=None):
    number = person.id_number if isinstance(person, Person) else person
    shown = name if name is not None else (person.name if isinstance(person, Person) else "某人")
    return [seq, home.name, town, shown, number, joined, left, reason]


def run(data, **kwargs):
    return home_members_import(source=data, filename="成员.xlsx", **kwargs)


def test_clean_roster_creates_memberships_with_history(home_a, people, admin_user):
    data = roster(*(line(i, home_a, p) for i, p in enumerate(people, 1)))

    report = run(data, by=admin_user)

    assert report.lines() == ["共3行：新增3行，更新0行，未变化0行，有误0行。已全部写入。"]
    assert Membership.objects.filter(home=home_a, left_on__isnull=True).count() == 3
    record = Membership.objects.get(person=people[0]).history.get()
    assert record.history_user == admin_user
    assert record.history_change_reason == "导入残疾人之家成员名册：成员.xlsx"


def test_re_import_is_unchanged_and_an_edit_is_an_update_with_its_diff(home_a, people, admin_user):
    run(roster(*(line(i, home_a, p) for i, p in enumerate(people, 1))), by=admin_user)

    again = run(roster(*(line(i, home_a, p) for i, p in enumerate(people, 1))), by=admin_user)
    assert again.summary() == "共3行：新增0行，更新0行，未变化3行，有误0行。已全部写入。"
    edited = roster(
        line(1, home_a, people[0], left="2025-06-30", reason="搬迁"),
        line(2, home_a, people[1], joined="2025-02-01"),
        line(3, home_a, people[2]),
    )
    report = run(edited, by=admin_user, dry_run=True)

    assert report.summary() == "共3行：新增0行，更新2行，未变化1行，有误0行。预览，尚未写入。"
    assert report.outcomes[0].changes == (
        ("left_on", "退出日期", "", "2025-06-30"),
        ("leave_reason", "退出原因", "", "搬迁"),
    )
    assert report.outcomes[1].changes == (("joined_on", "加入日期", "2025-03-01", "2025-02-01"),)
    assert Membership.objects.get(person=people[0]).left_on is None  # a dry run

    assert run(edited, by=admin_user).written
    left = Membership.objects.get(person=people[0])
    assert (left.left_on, left.leave_reason) == (date(2025, 6, 30), "搬迁")
    assert left.history.count() == 2


def test_bad_rows_are_all_reported_and_nothing_is_written(home_a, home_b, people, areas):
    Membership.objects.create(home=home_b, person=people[2], joined_on=date(2024, 1, 1))
    unknown = make_id(date(1960, 1, 1), seq=900)
    data = roster(
        line(1, home_a, people[0]),
        line(2, home_a, people[1], name="李四"),
        line(3, home_a, people[2]),
        line(4, home_a, unknown),
        [5, "不存在之家", "A镇", "王芳", people[0].id_number, "2025-03-01", None, None],
        line(6, home_a, people[1], joined="2025-13-01", town="A镇"),
        line(7, home_a, people[0], joined="2025-05-01", left="2025-04-01"),
    )

    report = run(data)

    assert report.error_lines() == [
        "第4行 姓名 与登记的姓名不一致（登记为李强）",
        "第5行 残疾人之家 已是“B镇阳光家园”的成员（2024-01-01 加入），"
        "一人只能加入一个残疾人之家，请先办理退出",
        "第6行 身份证号 该身份证号未登记，请先导入残疾人名册",
        "第7行 残疾人之家 残疾人之家不存在：A镇 不存在之家",
        "第7行 身份证号 与第3行重复（同一身份证号）",
        "第8行 身份证号 与第4行重复（同一身份证号）",
        "第8行 加入日期 日期无效：2025-13-01（请填写如 2025-03-01，或将该列设为日期格式）",
        "第9行 身份证号 与第3行重复（同一身份证号）",
        "第9行 退出日期 退出日期不能早于加入日期",
    ]
    assert report.summary().endswith("有错误，未写入任何数据。")
    assert Membership.objects.count() == 1


def test_one_bad_row_keeps_the_good_ones_out_too(home_a, people):
    data = roster(line(1, home_a, people[0]), line(2, home_a, people[1], joined="2099-01-01"))

    report = run(data)

    assert report.error_lines() == ["第4行 加入日期 加入日期不能晚于今天"]
    assert report.created == 1
    assert not Membership.objects.exists()


def test_command_exit_codes(home_a, people, tmp_path):
    good = tmp_path / "ok.xlsx"
    good.write_bytes(roster(line(1, home_a, people[0])))
    bad = tmp_path / "bad.xlsx"
    bad.write_bytes(roster(line(1, home_a, "330199197003090011")))
    out = io.StringIO()

    call_command("import_home_members", str(good), "--dry-run", stdout=out)
    assert "预览，尚未写入" in out.getvalue()
    with pytest.raises(CommandError) as failed:
        call_command("import_home_members", str(bad), stdout=io.StringIO())
    assert failed.value.returncode == 1
    with pytest.raises(CommandError) as unreadable:
        call_command("import_home_members", str(tmp_path / "none.xlsx"))
    assert unreadable.value.returncode == 2
    call_command("import_home_members", str(good), stdout=io.StringIO())
    assert Membership.objects.filter(person=people[0]).exists()
    assert importer_get("home_members").run is home_members_import


def test_upload_page_offers_the_template_with_drop_downs(client, admin_user, home_a, home_b):
    client.force_login(admin_user)
    assert (
        "/imports/home_members/template.xlsx"
        in client.get("/imports/home_members/").content.decode()
    )

    response = client.get("/imports/home_members/template.xlsx")

    book = load_workbook(io.BytesIO(response.content))
    sheet = book["名册"]
    assert [c.value for c in sheet[2]][:6] == [
        "序号",
        "残疾人之家",
        "镇（街道）",
        "姓名",
        "公民身份号码",
        "加入日期",
    ]
    assert sheet.cell(row=3, column=2).value == "东湖残疾人之家"
    assert len(sheet.data_validations.dataValidation) == 2
    assert sorted(c.value for c in book["选项"]["A"] if c.value) == ["A镇阳光家园", "B镇阳光家园"]
