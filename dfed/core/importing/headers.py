"""How a sheet's header and its rows that are not data are recognised: the comparable form of a
header, the texts that mark totals, subtotals, signature lines and notes, and column letters."""

from django.core.exceptions import ValidationError

from .normalizers import clean_cell, compact, text


def header_key(value) -> str:
    """The comparable form of a header: half-width, no spaces, no * or ： marks, nothing
    invisible."""
    if type(value) is str:
        try:
            value = clean_cell(value)
        except ValidationError:
            return ""
    return compact(value).replace("*", "").replace(":", "").rstrip("：")


def header_text(value) -> str:
    """A header as a person reads it (for messages)."""
    return " ".join(header_key_source(value).split())


def header_key_source(value) -> str:
    if type(value) is str:
        try:
            return clean_cell(value)
        except ValidationError:
            return ""
    return text(value)


# Rows that are not data. The first text of a row decides: a grand total (合计/总计) ends the
# table; a subtotal (…小计, 东湖社区合计) is one row; a signature line or a note starts the
# table's foot, whose rows without the key column are skipped too.
TOTAL_MARKERS = ("合计", "总计")
SUBTOTAL_MARKERS = ("小计",)
SIGNATURE_MARKERS = (
    "单位负责人",
    "负责人",
    "制表人",
    "制表",
    "填表人",
    "填报人",
    "审核人",
    "审核",
    "复核人",
    "经办人",
    "分管领导",
    "主要领导",
    "填表日期",
    "填报日期",
    "制表日期",
    "单位（盖章）",
    "单位(盖章)",
    "盖章",
)
NOTE_MARKERS = ("注：", "注:", "备注：", "备注:", "说明：", "说明:", "附注")


def column_letter(index: int) -> str:
    """0 → A, 25 → Z, 26 → AA."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters
