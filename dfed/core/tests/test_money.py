from decimal import Decimal

from django.template import Context, Template
from django.utils import translation
from openpyxl import Workbook

from dfed.core.money import MONEY_XLSX_FORMAT, money_format
from dfed.core.xlsx import value_cell


def test_money_format_rounds_to_the_fen_with_thousands_separators_and_yuan():
    assert money_format(Decimal("10407.4500000000")) == "10,407.45 元"
    assert money_format(Decimal("82400")) == "82,400.00 元"
    assert money_format(Decimal("0.005")) == "0.01 元"
    assert money_format(Decimal("-1234.5"), unit=False) == "-1,234.50"
    assert money_format(None) == ""
    assert money_format("未设") == "未设"


def test_money_filter_renders_amounts_and_drops_the_unit_on_request():
    template = Template('{% load portal %}{{ a|money }}|{{ a|money:"" }}|{{ b|money }}')
    with translation.override("zh-hans"):
        assert template.render(Context({"a": Decimal("1234567.891"), "b": None})) == (
            "1,234,567.89 元|1,234,567.89|"
        )
    with translation.override("en"):
        assert template.render(Context({"a": 5})) == "5.00 yuan|5.00|"


def test_xlsx_amounts_keep_the_number_and_show_two_decimals_and_yuan():
    sheet = Workbook(write_only=True).create_sheet()
    cell = value_cell(sheet, Decimal("82400.00"))
    assert cell.value == Decimal("82400.00")
    assert cell.number_format == MONEY_XLSX_FORMAT == '#,##0.00" 元"'
