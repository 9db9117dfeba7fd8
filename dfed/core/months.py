"""Months are stored as the first day of the month (a ``DateField``)."""

import re
from datetime import date, datetime

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from .validators import to_halfwidth

_MONTH_PATTERNS = (
    re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*(?:月)?(?:[-/.]\d{1,2}日?)?$"),
    re.compile(r"^(\d{4})(\d{2})$"),
)


def month_start(value: date) -> date:
    return value.replace(day=1)


def month_add(value: date, months: int) -> date:
    index = value.year * 12 + value.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


def months_between(start: date, end: date) -> list[date]:
    """Every month from start to end, both included."""
    out, current = [], month_start(start)
    while current <= end:
        out.append(current)
        current = month_add(current, 1)
    return out


def month_parse(value) -> date:
    """2025-01, 2025.1, 2025年1月, 202501, 2025/01 or a date → the first of that month."""
    if isinstance(value, datetime):
        return value.date().replace(day=1)
    if isinstance(value, date):
        return value.replace(day=1)
    text = to_halfwidth(str(value or ""))
    if text.endswith(".0") and text[:-2].isdigit():
        text = text[:-2]
    for pattern in _MONTH_PATTERNS:
        match = pattern.match(text)
        if match:
            year, month = int(match.group(1)), int(match.group(2))
            if 1900 <= year <= 2200 and 1 <= month <= 12:
                return date(year, month, 1)
            break
    raise ValidationError(_("年月无效：%(v)s（应为2025-01、2025年1月或202501）") % {"v": text})


def month_label(value: date | None) -> str:
    """``2026年12月`` in Chinese, ``December 2026`` in English (Django's YEAR_MONTH_FORMAT)."""
    from django.utils import formats

    return formats.date_format(value, "YEAR_MONTH_FORMAT") if value else ""
