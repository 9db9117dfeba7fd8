"""xlsx exports: constant memory (openpyxl write-only), text cells for identifiers, and cells that
begin with a formula character neutralised so a spreadsheet never runs them."""

import tempfile
from collections.abc import Iterable, Sequence
from datetime import date, datetime
from decimal import Decimal

from django.http import FileResponse
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

from dfed.core.money import MONEY_XLSX_FORMAT

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def safe_text(value) -> str:
    """Text for a cell: a leading ``= + - @`` gets a quote so it is never a formula."""
    text = "" if value is None else str(value)
    if text.startswith(FORMULA_PREFIXES):
        return "'" + text
    return text


def text_cell(sheet, value) -> WriteOnlyCell:
    """A cell stored as text (number format ``@``): ID numbers and accounts keep every digit."""
    cell = WriteOnlyCell(sheet, value=safe_text(value))
    cell.number_format = "@"
    return cell


def value_cell(sheet, value):
    if isinstance(value, (int, float, Decimal, date, datetime)) and not isinstance(value, bool):
        cell = WriteOnlyCell(sheet, value=value)
        if isinstance(value, Decimal):
            cell.number_format = MONEY_XLSX_FORMAT
        elif isinstance(value, datetime):
            cell.value = value.replace(tzinfo=None)
            cell.number_format = "yyyy-mm-dd hh:mm"
        elif isinstance(value, date):
            cell.number_format = "yyyy-mm-dd"
        return cell
    return text_cell(sheet, value)


class XlsxWriter:
    """Write one or more sheets in write-only mode, then hand back a streamed response."""

    def __init__(self) -> None:
        self.workbook = Workbook(write_only=True)

    def sheet(
        self,
        title: str,
        headers: Sequence[str],
        rows: Iterable[Sequence],
        text_columns: Iterable[int] = (),
        totals: Sequence | None = None,
    ) -> None:
        sheet = self.workbook.create_sheet(title=title[:31])
        bold = Font(bold=True)
        header_cells = []
        for header in headers:
            cell = WriteOnlyCell(sheet, value=safe_text(header))
            cell.font = bold
            header_cells.append(cell)
        sheet.append(header_cells)
        text_columns = set(text_columns)
        for row in rows:
            sheet.append(
                [
                    text_cell(sheet, v) if i in text_columns else value_cell(sheet, v)
                    for i, v in enumerate(row)
                ]
            )
        if totals is not None:
            cells = [value_cell(sheet, v) for v in totals]
            for cell in cells:
                cell.font = bold
            sheet.append(cells)

    def response(self, filename: str) -> FileResponse:
        handle = tempfile.TemporaryFile()  # noqa: SIM115 - FileResponse closes it
        self.workbook.save(handle)
        handle.seek(0)
        return FileResponse(
            handle,
            as_attachment=True,
            filename=filename,
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )


def xlsx_response(
    filename: str,
    title: str,
    headers: Sequence[str],
    rows: Iterable[Sequence],
    text_columns: Iterable[int] = (),
    totals: Sequence | None = None,
):
    writer = XlsxWriter()
    writer.sheet(title, headers, rows, text_columns=text_columns, totals=totals)
    return writer.response(filename)
