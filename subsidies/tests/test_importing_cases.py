"""The real-world roster cases (``cases/``, copied from the shared case folder with its README):
each file through ``manage.py import_recipients`` with its exact report, and what a real import
stores. Each file stands for a kind of trouble; the normaliser tests cover the rest of each kind."""

import io
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from openpyxl import load_workbook

from dfed.people.models import Person
from subsidies.models import Entitlement

CASES = Path(__file__).parent / "cases"
PAID = "2026-10"
CLEAN3 = ["共3行：新增3行，更新0行，未变化0行，有误0行。预览，尚未写入。", "已发放至：2026年10月"]


@pytest.fixture
def case_areas(db):
    call_command("import_areas", str(CASES / "areas.csv"), stdout=io.StringIO())


def run(name: str, *, dry_run: bool = True) -> list[str]:
    """The command's output lines; a CommandError is returned as its last line and code."""
    out = io.StringIO()
    args = [str(CASES / name), "--paid-through", PAID]
    if dry_run:
        args.append("--dry-run")
    try:
        call_command("import_recipients", *args, stdout=out)
    except CommandError as exc:
        return [*out.getvalue().splitlines(), f"exit {exc.returncode}: {exc}"]
    return out.getvalue().splitlines()


def people() -> dict[str, Person]:
    return {p.id_number: p for p in Person.objects.all()}


def test_case_id_invisible_is_clean_and_stored_without_invisible_characters(case_areas):
    assert run("id_invisible.xlsx") == [
        "共5行：新增5行，更新0行，未变化0行，有误0行。预览，尚未写入。",
        "已发放至：2026年10月",
    ]
    run("id_invisible.xlsx", dry_run=False)
    stored = people()
    assert sorted(stored) == [f"3301991960010100{n}" for n in ("18", "26", "34", "42", "50")]
    assert stored["330199196001010042"].name == "刘洋"


def test_case_id_wrappers_are_taken_off(case_areas):
    assert run("id_wrappers.csv") == CLEAN3
    run("id_wrappers.csv", dry_run=False)
    stored = people()
    assert sorted(stored) == ["330199196001010018", "330199196001010026", "330199196001010034"]
    assert stored["330199196001010018"].certificate_number == "33019919600101001841"
    assert stored["330199196001010034"].bank_account == "6231000000000000123"


def test_case_id_variants_first_three_clean_last_two_rejected(case_areas):
    assert run("id_variants.csv") == [
        "第5行 公民身份号码 身份证号被存成了科学计数法（3.30199E+17），末几位已丢失，请重新录入",
        "第6行 公民身份号码 不支持15位旧身份证号，请填写18位公民身份号码",
        "共5行：新增3行，更新0行，未变化0行，有误2行。有错误，未写入任何数据。",
        "已发放至：2026年10月",
        "exit 1: 有 2 行错误，未写入任何数据。",
    ]
    assert not Person.objects.exists()


def test_case_gb18030_keeps_rare_characters(case_areas):
    assert run("gb18030_ok.csv") == CLEAN3
    run("gb18030_ok.csv", dry_run=False)
    assert sorted(p.name for p in Person.objects.all()) == sorted(["王𠈌", "龚䶮", "李强"])


def test_case_header_two_level_reads_category_and_level(case_areas):
    assert run("header_two_level.xlsx") == CLEAN3
    run("header_two_level.xlsx", dry_run=False)
    assert {(p.category, p.level) for p in Person.objects.all()} == {(4, 1)}


def test_case_header_variants_fill_certificate_phone_bank_and_account(case_areas):
    assert run("header_unknown_columns.xlsx") == CLEAN3
    run("header_unknown_columns.xlsx", dry_run=False)
    person = people()["330199196001010018"]
    assert person.certificate_number == "33019919600101001841"
    assert person.phone == "13800000000"
    assert person.bank_name == "示范农商银行"
    assert person.bank_account == "6231000000000000123"


@pytest.mark.parametrize("name", ["spreadsheetml_2003.xls", "html_table.xls"])
def test_case_xls_that_is_not_excel_exits_2_saying_what_to_do(case_areas, name):
    kind = "“XML 电子表格 2003”格式" if "2003" in name else "网页（HTML）表格"
    assert run(name) == [
        f"exit 2: 这个文件是{kind}，只是扩展名为.xls"
        + ("（常见于其他系统导出）" if "html" in name else "")
        + "，无法直接导入：请在 Excel 中打开它，另存为“Excel 工作簿（*.xlsx）”后再导入"
    ]


