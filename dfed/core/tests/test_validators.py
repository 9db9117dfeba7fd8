from datetime import date

import pytest
from django.core.exceptions import ValidationError

from dfed.core.masking import mask_bank_account, mask_id_number, mask_phone
from dfed.core.months import month_add, month_parse
from dfed.core.validators import (
    id_check_char,
    parse_id_number,
    validate_bank_account,
    validate_certificate,
    validate_mobile,
    validate_phone,
)
from dfed.core.xlsx import safe_text

VALID_ID = "11010519491231002X"  # the GB 11643 standard's own example


def test_parse_id_number_reads_birth_and_sex():
    info = parse_id_number(VALID_ID)
    assert info.birth_date == date(1949, 12, 31)
    assert info.sex == "female"


def test_parse_id_number_accepts_lowercase_x_and_fullwidth_digits():
    assert parse_id_number("11010519491231002x").number == VALID_ID
    assert parse_id_number("１１０１０５１９４９１２３１００２Ｘ").number == VALID_ID
    assert parse_id_number(" 110105 19491231 002X ").number == VALID_ID


def test_parse_id_number_rejects_wrong_check_digit():
    with pytest.raises(ValidationError, match="校验位错误"):
        parse_id_number("110105194912310021")


def test_parse_id_number_rejects_old_15_digit_ids():
    with pytest.raises(ValidationError, match="不支持15位旧身份证号"):
        parse_id_number("110105491231002")


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("", "不能为空"),
        ("1101051949", "应为18位"),
        ("11010519491331002X", "出生日期无效"),
        ("1101051949123100AX", "只能由数字组成"),
    ],
)
def test_parse_id_number_errors_are_chinese(value, message):
    with pytest.raises(ValidationError, match=message):
        parse_id_number(value)


def test_id_check_char_matches_standard_example():
    assert id_check_char(VALID_ID[:17]) == "X"


def test_certificate_must_agree_with_id_category_and_level():
    validate_certificate(VALID_ID + "42", id_number=VALID_ID, category=4, level=2)
    with pytest.raises(ValidationError, match="前18位与身份证号不一致"):
        validate_certificate("110105194912310038" + "42", id_number=VALID_ID, category=4, level=2)
    with pytest.raises(ValidationError, match="类别"):
        validate_certificate(VALID_ID + "42", id_number=VALID_ID, category=5, level=2)
    with pytest.raises(ValidationError, match="等级"):
        validate_certificate(VALID_ID + "42", id_number=VALID_ID, category=4, level=1)
    with pytest.raises(ValidationError, match="应为20位"):
        validate_certificate(VALID_ID + "4", id_number=VALID_ID, category=4, level=2)
    with pytest.raises(ValidationError, match="末两位"):
        validate_certificate(VALID_ID + "85", id_number=VALID_ID, category=None, level=None)


def test_phone_checks():
    validate_mobile("13812345678")
    validate_phone("0571-88001234")
    with pytest.raises(ValidationError, match="11位"):
        validate_mobile("12812345678")
    with pytest.raises(ValidationError, match="固定电话"):
        validate_phone("12345")


def test_bank_account_digits_12_to_30_without_luhn():
    validate_bank_account("622848001234567890")
    validate_bank_account("6228 4800 1234 5678")
    with pytest.raises(ValidationError, match="12至30位数字"):
        validate_bank_account("62284800")
    with pytest.raises(ValidationError):
        validate_bank_account("6228A8001234567890")


def test_masking():
    assert mask_id_number("330199198005170013") == "330199********0013"
    assert mask_phone("13812345678") == "138****5678"
    assert mask_bank_account("622848001234567890") == "6228**********7890"
    assert mask_id_number("") == ""


def test_months():
    assert month_parse("2025-01") == date(2025, 1, 1)
    assert month_parse("2025.1") == date(2025, 1, 1)
    assert month_parse("2025年1月") == date(2025, 1, 1)
    assert month_parse("202501") == date(2025, 1, 1)
    assert month_parse(date(2025, 3, 9)) == date(2025, 3, 1)
    assert month_add(date(2025, 12, 1), 1) == date(2026, 1, 1)
    with pytest.raises(ValidationError, match="年月无效"):
        month_parse("2025-13")


@pytest.mark.parametrize("value", ["=SUM(A1)", "+1", "-2", "@x"])
def test_formula_characters_are_neutralised(value):
    assert safe_text(value) == "'" + value
