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

# Characters that cannot be seen but break comparisons: zero-width space, non-joiner and
# joiner, left-to-right and right-to-left marks, word joiner and invisible operators, byte-order
# mark, soft hyphen, Mongolian vowel separator; and C0 controls other than tab and newlines.
_INVISIBLE_RE = re.compile(
    "[\u200b-\u200f\u2060-\u2064\ufeff\u00ad\u180e\x01-\x08\x0b\x0c\x0e-\x1f\x7f]"
)
# Spaces that look like a space: no-break, ideographic, and the typographic ones.
_ODD_SPACE_RE = re.compile("[\u00a0\u2000-\u200a\u202f\u205f\u3000]")


def clean_cell(value: str) -> str:
    """A text cell as a person meant it: invisible characters removed, odd spaces made plain,
    and the wrappers other programs add to keep digits as text taken off: a leading ``'``,
    ``="…"`` and a leading tab. Raises ``ValidationError`` for a NUL byte (a damaged file)."""
    if "\x00" in value:
        raise ValidationError(
            _("含有空字符（NUL），文件可能已损坏：请在 Excel 中重新录入该单元格"), code="nul"
        )
    if not value.isascii() or not value.isprintable():
        value = _ODD_SPACE_RE.sub(" ", _INVISIBLE_RE.sub("", value))
    value = value.strip()
    if value[:2] == '="' and value[-1:] == '"' and len(value) >= 3:
        value = value[2:-1].strip()
    elif value[:1] == "'":
        value = value[1:].strip()
    return value


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
    try:
        return parse_id_number(value)
    except ValidationError as exc:
        if exc.code == "id_checksum" and looks_zeroed(value):
            raise ValidationError(
                _("身份证号校验位错误：末三位是000，可能被Excel当作数字截断，请核对原始证件"),
                code="id_checksum",
            ) from None
        raise


def looks_zeroed(value) -> bool:
    """The last three digits are 0: what Excel leaves of an 18-digit number (15 significant)."""
    return isinstance(value, str) and value.rstrip().endswith("000")


# Separators typed between the parts of a minority name; stored as U+00B7 (GB/T 28039).
_NAME_DOTS_RE = re.compile("\\s*[•・.．･‧∙⋅·]\\s*")
# Characters left where an encoding lost one: ?, full-width ？, □, U+FFFD, private use.
_LOST_RE = re.compile("[?？□\ufffd\ue000-\uf8ff\U000f0000-\U0010ffff]")


def person_name(value) -> str:
    """A person's name: dots between the parts of a minority name become U+00B7 (阿依古丽·买买提);
    a character lost to an encoding (``?``, □, U+FFFD, private use) is an error, never stored."""
    name = _NAME_DOTS_RE.sub("·", text(value)).strip("·")
    lost = _LOST_RE.search(name)
    if lost:
        raise ValidationError(
            _(
                "含有无法识别的字符“%(c)s”，可能是生僻字在保存时丢失（常见于另存为 GBK 编码的"
                " CSV）：请对照原始材料更正，或改用 xlsx、UTF-8 CSV 文件"
            )
            % {"c": lost.group()},
            code="lost_character",
        )
    return name


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
    """2025-01, 2025.1, 2025年1月, 202501 or an Excel date → the first of the month.

    A month Excel holds as a number is read only where the number says one month: 202501 and
    2025.12 do; 2025.1 does not (Excel shows 2025.10 as 2025.1 too), a bare year 2025 is not a
    month, and any other number is refused rather than guessed."""
    if isinstance(value, datetime | date):
        return month_parse(value)
    if isinstance(value, int | float) and not isinstance(value, bool):
        return _month_number(value)
    key = compact(value)
    if key.isdigit() and len(key) == 4:
        _bare_year(key)
    return _month_text(key)


def _bare_year(key: str) -> None:
    raise ValidationError(
        _("只有年份（%(v)s），没有月份：请填写年月，例如 %(v)s-01") % {"v": key}, code="month"
    )


def _month_number(value) -> date:
    if float(value).is_integer():
        number = int(value)
        if 190001 <= number <= 220012:
            return _month_text(str(number))
        if 1900 <= number <= 2200:
            _bare_year(str(number))
    else:
        shown = repr(float(value))
        year, _dot, fraction = shown.partition(".")
        if year.isdigit() and 1900 <= int(year) <= 2200:
            if len(fraction) == 2 and 1 <= int(fraction) <= 12:
                return date(int(year), int(fraction), 1)
            if fraction == "1":
                raise ValidationError(
                    _(
                        "年月被Excel存成了数字%(v)s，无法确定是%(y)s年1月还是10月："
                        "请将该列设为文本，填写如 %(y)s-10"
                    )
                    % {"v": shown, "y": year},
                    code="month",
                )
            if len(fraction) == 1:
                return date(int(year), int(fraction), 1)
    raise ValidationError(
        _("年月无效：%(v)s（单元格是数字，请将该列设为文本，填写如 2025-01）") % {"v": text(value)},
        code="month",
    )


_DAY_RE = re.compile(r"^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?$")


def day(value) -> date:
    """2025-03-01, 2025/3/1, 2025.3.1, 2025年3月1日, 20250301 or an Excel date → a date.

    A date Excel holds as a plain number other than 8 digits (a serial like 45717) is refused
    rather than guessed: its cell lost the date format."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    key = compact(value)
    if isinstance(value, int | float) and not isinstance(value, bool):
        key = str(int(value)) if float(value).is_integer() else key
    found = _DAY_RE.match(key)
    parts = found.groups() if found else None
    if parts is None and key.isdigit() and len(key) == 8:
        parts = (key[:4], key[4:6], key[6:])
    if parts is not None:
        try:
            return date(int(parts[0]), int(parts[1]), int(parts[2]))
        except ValueError:
            pass
    raise ValidationError(
        _("日期无效：%(v)s（请填写如 2025-03-01，或将该列设为日期格式）")
        % {"v": key or _("（空）")},
        code="date",
    )


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