def test_case_formula_cached_reads_the_cached_values(case_areas):
    assert run("formula_cached.xlsx") == CLEAN3


def test_case_formula_nocache_names_the_cells_and_what_to_do(case_areas):
    message = "是公式，但文件中没有保存计算结果：请在 Excel 中打开该文件并保存，再重新导入"
    assert run("formula_nocache.xlsx") == [
        f"第4行 公民身份号码 单元格D4{message}",
        f"第5行 公民身份号码 单元格D5{message}",
        f"第6行 公民身份号码 单元格D6{message}",
        "共3行：新增0行，更新0行，未变化0行，有误3行。有错误，未写入任何数据。",
        "已发放至：2026年10月",
        "exit 1: 有 3 行错误，未写入任何数据。",
    ]


def test_case_name_dots_one_name_per_person_and_one_person_with_two_subsidies(case_areas):
    assert run("name_dots.xlsx") == [
        "共4行：新增4行，更新0行，未变化0行，有误0行。预览，尚未写入。",
        "已发放至：2026年10月",
    ]
    run("name_dots.xlsx", dry_run=False)
    stored = people()
    assert {p.name for p in stored.values()} == {
        "阿依古丽·买买提",
        "买买提艾力·阿不都热合曼",
        "古丽娜尔·吐尔逊",
    }
    aiguli = stored["330199196001010026"]
    assert Entitlement.objects.filter(person=aiguli).count() == 2


def test_case_names_long_flags_the_lost_character_and_the_limit_and_cuts_nothing(case_areas):
    gbk = (
        "含有无法识别的字符“?”，可能是生僻字在保存时丢失（常见于另存为 GBK 编码的 CSV）："
        "请对照原始材料更正，或改用 xlsx、UTF-8 CSV 文件"
    )
    assert run("names_long.xlsx") == [
        f"第5行 姓名 {gbk}",
        "第6行 姓名 超过50个字符的上限（共51个字符），系统不会截断，请核对",
        "共3行：新增1行，更新0行，未变化0行，有误2行。有错误，未写入任何数据。",
        "已发放至：2026年10月",
        "exit 1: 有 2 行错误，未写入任何数据。",
    ]
    assert not Person.objects.exists()


def test_case_names_long_stores_a_name_beyond_the_bmp_intact(case_areas, tmp_path):
    workbook = load_workbook(CASES / "names_long.xlsx")
    workbook.active.delete_rows(5, 2)  # keep the first person only
    path = tmp_path / "first.xlsx"
    workbook.save(path)
    out = io.StringIO()
    call_command("import_recipients", str(path), "--paid-through", PAID, stdout=out)
    assert Person.objects.get().name == "王𠈌"


def test_case_dim_bomb_refused_before_the_read(case_areas, monkeypatch):
    import python_calamine

    def never(*args, **kwargs):
        raise AssertionError("the reader must not be started")

    monkeypatch.setattr(python_calamine.CalamineWorkbook, "from_filelike", never)
    assert run("dim_bomb.xlsx") == [
        "exit 2: 工作表实际使用的范围为 1048576 行 × 16384 列，超过导入上限"
        "（200000 行、200 列、共 5000000 个单元格），未读取："
        "请删除表格下方和右侧多余的行列（或把数据复制到新工作簿）后另存为 .xlsx 再导入"
    ]


def test_case_nul_is_a_row_error_naming_row_and_column(case_areas):
    nul = "姓名 含有空字符（NUL），文件可能已损坏：请在 Excel 中重新录入该单元格"
    community = "村（社区） “东升社区”不是东湖街道下的村（社区）"
    duplicate = "身份证号 与第2行重复（同一身份证号、同一补贴类型）"
    assert run("nul.csv") == [
        f"第2行 {nul}",
        f"第2行 {community}",
        f"第3行 {nul}",
        f"第3行 {duplicate}",
        f"第3行 {community}",
        f"第4行 {nul}",
        f"第4行 {duplicate}",
        f"第4行 {community}",
        "共3行：新增0行，更新0行，未变化0行，有误3行。有错误，未写入任何数据。",
        "已发放至：2026年10月",
        "exit 1: 有 3 行错误，未写入任何数据。",
    ]
    assert not Person.objects.exists()


