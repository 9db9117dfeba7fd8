"""The staff roster importer on the engine: a clean file, bad rows with the exact report,
all-or-nothing, unchanged re-import, an update with its diff, the command's exit codes, the
template on the upload page."""

import io

import pytest
from django.core.management import CommandError, call_command
from openpyxl import load_workbook

from dfed.core.importing.testing import xlsx_bytes
from dfed.imports.registry import importer_get
from integrity.importing import staff_import
from integrity.models import Department, Staff

HEADER = ["序号", "姓名", "科室", "职务", "手机号", "在职"]


def roster(*rows):
    return xlsx_bytes([["区残联工作人员名册"], HEADER, *rows])


CLEAN = [
    [1, "王芳", "办公室", "科室负责人", "13800138001", "是"],
    [2, "李强", "办公室", "科员", "13800138002", None],
    [3, "张伟", "康复科", "分管领导", "13800138003", "是"],
]


def run(data, **kwargs):
    return staff_import(source=data, filename="人员.xlsx", **kwargs)


def test_clean_roster_creates_staff_and_departments(db):
    Department.objects.create(name="办公室")

    report = run(roster(*CLEAN))

    assert report.lines() == [
        "将新增科室：康复科",
        "共3行：新增3行，更新0行，未变化0行，有误0行。已全部写入。",
    ]
    wang = Staff.objects.get(name="王芳")
    assert (wang.department.name, wang.post, wang.phone, wang.active) == (
        "办公室",
        Staff.Post.HEAD,
        "13800138001",
        True,
    )
    assert Staff.objects.get(name="张伟").department.name == "康复科"
    assert Staff.objects.get(name="李强").post == Staff.Post.STAFF


def test_re_import_is_unchanged_and_an_edit_is_an_update_with_its_diff(db):
    run(roster(*CLEAN))
    assert run(roster(*CLEAN)).summary() == (
        "共3行：新增0行，更新0行，未变化3行，有误0行。已全部写入。"
    )
    edited = [list(r) for r in CLEAN]
    edited[0][3], edited[0][4] = "分管领导", "13900139001"
    edited[1][5] = "否"
    edited[2][4] = None  # a blank cell keeps the stored phone

    report = run(roster(*edited), dry_run=True)

    assert report.summary() == "共3行：新增0行，更新2行，未变化1行，有误0行。预览，尚未写入。"
    assert report.outcomes[0].changes == (
        ("post", "职务", "科室负责人", "分管领导"),
        ("phone", "手机号", "13800138001", "13900139001"),
    )
    assert report.outcomes[1].changes == (("active", "在职", "是", "否"),)
    assert Staff.objects.get(name="王芳").post == Staff.Post.HEAD  # a dry run
    assert run(roster(*edited)).written
    assert Staff.objects.get(name="王芳").phone == "13900139001"
    assert Staff.objects.get(name="张伟").phone == "13800138003"
    assert not Staff.objects.get(name="李强").active


def test_bad_rows_are_all_reported_and_nothing_is_written(db):
    Staff.objects.create(name="赵六")
    Staff.objects.create(name="赵六")
    data = roster(
        [1, "王芳", "办公室", "处长", "0571-88001234", "是"],
        [2, "王芳", "办公室", "科员", "13800138002", "是"],
        [3, "赵六", None, None, None, "也许"],
        [4, "李强", "办公室", "科员", "13800138002", "是"],
    )

    report = run(data)

    assert report.error_lines() == [
        "第3行 职务 职务无法识别：处长（应为党组书记/主要负责人、党组书记、主要负责人、理事长、"
        "书记、主要领导、分管领导、副理事长、副书记、班子成员、科室负责人、科长、主任、科室主任、"
        "工作人员、科员、干部、职员、办事员）",
        "第3行 手机号 应为11位手机号：0571-88001234",
        "第4行 姓名 与第3行重复（同一姓名）",
        "第5行 姓名 系统中有多名同名工作人员，请在系统中逐一修改",
        "第5行 在职 在职无法识别：也许（应为是、在职、否、离职、调离、退休）",
    ]
    assert report.summary().endswith("有错误，未写入任何数据。")
    assert Staff.objects.count() == 2
    assert not Department.objects.exists()


def test_command_exit_codes(db, tmp_path):
    good = tmp_path / "ok.xlsx"
    good.write_bytes(roster(*CLEAN))
    bad = tmp_path / "bad.xlsx"
    bad.write_bytes(roster([1, "王芳", None, "处长", None, None]))
    out = io.StringIO()

    call_command("import_staff", str(good), "--dry-run", stdout=out)
    assert "预览，尚未写入" in out.getvalue()
    assert not Staff.objects.exists()
    with pytest.raises(CommandError) as failed:
        call_command("import_staff", str(bad), stdout=io.StringIO())
    assert failed.value.returncode == 1
    with pytest.raises(CommandError) as unreadable:
        call_command("import_staff", str(tmp_path / "none.xlsx"))
    assert unreadable.value.returncode == 2
    call_command("import_staff", str(good), stdout=io.StringIO())
    assert Staff.objects.count() == 3
    assert importer_get("staff").run is staff_import


def test_upload_page_offers_the_template_with_drop_downs(client, admin_user):
    Department.objects.create(name="办公室")
    client.force_login(admin_user)
    assert "/imports/staff/template.xlsx" in client.get("/imports/staff/").content.decode()

    response = client.get("/imports/staff/template.xlsx")

    book = load_workbook(io.BytesIO(response.content))
    sheet = book["名册"]
    assert [c.value for c in sheet[2]][:6] == HEADER[:5] + ["在职"]
    assert sheet.cell(row=3, column=4).value == "科室负责人"
    assert len(sheet.data_validations.dataValidation) == 3
    # The template itself imports.
    assert run(response.content, dry_run=True).ok
