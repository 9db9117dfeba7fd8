"""Build the messy files towns send, for tests: xlsx through openpyxl (title rows, merged
cells, numbers where text belongs), csv in a chosen encoding, and a small legacy .xls (BIFF8 in
an OLE2 container) written here because no xls writer is installed."""

import csv
import io
import struct
from collections.abc import Sequence

from openpyxl import Workbook

Merge = tuple[int, int, int, int]  # first row, first col, last row, last col (1-based)


def xlsx_bytes(rows: Sequence[Sequence], *, merged: Sequence[Merge] = ()) -> bytes:
    """An .xlsx whose row i+1 holds ``rows[i]`` (None = empty cell); merges as given."""
    workbook = Workbook()
    sheet = workbook.active
    for r, row in enumerate(rows, start=1):
        for c, value in enumerate(row, start=1):
            if value is not None and value != "":
                sheet.cell(row=r, column=c, value=value)
    for first_row, first_col, last_row, last_col in merged:
        sheet.merge_cells(
            start_row=first_row, start_column=first_col, end_row=last_row, end_column=last_col
        )
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def csv_bytes(rows: Sequence[Sequence], *, encoding: str = "utf-8") -> bytes:
    buffer = io.StringIO(newline="")
    csv.writer(buffer).writerows([["" if v is None else v for v in row] for row in rows])
    return buffer.getvalue().encode(encoding)


# --- .xls (BIFF8) ------------------------------------------------------------------------------
_ENDOFCHAIN, _FATSECT, _FREESECT, _NOSTREAM = 0xFFFFFFFE, 0xFFFFFFFD, 0xFFFFFFFF, 0xFFFFFFFF


def _record(kind: int, data: bytes = b"") -> bytes:
    return struct.pack("<HH", kind, len(data)) + data


def _bof(kind: int) -> bytes:
    return _record(0x0809, struct.pack("<HHHHII", 0x0600, kind, 0x0DBB, 0x07CC, 0, 6))


def _biff8_stream(rows: Sequence[Sequence], merged: Sequence[Merge]) -> bytes:
    strings: list[str] = []
    index: dict[str, int] = {}
    cells = []
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            if value is None or value == "":
                continue
            if isinstance(value, int | float) and not isinstance(value, bool):
                cells.append(_record(0x0203, struct.pack("<HHHd", r, c, 15, float(value))))
            else:
                text = str(value)
                if text not in index:
                    index[text] = len(strings)
                    strings.append(text)
                cells.append(_record(0x00FD, struct.pack("<HHHI", r, c, 15, index[text])))
    sst = struct.pack("<II", len(strings), len(strings)) + b"".join(
        struct.pack("<HB", len(s), 1) + s.encode("utf-16-le") for s in strings
    )
    if len(sst) > 8224:
        raise ValueError("this tiny writer keeps the string table in one record")
    font = (
        struct.pack("<HHHHHBBBB", 200, 0, 0x7FFF, 400, 0, 0, 0, 0, 0)
        + b"\x05\x01"
        + ("Arial".encode("utf-16-le"))
    )
    xf_style = struct.pack("<HHHBBBBIIH", 0, 0, 0xFFF5, 0x20, 0, 0, 0, 0, 0, 0x20C0)
    xf_cell = struct.pack("<HHHBBBBIIH", 0, 0, 0x0001, 0x20, 0, 0, 0, 0, 0, 0x20C0)
    sheet_name = "Sheet1".encode("utf-16-le")
    globals_head = b"".join(
        [
            _bof(0x0005),
            _record(0x0042, struct.pack("<H", 1200)),
            *[_record(0x0031, font)] * 5,
            *[_record(0x00E0, xf_style)] * 15,
            _record(0x00E0, xf_cell),
        ]
    )
    boundsheet_len = 4 + 8 + len(sheet_name)
    sst_record = _record(0x00FC, sst)
    eof = _record(0x000A)
    sheet_offset = len(globals_head) + boundsheet_len + len(sst_record) + len(eof)
    boundsheet = _record(0x0085, struct.pack("<IBBBB", sheet_offset, 0, 0, 6, 1) + sheet_name)
    n_rows = len(rows)
    n_cols = max((len(r) for r in rows), default=0)
    merge_data = struct.pack("<H", len(merged)) + b"".join(
        struct.pack("<HHHH", fr - 1, lr - 1, fc - 1, lc - 1) for fr, fc, lr, lc in merged
    )
    sheet = b"".join(
        [
            _bof(0x0010),
            _record(0x0200, struct.pack("<IIHHH", 0, n_rows, 0, n_cols, 0)),
            *cells,
            _record(0x00E5, merge_data) if merged else b"",
            eof,
        ]
    )
    return globals_head + boundsheet + sst_record + eof + sheet


def xls_bytes(rows: Sequence[Sequence], *, merged: Sequence[Merge] = ()) -> bytes:
    """A legacy Excel 97-2003 .xls file (one sheet) holding ``rows``."""
    stream = _biff8_stream(rows, merged)
    stream += b"\x00" * (max(4096, -(-len(stream) // 512) * 512) - len(stream))
    n_stream = len(stream) // 512
    if n_stream + 2 > 128:
        raise ValueError("this tiny writer keeps the file under one FAT sector (64 KB)")
    fat = [_FATSECT, _ENDOFCHAIN] + [3 + i for i in range(n_stream - 1)] + [_ENDOFCHAIN]
    fat += [_FREESECT] * (128 - len(fat))

    def entry(name: str, kind: int, child: int, start: int, size: int) -> bytes:
        encoded = (name + "\x00").encode("utf-16-le") if name else b""
        return (
            encoded.ljust(64, b"\x00")
            + struct.pack("<HBB", len(encoded), kind, 1)
            + struct.pack("<III", _NOSTREAM, _NOSTREAM, child)
            + b"\x00" * 16
            + struct.pack("<I", 0)
            + b"\x00" * 16
            + struct.pack("<IQ", start, size)
        )

    directory = (
        entry("Root Entry", 5, 1, _ENDOFCHAIN, 0)
        + entry("Workbook", 2, _NOSTREAM, 2, len(stream))
        + entry("", 0, _NOSTREAM, 0, 0) * 2
    )
    header = (
        bytes.fromhex("D0CF11E0A1B11AE1")
        + b"\x00" * 16
        + struct.pack("<HHHHH", 0x003E, 0x0003, 0xFFFE, 9, 6)
        + b"\x00" * 6
        + struct.pack("<IIIIIIIII", 0, 1, 1, 0, 4096, _ENDOFCHAIN, 0, _ENDOFCHAIN, 0)
        + struct.pack("<I", 0)
        + struct.pack("<I", _FREESECT) * 108
    )
    return header + struct.pack("<128I", *fat) + directory + stream