# --- each kind, beyond the one case file -------------------------------------------------------


def kind_import(rows, **kwargs):
    from datetime import date

    from dfed.core.importing.testing import xlsx_bytes
    from subsidies.importing import recipient_import

    return recipient_import(
        source=xlsx_bytes(rows), filename="kind.xlsx", paid_through=date(2025, 6, 1), **kwargs
    )


def test_rows_that_are_not_data_are_skipped_and_listed(areas):
    from .test_importing import HEADER, id_for, row

    rows = [
        HEADER,
        row(1, "王芳", id_for(1)),
        [None] * 18,
        row(2, "李强", id_for(2)),
        ["A镇1社区小计", None, None, None, None, None, None, None, None, None, None, None],
        ["单位负责人：张三    制表人：李四    填表日期：2025年6月"],
        ["注：1. 本表一式两份。"],
        ["2. 账号须为本人一类卡。"],
        row(3, "张伟", id_for(3)),
        ["合计", None, None, None, None, None, None, None, None, None, None, None, None, None, 900],
        ["审核人：王五"],
        row(9, "赵六", "不是身份证号"),
    ]
    report = kind_import(rows, dry_run=True)
    assert report.lines() == [
        "第3行 已跳过：空行",
        "第5行 已跳过：小计行",
        "第6行 已跳过：签字行",
        "第7行 已跳过：注释行",
        "第8行 已跳过：表尾",
        "第10行 已跳过：合计行",
        "第11行 已跳过：合计行之后",
        "第12行 已跳过：合计行之后",
        "共3行：新增3行，更新0行，未变化0行，有误0行，跳过8行（不是数据）。预览，尚未写入。",
    ]


def test_unrecognised_columns_are_warnings_naming_them(areas):
    from .test_importing import HEADER, id_for, row

    header = [*HEADER, "户籍地址", None]
    rows = [header, [*row(1, "王芳", id_for(1)), "A镇1号", "多余的数据"]]
    report = kind_import(rows)
    assert report.ok
    assert report.warnings == [
        "第1行 户籍地址 无法识别的列名，该列未导入（如需导入请改用模板中的列名）",
        "第1行 第T列 没有列名但有数据，该列未导入",
    ]


def test_invisible_characters_in_headers_and_any_cell_are_removed(areas):
    from .test_importing import HEADER, id_for, row

    header = [f"\u200b{h}\ufeff" if h else h for h in HEADER]
    cells = row(1, "王\u2060芳", id_for(1), town="A\u00a0镇", household="低保\u200d")
    report = kind_import([header, cells], dry_run=False)
    assert report.ok, report.lines()
    person = Person.objects.get()
    assert (person.name, person.community.parent.name) == ("王芳", "A镇")


def test_an_id_whose_tail_looks_zeroed_by_excel_is_flagged(areas):
    from dfed.core.validators import id_check_char

    from .test_importing import HEADER, row

    zeroed = next(
        f"33010219700309{d}000"
        for d in "0123456789"
        if id_check_char(f"33010219700309{d}00") != "0"
    )
    report = kind_import([HEADER, row(1, "王芳", zeroed)])
    assert report.error_lines()[0] == (
        "第2行 公民身份号码 身份证号校验位错误："
        "末三位是000，可能被Excel当作数字截断，请核对原始证件"
    )
    valid = next(
        f"33010219700309{d}000"
        for d in "0123456789"
        if id_check_char(f"33010219700309{d}00") == "0"
    )
    assert kind_import([HEADER, row(1, "王芳", valid)]).warnings == [
        "第2行 公民身份号码 "
        "身份证号末三位是000，可能被Excel当作数字截断了末几位，请对照原始证件核对"
    ]


def test_every_error_of_a_row_is_reported_in_one_pass(areas):
    from .test_importing import HEADER, id_for, row

    bad_check = id_for(2)[:17] + ("0" if id_for(2)[17] != "0" else "1")
    report = kind_import([HEADER, row(1, "王芳", bad_check, household="一般", start=2025)])
    assert report.error_lines() == [
        "第2行 公民身份号码 身份证号校验位错误",
        "第2行 补贴类型 不符合条件：生活补贴须为低保家庭（当前：一般）",
        "第2行 发放起始年月 只有年份（2025），没有月份：请填写年月，例如 2025-01",
    ]
