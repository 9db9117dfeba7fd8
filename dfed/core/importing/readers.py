"""Read the first sheet of an .xlsx/.xls (python-calamine) or a .csv (UTF-8, UTF-8 with BOM,
GB18030) into rows of cell values. Row ``i`` of the result is Excel row ``i + 1``: leading and
blank rows are kept so error messages can name the row a person sees in Excel. Merged cells
carry their top-left value into every cell they cover."""

import csv
import io
from pathlib import Path

from django.utils.translation import gettext as _

from .report import ImportFileError

SPREADSHEET_EXTENSIONS = (".xlsx", ".xlsm", ".xls")
EXTENSIONS = (*SPREADSHEET_EXTENSIONS, ".csv")
CSV_ENCODINGS = ("utf-8-sig", "gb18030")


def file_extension(name: str) -> str:
    return Path(name or "").suffix.lower()


class Rows:
    """The rows of a sheet, produced one at a time (constant memory on the Python side);
    ``total`` is the number of rows when the reader knows it (for progress)."""

    def __init__(self, rows, total: int = 0):
        self._rows = rows
        self.total = total

    def __iter__(self):
        return iter(self._rows)


def open_rows(source, *, name: str | None = None) -> Rows:
    """The first sheet's rows; ``source`` is a path or bytes or a binary file object."""
    name = name or str(getattr(source, "name", source))
    ext = file_extension(name)
    if ext not in EXTENSIONS:
        raise ImportFileError(_("只能导入 xlsx、xls 或 csv 文件"))
    data = _read_bytes(source)
    if ext == ".csv":
        rows = _read_csv(data)
        return Rows(rows, len(rows))
    try:
        return _open_spreadsheet(data)
    except ImportFileError:
        if ext != ".xls":
            raise
        rows = _read_xls_xlrd(data)
        return Rows(rows, len(rows))


def read_rows(source, *, name: str | None = None) -> list[list]:
    """All rows of the first sheet as lists of cell values."""
    return list(open_rows(source, name=name))


def _read_bytes(source) -> bytes:
    if isinstance(source, bytes):
        return source
    if isinstance(source, str | Path):
        try:
            return Path(source).read_bytes()
        except OSError as exc:
            raise ImportFileError(_("无法读取文件：%(e)s") % {"e": exc.strerror}) from None
    source.seek(0)
    return source.read()


def _open_spreadsheet(data: bytes) -> Rows:
    from python_calamine import CalamineWorkbook

    try:
        workbook = CalamineWorkbook.from_filelike(io.BytesIO(data))
        sheet = workbook.get_sheet_by_index(0)
        merged = sheet.merged_cell_ranges or []
        offset = sheet.start[1] if sheet.start else 0
        total = sheet.height
        iterator = sheet.iter_rows()
    except Exception as exc:  # noqa: BLE001 - calamine raises many kinds for a broken file
        raise ImportFileError(
            _("文件无法打开（不是有效的 Excel 文件或已损坏）：%(e)s") % {"e": exc}
        ) from None
    return Rows(_fill_merged(iterator, merged, offset), total)


def _fill_merged(iterator, merged, offset: int):
    """Pad rows to absolute columns and carry each merged range's top-left value into it."""
    by_top: dict[int, list] = {}
    for (top, left), (bottom, right) in merged:
        by_top.setdefault(top, []).append((left, bottom, right))
    active: list[tuple] = []  # (bottom, left, right, value)
    for index, row in enumerate(iterator):
        if offset:
            row = [""] * offset + row
        for left, bottom, right in by_top.get(index, ()):
            active.append((bottom, left, right, row[left] if left < len(row) else ""))
        if active:
            active = [span for span in active if span[0] >= index]
            for _bottom, left, right, value in active:
                if len(row) <= right:
                    row.extend([""] * (right + 1 - len(row)))
                for c in range(left, right + 1):
                    if row[c] in ("", None):
                        row[c] = value
        yield row


def _read_csv(data: bytes) -> list[list]:
    for encoding in CSV_ENCODINGS:
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        return [list(row) for row in csv.reader(io.StringIO(text, newline=""))]
    raise ImportFileError(_("CSV 文件编码无法识别，请保存为 UTF-8 或 GB18030"))


def _read_xls_xlrd(data: bytes) -> list[list]:
    """xlrd for the odd .xls python-calamine cannot open."""
    import xlrd

    try:
        book = xlrd.open_workbook(file_contents=data)
        sheet = book.sheet_by_index(0)
        return [sheet.row_values(i) for i in range(sheet.nrows)]
    except Exception as exc:  # noqa: BLE001
        raise ImportFileError(
            _("文件无法打开（不是有效的 Excel 文件或已损坏）：%(e)s") % {"e": exc}
        ) from None
