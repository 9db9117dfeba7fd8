"""Checks for the identifiers the portal stores: used by forms, imports and services alike.

Every check raises ``ValidationError`` with a Chinese message a caseworker understands, and the
``normalize_*`` helpers turn what towns type (full-width digits, spaces, lowercase x) into the
stored form.
"""

import operator
import re
import unicodedata
from dataclasses import dataclass
from datetime import date

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
ID_CHECK_CHARS = "10X98765432"
MOBILE_RE = re.compile(r"^1[3-9]\d{9}$")
LANDLINE_RE = re.compile(r"^0\d{2,3}-?\d{7,8}(-\d{1,6})?$")
BANK_ACCOUNT_RE = re.compile(r"^\d{12,30}$")
AREA_CODE_RE = re.compile(r"^\d{12}$")


def to_halfwidth(value: str) -> str:
    """Full-width digits, letters and punctuation to half-width (NFKC), trimmed."""
    return unicodedata.normalize("NFKC", value or "").strip()


def normalize_id_number(value) -> str:
    """The stored form of an ID number: half-width, no spaces, upper-case X."""
    text = to_halfwidth(str(value or ""))
    return re.sub(r"\s+", "", text).upper()


_ID_WEIGHTS_ASCII_OFFSET = ord("0") * sum(ID_WEIGHTS)


def id_check_char(first17: str) -> str:
    """The GB 11643 check character of the first 17 digits."""
    if len(first17) == 17 and first17.isascii() and first17.isdigit():
        # The usual case (imports call this 100k times): weigh the code points in C.
        total = sum(map(operator.mul, first17.encode(), ID_WEIGHTS)) - _ID_WEIGHTS_ASCII_OFFSET
    else:  # full-width or other Unicode digits; anything else raises ValueError as before
        total = sum(int(d) * w for d, w in zip(first17, ID_WEIGHTS, strict=True))
    return ID_CHECK_CHARS[total % 11]


@dataclass(frozen=True)
class IdInfo:
    number: str
    birth_date: date
    sex: str  # "male" | "female"
    area_code: str


def parse_id_number(value) -> IdInfo:
    """Validate an 18-digit 公民身份号码 (GB 11643) and read birth date and sex from it."""
    number = normalize_id_number(value)
    if not number:
        raise ValidationError(_("身份证号不能为空"), code="required")
    if len(number) == 15 and number.isdigit():
        raise ValidationError(
            _("不支持15位旧身份证号，请填写18位公民身份号码"), code="id_old_format"
        )
    if len(number) != 18:
        raise ValidationError(
            _("身份证号应为18位，实际为%(n)d位") % {"n": len(number)}, code="id_length"
        )
    if not number[:17].isdigit() or not (number[17].isdigit() or number[17] == "X"):
        raise ValidationError(_("身份证号只能由数字组成，最后一位可以是X"), code="id_chars")
    try:
        birth = date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError:
        raise ValidationError(_("身份证号中的出生日期无效"), code="id_birth") from None
    if birth.year < 1880 or birth > timezone.localdate():
        raise ValidationError(_("身份证号中的出生日期无效"), code="id_birth")
    if id_check_char(number[:17]) != number[17]:
        raise ValidationError(_("身份证号校验位错误"), code="id_checksum")
    sex = "male" if int(number[16]) % 2 == 1 else "female"
    return IdInfo(number=number, birth_date=birth, sex=sex, area_code=number[:6])


def validate_id_number(value) -> None:
    parse_id_number(value)


def normalize_certificate_number(value) -> str:
    return normalize_id_number(value)


def validate_certificate(
    certificate: str, *, id_number: str, category: int | None, level: int | None
) -> None:
    """第二代残疾人证号 = the 18-character ID + category digit (1–7) + level digit (1–4)."""
    cert = normalize_certificate_number(certificate)
    if len(cert) != 20:
        raise ValidationError(
            _("残疾人证号应为20位（身份证号+类别+等级），实际为%(n)d位") % {"n": len(cert)},
            code="cert_length",
        )
    if cert[:18] != normalize_id_number(id_number):
        raise ValidationError(_("残疾人证号前18位与身份证号不一致"), code="cert_id")
    if cert[18] not in "1234567" or cert[19] not in "1234":
        raise ValidationError(_("残疾人证号末两位应为类别(1-7)和等级(1-4)"), code="cert_tail")
    if category is not None and int(cert[18]) != int(category):
        raise ValidationError(_("残疾人证号中的类别与残疾类别不一致"), code="cert_category")
    if level is not None and int(cert[19]) != int(level):
        raise ValidationError(_("残疾人证号中的等级与残疾等级不一致"), code="cert_level")


def normalize_phone(value) -> str:
    return re.sub(r"[\s()（）]", "", to_halfwidth(str(value or "")))


def validate_mobile(value) -> None:
    """An 11-digit mainland mobile number (1[3-9]…)."""
    if not MOBILE_RE.match(normalize_phone(value)):
        raise ValidationError(_("手机号应为11位大陆手机号码"), code="mobile")


def validate_phone(value) -> None:
    """A mobile, or a landline with its area code (0571-88001234)."""
    phone = normalize_phone(value)
    if not (MOBILE_RE.match(phone) or LANDLINE_RE.match(phone)):
        raise ValidationError(_("联系电话应为11位手机号或带区号的固定电话"), code="phone")


def normalize_bank_account(value) -> str:
    return re.sub(r"[\s-]", "", to_halfwidth(str(value or "")))


def validate_bank_account(value) -> None:
    """Digits only, 12 to 30 long; no Luhn check (many rural passbooks fail it)."""
    if not BANK_ACCOUNT_RE.match(normalize_bank_account(value)):
        raise ValidationError(_("银行账号应为12至30位数字"), code="bank_account")


def validate_area_code(value) -> None:
    if not AREA_CODE_RE.match(str(value or "")):
        raise ValidationError(_("行政区划代码应为12位数字"), code="area_code")
