"""下载错误标注文件: the uploaded workbook returned with an added 错误说明 column (every error of
the row, in one cell) and each bad cell filled red, so an admin fixes the file in Excel and
uploads it again. An .xlsx keeps its own formatting; a .csv or .xls comes back as an .xlsx of
the same rows, with any control character a worksheet cannot hold (NUL, ...) shown as U+FFFD."""

import io

from openpyxl import Workbook, load_workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.comments import Comment
from openpyxl.styles import Font, PatternFill

from .readers import file_extension, open_rows
from .report import ImportReport

RED = PatternFill(fill_type="solid", start_color="FFFFC7CE", end_color="FFFFC7CE")
HEADER = "错误说明"
SHOWN = "\ufffd"  # a control character (NUL...) a worksheet cannot hold, shown as �


def _cell(value):
    """``value`` as a worksheet can hold it: ``None`` → ``""``, control characters → ``SHOWN``."""
    if value is None:
        return ""
    if isinstance(value, str):
        return ILLEGAL_CHARACTERS_RE.sub(SHOWN, value)
    return value


def error_workbook(*, source, filename: str, report: ImportReport) -> bytes:
    """The annotated workbook (xlsx bytes) for ``report``'s errors on the file ``source``."""
    if file_extension(filename) in (".xlsx", ".xlsm"):
        workbook = load_workbook(source if not isinstance(source, bytes) else io.BytesIO(source))
        sheet = workbook.worksheets[0]
    else:
        workbook = Workbook()
        sheet = workbook.active
        for row in open_rows(source, name=filename):
            sheet.append([_cell(v) for v in row])
    header_row = int(report.extra.get("header_row") or 1)
    column = sheet.max_column + 1
    sheet.cell(row=header_row, column=column, value=HEADER).font = Font(bold=True)
    sheet.column_dimensions[sheet.cell(row=header_row, column=column).column_letter].width = 60
    by_row: dict[int, list] = {}
    for error in report.errors:
        by_row.setdefault(error.row, []).append(error)
    for row, errors in by_row.items():
        lines = [_cell(f"{e.column}：{e.reason}") for e in sorted(errors)]
        cell = sheet.cell(row=row, column=column, value="；".join(lines))
        cell.fill = RED
        for error in errors:
            if 0 <= error.order < column - 1:
                bad = sheet.cell(row=row, column=error.order + 1)
                bad.fill = RED
                bad.comment = Comment(_cell(error.reason), "dfed")
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def error_filename(filename: str) -> str:
    stem = filename.rsplit(".", 1)[0] if "." in filename else filename
    return f"{stem}-错误标注.xlsx"
