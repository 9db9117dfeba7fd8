"""The recipient roster importer: messy files, exact error lines, all-or-nothing, counts,
re-import unchanged, history, CSV encodings, .xls."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from dfed.core.importing import normalizers
from dfed.core.importing.testing import csv_bytes, xls_bytes, xlsx_bytes
from dfed.core.validators import id_check_char
from dfed.people.models import Person
from dfed.people.tests.factories import make_id
from subsidies.importing import default_paid_through, recipient_import
from subsidies.models import Entitlement, SubsidyRate

HEADER = [
    "序号",
    "姓名",
    "性别",
    "公民身份号码",
    "残疾人证号",
    "残疾类别",
    "残疾等级",
    "民族",
    "镇（街道）",
    "村（社区）",
    "联系电话",
    "家庭类型",
    "补贴类型",
    "发放起始年月",
    "月标准（元）",
    "开户银行",
    "银行卡号",
    "备注",
]
TITLE = ["示范区困难残疾人生活补贴和重度残疾人护理补贴发放花名册"]
SUBTITLE = ["填报单位：示范区残联", None, None, None, None, None, None, None, "2025年1月"]


def code(parse, value, fallback: int) -> int:
    try:
        return parse(value)
    except ValidationError:
        return fallback


def id_for(seq: int, *, female: bool = False, birth: date = date(1970, 3, 9)) -> str:
    return make_id(birth, female=female, seq=seq)


def id_ending_x() -> str:
    return next(n for n in (id_for(s) for s in range(1, 400)) if n.endswith("X"))


def row(
    seq,
    name,
    id_number,
    *,
    sex=None,
    cert=None,
    category="肢体",
    level="二级",
    town="A镇",
    community="A镇1社区",
    phone="13800138000",
    household="低保",
    type="生活补贴",  # noqa: A002
    start="2025-01",
    amount=None,
    bank="农商银行",
    account="622848001234567890",
    note="",
):
    id_text = str(id_number)
    if sex is None and len(id_text) == 18 and id_text[16].isdigit():
        sex = "男" if int(id_text[16]) % 2 else "女"
    if cert is None and len(id_text) == 18:
        cert = f"{id_text.upper()}{code(normalizers.category, category, 4)}"
        cert += str(code(normalizers.level, level, 2))
    return [
        seq,
        name,
        sex,
        id_number,
        cert,
        category,
        level,
        "汉族",
        town,
        community,
        phone,
        household,
        type,
        start,
        amount,
        bank,
        account,
        note,
    ]


def fullwidth(text: str) -> str:
    return "".join(chr(ord(c) + 0xFEE0) if c.isascii() and c.isalnum() else c for c in text)


def import_bytes(data: bytes, name: str = "roster.xlsx", **kwargs):
    kwargs.setdefault("paid_through", date(2025, 6, 1))
    return recipient_import(source=data, filename=name, **kwargs)


# --- the messy file ----------------------------------------------------------------------------


def messy_workbook() -> bytes:
    good = id_for(1)
    bad_check = id_for(2)[:17] + ("0" if id_for(2)[17] != "0" else "1")
    rows = [
        TITLE,
        SUBTITLE,
        HEADER,
        # 4: full-width ID with spaces, living subsidy; town merged over rows 4-5
        row(1, "张三", " " + fullwidth(good[:6]) + " " + fullwidth(good[6:]), household="低保"),
        # 5: the same person, care subsidy: two entitlements, no error
        row(2, "张三", good, type="重度残疾人护理补贴", town=None, amount="1,000元"),
        [],  # 6: blank row, skipped
        row(3, "李四", bad_check),  # 7
        row(4, "王五", 330199197003090011),  # 8: stored by Excel as a number
        row(5, "赵六", id_for(5), cert=id_for(6) + "42"),  # 9
        row(6, "钱七", id_for(7), cert=id_for(7) + "12"),  # 10
        row(7, "孙八", id_for(8), category="肢残", cert=""),  # 11
        row(8, "周九", id_for(9), level="五级", cert=""),  # 12
        row(9, "", id_for(10)),  # 13
        row(10, "吴十", id_for(11), sex="女"),  # 14
        row(11, "郑一", id_for(12), town="C镇"),  # 15
        row(12, "冯二", id_for(13), community="B镇1社区"),  # 16
        row(13, "陈三", id_for(14), type="高龄津贴"),  # 17
        row(14, "褚四", id_for(15), start="2025-13"),  # 18
        row(15, "卫五", id_for(16), phone="12345"),  # 19
        row(16, "蒋六", id_for(17), type="护理补贴", level="三级"),  # 20
        row(17, "张三", good),  # 21: same ID, same type as row 4
        row(18, "沈七", id_for(18), account="6228-ABC"),  # 22
        row(19, "韩八", id_for(19), cert=id_for(19) + "43"),  # 23
        ["合计", *[None] * 13, 2000],
    ]
    return xlsx_bytes(rows, merged=[(1, 1, 1, 18), (4, 9, 5, 9)])


MESSY_ERRORS = [
    "第7行 公民身份号码 身份证号校验位错误",
    "第8行 公民身份号码 身份证号被Excel存成了数字，末几位已丢失，请将该列设为文本后重新录入",
    "第9行 残疾人证号 残疾人证号前18位与身份证号不一致",
    "第10行 残疾人证号 残疾人证号中的类别与残疾类别不一致",
    "第11行 残疾类别 残疾类别无法识别：肢残"
    "（应为视力、听力、言语、肢体、智力、精神、多重或代码1-7）",
    "第12行 残疾等级 残疾等级无法识别：五级（应为一级至四级）",
    "第13行 姓名 不能为空",
    "第14行 性别 性别与身份证号不符（身份证号为男性）",
    "第15行 镇（街道） 镇（街道）不存在：C镇",
    "第16行 村（社区） “B镇1社区”不是A镇下的村（社区）",
    "第17行 补贴类型 补贴类型无法识别：高龄津贴（应为生活补贴、困难残疾人生活补贴、残疾人生活补贴、"
    "困难生活补贴、护理补贴、重度残疾人护理补贴、残疾人护理补贴、重度护理补贴）",
    "第18行 发放起始年月 年月无效：2025-13（应为2025-01、2025年1月或202501）",
    "第19行 联系电话 联系电话应为11位手机号或带区号的固定电话",
    "第20行 补贴类型 不符合条件：护理补贴须为一级或二级残疾（当前：三级）",
    "第21行 公民身份号码 与第4行重复（同一身份证号、同一补贴类型）",
    "第22行 银行卡号 银行账号应为12至30位数字",
    "第23行 残疾人证号 残疾人证号中的等级与残疾等级不一致",
]


def test_messy_workbook_reports_every_error_line_and_writes_nothing(areas):
    report = import_bytes(messy_workbook())

    assert report.error_lines() == MESSY_ERRORS
    assert report.rejected == len(MESSY_ERRORS)
    assert (report.created, report.updated, report.unchanged) == (2, 0, 0)
    assert report.rows == 19  # title and header rows, the blank row and 合计 are not rows
    assert not report.written
    assert Person.objects.count() == 0
    assert Entitlement.objects.count() == 0
    lines = report.lines()
    assert lines[-1].startswith(
        "共19行：新增2行，更新0行，未变化0行，有误17行，跳过2行（不是数据）。有错误"
    )


def test_messy_workbook_as_xls_gives_the_same_lines(areas):
    from openpyxl import load_workbook

    sheet = load_workbook(__import__("io").BytesIO(messy_workbook())).active
    rows = [[c.value for c in r] for r in sheet.iter_rows()]
    report = import_bytes(xls_bytes(rows, merged=[(1, 1, 1, 18), (4, 9, 5, 9)]), name="roster.xls")

    assert report.error_lines() == MESSY_ERRORS
    assert Person.objects.count() == 0


# --- clean files -------------------------------------------------------------------------------


def clean_rows():
    return [
        TITLE,
        HEADER,
        row(1, "张三", id_for(21), type="生活补贴"),
        row(2, "张三", id_for(21), type="护理补贴", amount="1000元"),
        row(3, "李芳", id_ending_x().lower(), category="4", level="1", household="低保户"),
        row(
            4,
            "王强",
            id_for(23),
            category="精神残疾",
            level="壹级",
            type="重度残疾人护理补贴",
            household="一般",
            town="B镇",
            community="B镇2社区",
            start="2024年7月",
            phone="0571-88001234",
        ),
    ]


def test_clean_import_creates_people_and_entitlements(areas, admin_user):
    report = import_bytes(xlsx_bytes(clean_rows()), by=admin_user, paid_through=date(2025, 6, 1))

    assert report.error_lines() == []
    assert (report.created, report.updated, report.unchanged, report.rejected) == (4, 0, 0, 0)
    assert report.written
    assert Person.objects.count() == 3
    zhang = Person.objects.get(id_number=id_for(21))
    assert (zhang.name, zhang.sex, zhang.town, zhang.community.name) == (
        "张三",
        "male",
        areas["town_a"],
        "A镇1社区",
    )
    assert zhang.certificate_number == id_for(21) + "42"
    li = Person.objects.get(name="李芳")
    assert (li.id_number[-1], li.level, li.household) == ("X", 1, "dibao")
    wang = Person.objects.get(name="王强")
    assert (wang.town, wang.category, wang.phone) == (areas["town_b"], 6, "0571-88001234")

    ents = Entitlement.objects.order_by("person__name", "type")
    assert [(e.person.name, e.type, e.tier, e.start_month, e.state) for e in ents] == [
        ("张三", "care", "level2", date(2025, 1, 1), "active"),
        ("张三", "living", "none", date(2025, 1, 1), "active"),
        ("李芳", "living", "none", date(2025, 1, 1), "active"),
        ("王强", "care", "level1", date(2024, 7, 1), "active"),
    ]
    assert {e.paid_through for e in ents} == {date(2025, 6, 1)}
    assert {e.created_by for e in ents} == {admin_user}
    assert ents[0].confirmed_level == 2
    history = zhang.history.get()
    assert history.history_type == "+"
    assert history.history_change_reason == "导入补贴名册：roster.xlsx"
    assert history.history_user == admin_user
    assert ents[0].history.get().history_change_reason == "导入补贴名册：roster.xlsx"


def test_reimport_reports_every_row_unchanged_and_changes_nothing(areas, admin_user):
    data = xlsx_bytes(clean_rows())
    import_bytes(data, by=admin_user)
    before = list(Entitlement.objects.values_list("pk", "updated_at"))

    report = import_bytes(data, by=admin_user)

    assert report.error_lines() == []
    assert (report.created, report.updated, report.unchanged) == (0, 0, 4)
    assert list(Entitlement.objects.values_list("pk", "updated_at")) == before
    assert Person.history.count() == 3
    assert Entitlement.history.count() == 4


def test_import_updates_an_existing_person_and_notes_it(areas, admin_user, person_factory):
    person = person_factory(
        id_number=id_for(31), name="旧名", phone="13900139000", household="dibao"
    )
    rows = [HEADER, row(1, "新名", id_for(31)), row(2, "赵敏", id_for(32))]

    report = import_bytes(xlsx_bytes(rows), by=admin_user)

    assert (report.created, report.updated, report.unchanged) == (2, 0, 0)
    person.refresh_from_db()
    assert (person.name, person.phone) == ("新名", "13800138000")
    latest = person.history.first()
    assert (latest.history_type, latest.history_change_reason) == ("~", "导入补贴名册：roster.xlsx")
    assert latest.name == "新名"

    rows[1] = row(1, "新名", id_for(31), phone="13700137000")
    report = import_bytes(xlsx_bytes(rows), by=admin_user)
    assert (report.created, report.updated, report.unchanged) == (0, 1, 1)


def test_existing_identical_entitlement_is_unchanged_not_already_receiving(
    areas, admin_user, person_factory
):
    person = person_factory(id_number=id_for(41), name="刘洋", certificate_number="")
    Entitlement.objects.create(
        person=person,
        type="living",
        tier="none",
        start_month=date(2025, 1, 1),
        paid_through=date(2025, 9, 1),
    )
    rows = [HEADER, row(1, "刘洋", id_for(41), cert="")]

    report = import_bytes(xlsx_bytes(rows), by=admin_user, paid_through=date(2025, 6, 1))

    assert report.error_lines() == []
    assert (report.created, report.updated, report.unchanged) == (0, 0, 1)
    assert Entitlement.objects.get().paid_through == date(2025, 9, 1)  # never moves back


def test_suspended_entitlement_and_deceased_person_are_row_errors(
    areas, admin_user, person_factory
):
    person_factory(
        id_number=id_for(51), name="故人", status="deceased", status_date=date(2025, 3, 1)
    )
    paused = person_factory(id_number=id_for(52), name="暂停")
    Entitlement.objects.create(
        person=paused, type="living", start_month=date(2024, 1, 1), state="suspended"
    )
    rows = [HEADER, row(1, "故人", id_for(51)), row(2, "暂停", id_for(52))]

    report = import_bytes(xlsx_bytes(rows), by=admin_user)

    assert report.error_lines() == [
        "第2行 公民身份号码 本人已死亡，不在册",
        "第3行 补贴类型 该人员的生活补贴已暂停发放，请先在补贴模块恢复或终止后再导入",
    ]
    assert Entitlement.objects.count() == 1


def test_two_rows_of_one_person_must_agree(areas):
    rows = [HEADER, row(1, "张三", id_for(61)), row(2, "张四", id_for(61), type="护理补贴")]

    report = import_bytes(xlsx_bytes(rows))

    assert report.error_lines() == ["第3行 姓名 与第2行（同一身份证号）不一致"]


def test_amount_differing_from_the_rate_is_a_warning_after_the_errors(areas):
    SubsidyRate.objects.create(
        type="living", tier="none", monthly_amount=Decimal("800"), effective_from=date(2025, 1, 1)
    )
    rows = [HEADER, row(1, "张三", id_for(71), amount="750元"), row(2, "", id_for(72))]

    report = import_bytes(xlsx_bytes(rows), paid_through=date(2025, 6, 1))

    assert report.lines()[:2] == [
        "第3行 姓名 不能为空",
        "月标准（元）与补贴标准不一致：第2行填写750.00元，2025年7月生活补贴标准为800.00元（以标准为准）",
    ]
    assert not report.lines()[1].startswith("第")


def test_dry_run_counts_without_writing(areas):
    report = import_bytes(xlsx_bytes(clean_rows()), dry_run=True)

    assert (report.ok, report.created, report.written) == (True, 4, False)
    assert Person.objects.count() == 0


def test_default_paid_through_is_the_month_before():
    assert default_paid_through(date(2025, 3, 15)) == date(2025, 2, 1)
    assert default_paid_through(date(2025, 1, 2)) == date(2024, 12, 1)


# --- formats -----------------------------------------------------------------------------------


@pytest.mark.parametrize("encoding", ["gb18030", "utf-8-sig", "utf-8"])
def test_csv_in_gb18030_and_utf8_with_bom(areas, encoding):
    rows = [TITLE, HEADER, row(1, "张三", id_for(81)), row(2, "李四", id_for(82), level="1级")]

    report = import_bytes(csv_bytes(rows, encoding=encoding), name="roster.csv")

    assert report.error_lines() == []
    assert report.created == 2
    assert set(Person.objects.values_list("name", flat=True)) == {"张三", "李四"}


def test_csv_with_an_id_in_scientific_notation_is_rejected(areas):
    rows = [HEADER, row(1, "张三", "3.30199E+17")]

    report = import_bytes(csv_bytes(rows, encoding="gb18030"), name="roster.csv")

    assert report.error_lines() == [
        "第2行 公民身份号码 身份证号被存成了科学计数法（3.30199E+17），末几位已丢失，请重新录入"
    ]


def test_clean_xls_imports(areas):
    report = import_bytes(xls_bytes(clean_rows()), name="roster.xls")

    assert report.error_lines() == []
    assert report.created == 4
    assert Entitlement.objects.count() == 4


def test_unreadable_file_and_missing_columns_are_file_errors(areas):
    assert import_bytes(b"not a workbook", name="x.xlsx").file_error.startswith(
        "文件内容是文本，不是 Excel 文件"
    )
    assert import_bytes(b"", name="x.pdf").file_error == "只能导入 xlsx、xls 或 csv 文件"
    report = import_bytes(xlsx_bytes([["姓名", "公民身份号码", "备注"], ["张三", id_for(1)]]))
    assert report.file_error.startswith("第1行 表头缺少必需的列：残疾类别、残疾等级、镇（街道）")


def test_id_check_char_helper_matches():  # guards the fixture's bad-check-digit row
    number = id_for(2)
    assert id_check_char(number[:17]) == number[17]
