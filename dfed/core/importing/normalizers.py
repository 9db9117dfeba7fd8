"""Cell parsers for imports: each takes a raw cell (str, int, float, date or None) and returns
the stored value or raises ``ValidationError`` with the reason in Chinese. Parsers of small
vocabularies are memoised, so a 100k-row roster costs one parse per distinct value."""

import re
from datetime import date, datetime, timedelta
from decimal import Decimal, InvalidOperation
from functools import lru_cache

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from dfed.core.months import month_parse
from dfed.core.validators import (
    MOBILE_RE,
    IdInfo,
    id_check_char,
    normalize_bank_account,
    normalize_phone,
    parse_id_number,
    to_halfwidth,
    validate_bank_account,
    validate_phone,
)

EXCEL_EPOCH = date(1899, 12, 30)
_SCIENTIFIC_RE = re.compile(r"^\d+(\.\d+)?[eE]\+?\d+$")
_SPACES_RE = re.compile(r"\s+")


def is_blank(value) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def text(value) -> str:
    """Half-width, trimmed text; a whole number typed into a cell loses its ``.0``."""
    if type(value) is str:
        return value.strip() if value.isascii() else to_halfwidth(value)
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, datetime | date):
        return value.isoformat()
    value = str(value)
    if value.isascii():
        return value.strip()
    return to_halfwidth(value)


@lru_cache(maxsize=4096)
def _compact_text(value: str) -> str:
    return _SPACES_RE.sub("", text(value))


def compact(value) -> str:
    """Text with every space removed (for names of towns, categories and such)."""
    if type(value) is str:
        return _compact_text(value)
    return _SPACES_RE.sub("", text(value))


