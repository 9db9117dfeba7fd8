"""The generic import machinery: normalisers, readers, header detection, specs, staging."""

from datetime import date, datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from dfed.core.importing import Column, ImportFileError, ImportReport, ImportSpec, RowError
from dfed.core.importing import normalizers as n
from dfed.core.importing.readers import read_rows
from dfed.core.importing.staging import fetch_all, staging_copy, staging_create, staging_drop
from dfed.core.importing.testing import csv_bytes, xls_bytes, xlsx_bytes
from dfed.core.validators import id_check_char, parse_id_number
from dfed.people.tests.factories import make_id

ID = make_id(date(1980, 5, 17), seq=7)


# --- normalisers -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "raw",
    [
        ID,
        f" {ID[:6]} {ID[6:14]} {ID[14:]} ",
        ID.translate(str.maketrans("0123456789", "０１２３４５６７８９")),
    ],
)
def test_id_number_accepts_spaces_and_fullwidth_digits(raw):
    assert n.id_number(raw).number == ID


def test_id_number_lowercase_x_is_uppercased():
    number = next(m for m in (make_id(seq=s) for s in range(400)) if m.endswith("X"))
    assert n.id_number(number.lower()).number == number


@pytest.mark.parametrize("raw", [330199198005170011, 3.30199198005170e17, "3.30199E+17"])
def test_id_number_stored_as_a_number_is_never_guessed(raw):
    with pytest.raises(ValidationError, match="末几位已丢失"):
        n.id_number(raw)


def test_id_number_wrong_check_digit():
    wrong = ID[:17] + ("1" if ID[17] != "1" else "2")
    with pytest.raises(ValidationError, match="校验位错误"):
        n.id_number(wrong)


def _with_check(first17: str) -> str:
    return first17 + id_check_char(first17)


@pytest.mark.parametrize(
    "raw",
    [
        ID,
        _with_check("11010519491231002"),  # check character X
        _with_check("33019919800230001"),  # 30 February
        _with_check("33019918700101001"),  # born before 1880
        _with_check(f"330199{timezone.localdate():%Y%m%d}001"),  # born today
        _with_check("33019929990101001"),  # born in the future
        ID[:17] + ("1" if ID[17] != "1" else "2"),  # wrong check character
        ID[:16] + "A" + ID[17],
    ],
)
def test_id_number_fast_path_gives_the_same_result_as_parse_id_number(raw):
    def outcome(parse):
        try:
            return parse(raw)
        except ValidationError as exc:
            return exc.messages

    assert outcome(n.id_number) == outcome(parse_id_number)


def test_id_check_char_ascii_fullwidth_and_wrong_input():
    assert id_check_char("11010519491231002") == "X"
    assert id_check_char("１１０１０５１９４９１２３１００２") == "X"
    for bad in ("1101051949123100", "1101051949123100a", "110105194912310021"):
        with pytest.raises(ValueError, match="."):
            id_check_char(bad)


@pytest.mark.parametrize(
    ("raw", "code"), [("肢体", 4), ("肢体残疾", 4), ("4", 4), (4.0, 4), (" 精神 ", 6), ("７", 7)]
)
def test_category_names_and_codes(raw, code):
    assert n.category(raw) == code


@pytest.mark.parametrize(
    ("raw", "level"),
    [
        ("一级", 1),
        ("1级", 1),
        ("1", 1),
        (1.0, 1),
        ("壹级", 1),
        ("二级", 2),
        ("叁级", 3),
        ("４级", 4),
    ],
)
def test_level_spellings(raw, level):
    assert n.level(raw) == level


@pytest.mark.parametrize("raw", ["五级", "0", "重度"])
def test_unknown_level(raw):
    with pytest.raises(ValidationError, match="残疾等级无法识别"):
        n.level(raw)


@pytest.mark.parametrize(
    "raw",
    [
        "2025-01",
        "2025.1",
        2025.01,
        "2025年1月",
        "202501",
        202501,
        202501.0,
        "２０２５年１月",
        date(2025, 1, 20),
        datetime(2025, 1, 31, 8, 0),
    ],
)
def test_month_formats(raw):
    assert n.month(raw) == date(2025, 1, 1)


