"""Downloadable import templates: the header of an ``ImportSpec`` (each column's first name),
one example row, and drop-down lists (Excel data validation) for the columns with a small
vocabulary, so a town office fills in what the importer reads."""

import io
from collections.abc import Mapping, Sequence

from openpyxl import Workbook
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from .spec import ImportSpec

ROWS_WITH_LISTS = 5000  # rows below the header that get the drop-down lists


def template_workbook(
    *,
    spec: ImportSpec,
    title: str,
    example: Mapping[str, object],
    choices: Mapping[str, Sequence[str]],
) -> bytes:
    """An .xlsx: ``title`` in row 1, the header in row 2, ``example`` in row 3; the columns
    named in ``choices`` get a drop-down list of those values (kept on a hidden sheet)."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "名册"
    columns = list(spec.columns)
    sheet.cell(row=1, column=1, value=title).font = Font(bold=True, size=14)
    required = PatternFill(fill_type="solid", start_color="FFFFF2CC", end_color="FFFFF2CC")
    for index, column in enumerate(columns, start=1):
        cell = sheet.cell(row=2, column=index, value=column.label)
        cell.font = Font(bold=True)
        if column.required:
            cell.fill = required
        value = example.get(column.key)
        sheet.cell(row=3, column=index, value=value).number_format = "@"
        letter = get_column_letter(index)
        sheet.column_dimensions[letter].width = max(10, min(24, len(str(value or "")) + 4))
        # Long digit strings as text, so Excel never rounds ID numbers and accounts.
        for row in range(3, 3 + 50):
            sheet.cell(row=row, column=index).number_format = "@"
    lists = workbook.create_sheet("选项")
    lists.sheet_state = "hidden"
    for list_index, (key, values) in enumerate(choices.items(), start=1):
        position = next(i for i, c in enumerate(columns, start=1) if c.key == key)
        for row, value in enumerate(values, start=1):
            lists.cell(row=row, column=list_index, value=value)
        list_letter = get_column_letter(list_index)
        validation = DataValidation(
            type="list",
            formula1=f"'选项'!${list_letter}$1:${list_letter}${max(len(values), 1)}",
            allow_blank=True,
            showErrorMessage=True,
            errorTitle="请从列表中选择",
            error="请从下拉列表中选择",
        )
        letter = get_column_letter(position)
        validation.add(f"{letter}3:{letter}{2 + ROWS_WITH_LISTS}")
        sheet.add_data_validation(validation)
    sheet.freeze_panes = "A3"
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