def _numeric_identifier(value, what: str) -> None:
    """A long identifier Excel stored as a number has lost its last digits: never guess them."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        raise ValidationError(
            _("%(what)s被Excel存成了数字，末几位已丢失，请将该列设为文本后重新录入")
            % {"what": what},
            code="numeric",
        )
    if isinstance(value, str) and _SCIENTIFIC_RE.match(value.strip()):
        raise ValidationError(
            _("%(what)s被存成了科学计数法（%(v)s），末几位已丢失，请重新录入")
            % {"what": what, "v": value.strip()},
            code="numeric",
        )


# Birth dates from this day on take the exact path (it compares with today's date).
_RECENT = date.today() - timedelta(days=2)


@lru_cache(maxsize=65536)
def _plausible_birth(digits: str) -> date | None:
    """YYYYMMDD → the date when it is a valid birth date well before today, else None."""
    try:
        birth = date(int(digits[:4]), int(digits[4:6]), int(digits[6:]))
    except ValueError:
        return None
    return birth if birth.year >= 1880 and birth < _RECENT else None


def id_number(value) -> IdInfo:
    """An 18-digit ID: full-width digits, spaces and a lowercase x are tolerated."""
    if type(value) is str and len(value) == 18 and value.isascii():
        # The usual cell, already in the stored form: the same checks as parse_id_number
        # without normalising; anything unusual (and every error) takes the exact path.
        head, last = value[:17], value[17]
        if head.isdigit() and (last.isdigit() or last == "X"):
            birth = _plausible_birth(value[6:14])
            if birth is not None and id_check_char(head) == last:
                sex = "male" if value[16] in "13579" else "female"
                return IdInfo(number=value, birth_date=birth, sex=sex, area_code=value[:6])
    if type(value) is not str or "E" in value or "e" in value:
        _numeric_identifier(value, _("身份证号"))
    return parse_id_number(value)


def certificate_number(value) -> str:
    if type(value) is not str or "E" in value or "e" in value:
        _numeric_identifier(value, _("残疾人证号"))
    if value.isascii() and value.isalnum():
        return value.upper()
    return _SPACES_RE.sub("", text(value)).upper()


def phone(value) -> str:
    """Blank, an 11-digit mobile, or a landline with its area code."""
    if type(value) is str and MOBILE_RE.fullmatch(value):  # already in the stored form
        return value
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    number = normalize_phone(value)
    if number:
        validate_phone(number)
    return number


def bank_account(value) -> str:
    """Digits only, 12–30 long (no Luhn check); a number cell above 15 digits lost digits."""
    if type(value) is str and value.isdigit() and value.isascii() and 12 <= len(value) <= 30:
        return value  # already in the stored form
    if isinstance(value, float) and (not value.is_integer() or value >= 1e15):
        _numeric_identifier(value, _("银行账号"))
    if isinstance(value, float):
        value = int(value)
    number = normalize_bank_account(value)
    if number:
        validate_bank_account(number)
    return number


CATEGORY_NAMES = {1: "视力", 2: "听力", 3: "言语", 4: "肢体", 5: "智力", 6: "精神", 7: "多重"}
_CATEGORIES = {
    **{name: code for code, name in CATEGORY_NAMES.items()},
    **{name + "残疾": code for code, name in CATEGORY_NAMES.items()},
    **{str(code): code for code in CATEGORY_NAMES},
    "语言": 3,
    "语言残疾": 3,
}


@lru_cache(maxsize=256)
def _category(key: str) -> int:
    if key in _CATEGORIES:
        return _CATEGORIES[key]
    raise ValidationError(
        _("残疾类别无法识别：%(v)s（应为视力、听力、言语、肢体、智力、精神、多重或代码1-7）")
        % {"v": key or _("（空）")},
        code="category",
    )


def category(value) -> int:
    """肢体 / 肢体残疾 / 4 → 4."""
    return _category(compact(value))


_LEVEL_DIGITS = {"1": 1, "2": 2, "3": 3, "4": 4, "一": 1, "二": 2, "三": 3, "四": 4}
_LEVEL_DIGITS.update({"壹": 1, "贰": 2, "叁": 3, "肆": 4, "I": 1, "II": 2, "III": 3, "IV": 4})


@lru_cache(maxsize=256)
def _level(key: str) -> int:
    core = key.removesuffix("级") if len(key) > 1 else key
    if core in _LEVEL_DIGITS:
        return _LEVEL_DIGITS[core]
    raise ValidationError(
        _("残疾等级无法识别：%(v)s（应为一级至四级）") % {"v": key or _("（空）")},
        code="level",
    )


def level(value) -> int:
    """一级 / 1级 / 1 / 壹级 → 1."""
    return _level(compact(value).upper())


@lru_cache(maxsize=1024)
def _month_text(key: str) -> date:
    return month_parse(key)


def month(value) -> date:
    """2025-01, 2025.1, 2025年1月, 202501, an Excel date or a date serial → first of the month."""
    if isinstance(value, datetime | date):
        return month_parse(value)
    if isinstance(value, int | float) and not isinstance(value, bool):
        if float(value).is_integer():
            number = int(value)
            if 190001 <= number <= 220012:
                return _month_text(str(number))
            if 1 <= number <= 99999:  # an Excel date serial (days since 1899-12-30)
                return (EXCEL_EPOCH + timedelta(days=number)).replace(day=1)
        return _month_text(repr(value))
    return _month_text(compact(value))


def amount(value) -> Decimal:
    """A sum in yuan: 1,200.5 / 1200元 / ￥1200 → Decimal('1200.50')."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        raw = repr(value)
    else:
        raw = compact(value).removesuffix("元").lstrip("¥￥").replace(",", "")
    try:
        number = Decimal(raw)
    except InvalidOperation:
        raise ValidationError(
            _("金额无效：%(v)s") % {"v": text(value) or _("（空）")}, code="amount"
        ) from None
    if not number.is_finite() or number < 0:
        raise ValidationError(_("金额无效：%(v)s") % {"v": text(value)}, code="amount")
    return number.quantize(Decimal("0.01"))


def choice(mapping: dict[str, object], *, label: str):
    """A parser for a small vocabulary: ``mapping`` from accepted spellings to stored values."""
    accepted = "、".join(dict.fromkeys(k for k in mapping if not k.isdigit()))

    @lru_cache(maxsize=256)
    def parse_key(key: str):
        if key in mapping:
            return mapping[key]
        raise ValidationError(
            _("%(label)s无法识别：%(v)s（应为%(ok)s）")
            % {"label": label, "v": key or _("（空）"), "ok": accepted},
            code="choice",
        )

    def parse(value):
        return parse_key(compact(value))

    return parse