@pytest.mark.parametrize(
    ("raw", "month"),
    [(2025.12, date(2025, 12, 1)), (2025.3, date(2025, 3, 1)), (202510, date(2025, 10, 1))],
)
def test_month_held_as_a_number_is_read_where_it_says_one_month(raw, month):
    assert n.month(raw) == month


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        (2025.1, "无法确定是2025年1月还是10月"),  # Excel shows 2025.10 as 2025.1 too
        (2025, "只有年份（2025），没有月份"),
        ("2025", "只有年份（2025），没有月份"),
        (45672, "单元格是数字"),  # a bare number is never guessed to be a date serial
    ],
)
def test_month_held_as_an_ambiguous_number_is_an_error(raw, message):
    with pytest.raises(ValidationError, match=message):
        n.month(raw)


@pytest.mark.parametrize("raw", ["2025-13", "2025年0月", "下个月", "20251"])
def test_impossible_month(raw):
    with pytest.raises(ValidationError, match="年月无效"):
        n.month(raw)


@pytest.mark.parametrize(
    ("raw", "value"),
    [("1,200.5", "1200.50"), ("800元", "800.00"), ("￥950", "950.00"), (1000, "1000.00")],
)
def test_amounts(raw, value):
    assert n.amount(raw) == Decimal(value)


def test_phone_and_bank_account():
    assert n.phone(13800138000.0) == "13800138000"
    assert n.phone("0571-88001234") == "0571-88001234"
    with pytest.raises(ValidationError):
        n.phone("12345678901")
    assert n.bank_account("6228 4800 1234 5678 901") == "6228480012345678901"
    assert n.bank_account(622848001234) == "622848001234"
    with pytest.raises(ValidationError, match="末几位已丢失"):
        n.bank_account(6.22848001234567e18)
    with pytest.raises(ValidationError, match="12至30位"):
        n.bank_account("12345")


def test_choice_lists_what_it_accepts():
    parse = n.choice({"男": "male", "女": "female"}, label="性别")
    assert parse(" 女 ") == "female"
    with pytest.raises(ValidationError, match="性别无法识别：未知（应为男、女）"):
        parse("未知")


# --- readers -----------------------------------------------------------------------------------

ROWS = [["花名册"], [], ["姓名", "身份证号"], ["张三", ID], ["李四", 12.5]]


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gb18030"])
def test_csv_encodings(encoding):
    rows = read_rows(csv_bytes(ROWS, encoding=encoding), name="x.csv")
    assert rows[0] == ["花名册"]
    assert rows[3] == ["张三", ID]


def test_xlsx_keeps_row_numbers_and_fills_merged_cells():
    rows = read_rows(xlsx_bytes(ROWS, merged=[(1, 1, 1, 2), (4, 1, 5, 1)]), name="x.xlsx")
    assert rows[0] == ["花名册", "花名册"]
    assert rows[1] == ["", ""]
    assert rows[4][0] == "张三"  # a vertical merge carries its value down


def test_xls_is_read():
    rows = read_rows(xls_bytes(ROWS), name="x.xls")
    assert rows[2:] == [["姓名", "身份证号"], ["张三", ID], ["李四", 12.5]]


def test_unreadable_files():
    with pytest.raises(ImportFileError, match="只能导入"):
        read_rows(b"", name="x.docx")
    with pytest.raises(ImportFileError, match="文件无法打开"):
        read_rows(b"PK\x03\x04 broken", name="x.xlsx")


# --- specs -------------------------------------------------------------------------------------

SPEC = ImportSpec(
    columns=[
        Column("name", ("姓名",), required=True, blank_ok=False),
        Column("id", ("公民身份号码", "身份证号"), n.id_number, required=True),
        Column("level", ("残疾等级",), n.level),
        Column("town", ("镇（街道）", "乡镇（街道）"), n.compact),
    ]
)


def test_header_found_below_title_rows_by_its_names_and_variants():
    rows = [
        ["标题"],
        ["副标题"],
        [None, "单位"],
        ["身份证号", "姓名", "乡镇(街道)"],
        [ID, "张三", "A 镇"],
    ]
    table = SPEC.parse(rows)
    assert table.header_row == 4
    assert table.headers == {"id": "身份证号", "name": "姓名", "town": "乡镇(街道)"}
    assert [(r.row, r.values["name"], r.values["town"]) for r in table.records] == [
        (5, "张三", "A镇")
    ]
    assert table.records[0].values["level"] is None


def test_header_more_than_three_title_rows_down_is_not_searched():
    rows = [["a"], ["b"], ["c"], ["d"], ["姓名", "身份证号"]]
    with pytest.raises(ImportFileError, match="找不到表头"):
        SPEC.parse(rows)


def test_missing_and_duplicate_columns_are_file_errors():
    with pytest.raises(ImportFileError, match="第1行 表头缺少必需的列：公民身份号码"):
        SPEC.parse([["姓名", "残疾等级"], ["张三", "一级"]])
    with pytest.raises(ImportFileError, match="重复"):
        SPEC.parse([["姓名", "身份证号", "公民身份号码"]])


def test_blank_rows_skipped_total_row_dropped_errors_sorted():
    rows = [
        ["姓名", "身份证号", "残疾等级"],
        ["", "bad", "九级"],
        [None, None, None],
        ["张三", ID, "一级"],
        ["合计", None, None],
    ]
    table = SPEC.parse(rows)
    assert [r.row for r in table.records] == [2, 4]
    assert [str(e) for e in sorted(table.errors)] == [
        "第2行 姓名 不能为空",
        "第2行 身份证号 身份证号应为18位，实际为3位",
        "第2行 残疾等级 残疾等级无法识别：九级（应为一级至四级）",
    ]


def test_repeated_cells_are_parsed_once_and_a_bad_one_is_reported_on_every_row():
    calls = []

    def level(value):
        calls.append(value)
        return n.level(value)

    spec = ImportSpec(
        columns=[
            Column("id", ("身份证号",), n.id_number, required=True),
            Column("level", ("残疾等级",), level),
        ]
    )
    rows = [["身份证号", "残疾等级"], *[[ID, "一级"]] * 3, *[[ID, "九级"]] * 2, [ID, " "]]
    table = spec.parse(rows)
    assert [r.values["level"] for r in table.records] == [1, 1, 1, None, None, None]
    assert calls == ["一级", "九级", "九级"]
    assert [str(e) for e in sorted(table.errors)] == [
        "第5行 残疾等级 残疾等级无法识别：九级（应为一级至四级）",
        "第6行 残疾等级 残疾等级无法识别：九级（应为一级至四级）",
    ]


def test_report_lines_errors_by_row_then_warnings_then_summary():
    report = ImportReport(rows=12, created=9)
    report.errors = [RowError(11, 0, "姓名", "不能为空"), RowError(3, 2, "残疾等级", "无法识别")]
    report.warnings = ["月标准（元）与补贴标准不一致：第4行……"]
    lines = report.lines()
    assert lines[:3] == ["第3行 残疾等级 无法识别", "第11行 姓名 不能为空", report.warnings[0]]
    assert lines[3].startswith("共12行：新增9行，更新0行，未变化0行，有误2行。有错误")
    assert ImportReport.from_dict(report.to_dict()).error_lines() == lines[:2]


# --- staging -----------------------------------------------------------------------------------


def test_staging_copy_round_trip(db):
    staging_create("t_stage", [("row_no", "integer"), ("name", "text"), ("month", "date")])
    staging_copy(
        "t_stage", ["row_no", "name", "month"], [(2, "张三", date(2025, 1, 1)), (3, None, None)]
    )
    assert fetch_all("SELECT row_no, name, month FROM t_stage ORDER BY row_no") == [
        (2, "张三", date(2025, 1, 1)),
        (3, None, None),
    ]
    staging_drop("t_stage")


def test_report_row_entries_give_one_entry_per_row_in_row_order():
    from dfed.core.importing.report import ImportReport, RowError, RowOutcome

    report = ImportReport(
        errors=[RowError(5, 3, "身份证号", "校验位错误"), RowError(5, 1, "姓名", "为空"),
                RowError(7, 1, "姓名", "太长")],
        skipped=[(8, "合计"), (7, "空行")],
        outcomes=[RowOutcome(4, "updated", "王芳", "3301", (("phone", "联系电话", "1", "2"),)),
                  RowOutcome(5, "error", "李强", "3302")],
    )  # fmt: skip

    assert report.row_entries() == [
        (4, "updated", "王芳", "3301", [], (("phone", "联系电话", "1", "2"),)),
        (5, "error", "李强", "3302", ["姓名 为空", "身份证号 校验位错误"], ()),
        (7, "error", "", "", ["姓名 太长"], ()),
        (8, "skipped", "", "", ["合计"], ()),
    ]
    assert "outcomes" not in report.to_dict()
