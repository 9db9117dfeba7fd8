"""Declarative column specs: one table of columns (key, header variants, parser, required,
length limit) plus row checks. ``ImportSpec.parse(rows)`` finds the header row by its names
(below up to three title rows; a two-row header whose group heading is merged over sub-headings
is read by its sub-headings), warns of every column it does not recognise, skips the rows that
are not data (blank rows, 合计/总计 and everything after, subtotals, signature lines, notes:
each listed in ``skipped``), cleans every text cell (``normalizers.clean_cell``), parses it and
returns the records with every error of every row, each naming its Excel row and the column's
header as the file writes it."""

import gc
import itertools
from collections.abc import Callable, Iterable, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from .headers import (
    NOTE_MARKERS,
    SIGNATURE_MARKERS,
    SUBTOTAL_MARKERS,
    TOTAL_MARKERS,
    column_letter,
    header_key,
    header_text,
)
from .normalizers import clean_cell, compact, is_blank, text
from .report import ImportFileError, RowError

MEMO_SIZE = 512  # parsed text cells kept per column and parse; a column that fills it stops
_MISSING = object()


@contextmanager
def gc_paused():
    """Pause the cyclic garbage collector while building many small objects (rows, records):
    they are all alive until the import ends, so collecting only costs time."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


@dataclass(frozen=True)
class Column:
    key: str
    headers: tuple[str, ...]
    parse: Callable = text
    required: bool = False  # the column must be in the file
    blank_ok: bool = True  # a cell may be empty (then the value is ``None``)
    # ``parse`` is a pure function of the cell, so a parsed text cell is reused for the same
    # text further down (towns, categories, months repeat on every row); False opts out.
    memo: bool = True
    max_length: int | None = None  # longer text is a row error naming the limit, never cut

    @property
    def label(self) -> str:
        return self.headers[0]


@dataclass
class Record:
    row: int  # Excel row number
    values: dict
    failed: set = field(default_factory=set)  # keys whose cell did not parse


# A check receives a record and the spec's column lookup and yields (key, reason) pairs.
Check = Callable[[Record], Sequence[tuple[str, str]]]


@dataclass
class ParsedTable:
    header_row: int
    headers: dict[str, str]  # key → the header as written in the file
    records: list[Record]
    errors: list[RowError]
    order: dict[str, int]  # key → column position
    warnings: list[RowError] = field(default_factory=list)
    skipped: list[tuple[int, str]] = field(default_factory=list)  # (Excel row, reason)

    def error(self, row: int, key: str, reason: str) -> RowError:
        return RowError(row, self.order.get(key, 999), self.headers.get(key, key), reason)


@dataclass
class ImportSpec:
    columns: Sequence[Column]
    checks: Sequence[Check] = ()
    warns: Sequence[Check] = ()  # like checks, but what they yield is a warning on the row
    key: str | None = None  # the column every data row fills (the foot's rows leave it blank)
    max_title_rows: int = 3

    def __post_init__(self) -> None:
        self._by_header = {}
        for column in self.columns:
            for variant in column.headers:
                self._by_header[header_key(variant)] = column

    def column(self, key: str) -> Column:
        return next(c for c in self.columns if c.key == key)

    # --- header ------------------------------------------------------------------------------
    def _recognise(self, index: int, row: list) -> tuple[dict[str, int], dict[str, str]]:
        positions: dict[str, int] = {}
        names: dict[str, str] = {}
        for col, value in enumerate(row):
            column = self._by_header.get(header_key(value)) if not is_blank(value) else None
            if column is None:
                continue
            if column.key in positions:
                raise ImportFileError(
                    _("第%(n)d行 表头中“%(a)s”和“%(b)s”重复，请只保留一列")
                    % {"n": index + 1, "a": names[column.key], "b": header_text(value)}
                )
            positions[column.key] = col
            names[column.key] = header_text(value)
        return positions, names

    def find_header(self, rows: list[list]) -> tuple[int, dict[str, int], dict[str, str]]:
        """Index of the header row, key → column index, key → header text.

        A two-row header (a group heading such as 残疾情况 over the sub-headings 类别 / 等级) is
        read from its lower row, whose blank cells take the heading above them."""
        required = [c for c in self.columns if c.required]
        best: tuple[int, dict, dict] | None = None
        seen_nonblank = 0
        previous: list | None = None
        for index, row in enumerate(rows):
            if all(is_blank(v) for v in row):
                continue
            seen_nonblank += 1
            if seen_nonblank > self.max_title_rows + 1:
                break
            candidates = [row]
            if previous is not None:
                width = max(len(row), len(previous))
                candidates.append(
                    [
                        row[c]
                        if c < len(row) and not is_blank(row[c])
                        else (previous[c] if c < len(previous) else None)
                        for c in range(width)
                    ]
                )
            previous = row
            for candidate in candidates:
                try:
                    positions, names = self._recognise(index, candidate)
                except ImportFileError:
                    if candidate is row:
                        raise
                    continue
                if best is None or len(positions) > len(best[1]):
                    best = (index, positions, names)
                if all(c.key in positions for c in required):
                    return index, positions, names
        if best is None or len(best[1]) < 2:
            raise ImportFileError(
                _("找不到表头：前%(n)d行中没有“%(cols)s”等列名")
                % {
                    "n": self.max_title_rows + 1,
                    "cols": "”“".join(c.label for c in required[:3]),
                }
            )
        missing = [c.label for c in required if c.key not in best[1]]
        raise ImportFileError(
            _("第%(n)d行 表头缺少必需的列：%(cols)s")
            % {"n": best[0] + 1, "cols": "、".join(missing)}
        )

    # --- rows --------------------------------------------------------------------------------
    @staticmethod
    def row_kind(row: list) -> str:
        """ "" for a data row, else what the row is: total, subtotal, signature or note."""
        for value in row[:6]:
            if value is None or value == "":
                continue
            if type(value) is not str:
                return ""
            key = compact(value)
            if not key:
                continue
            if key.startswith(TOTAL_MARKERS):
                return "total"
            if any(m in key for m in SUBTOTAL_MARKERS) or key.endswith(TOTAL_MARKERS):
                return "subtotal"
            if key.startswith(NOTE_MARKERS) or key == "注":
                return "note"
            if key.startswith(SIGNATURE_MARKERS):
                return "signature"
            return ""
        return ""

    def parse(
        self,
        rows: Iterable[list],
        *,
        progress: Callable | None = None,
        on_header: Callable[[ParsedTable], None] | None = None,
        on_record: Callable[[Record], None] | None = None,
    ) -> ParsedTable:
        """Parse every row below the header; ``rows`` may be a list or a stream of rows.

        ``on_header(table)`` is called once the header is found, ``on_record(record)`` after
        each record is parsed and checked (in row order)."""
        iterator = iter(rows)
        total = getattr(rows, "total", 0) or (len(rows) if hasattr(rows, "__len__") else 0)
        formulas = getattr(rows, "formulas", None) or set()
        head, nonblank = [], 0
        for row in iterator:
            head.append(row)
            if not all(is_blank(v) for v in row):
                nonblank += 1
                if nonblank > self.max_title_rows + 1:
                    break
        header_index, positions, names = self.find_header(head)
        table = ParsedTable(header_index + 1, names, [], [], dict(positions))
        header = head[header_index]
        known = set(positions.values())
        unnamed: list[int] = []  # columns without a header: their data is warned of
        for col, value in enumerate(header):
            if col in known:
                continue
            if is_blank(value) or not header_key(value):
                unnamed.append(col)
                continue
            table.warnings.append(
                RowError(
                    header_index + 1,
                    col,
                    header_text(value),
                    _("无法识别的列名，该列未导入（如需导入请改用模板中的列名）"),
                )
            )
        if on_header is not None:
            on_header(table)
        present = [
            [c.key, c.parse, c.blank_ok, positions[c.key], {} if c.memo else None, c.max_length]
            for c in self.columns
            if c.key in positions
        ]
        absent = [c.key for c in self.columns if c.key not in positions]
        probe = min(positions.values())
        key_col = positions.get(self.key) if self.key else None
        labels = {
            "total": _("合计行"),
            "after_total": _("合计行之后"),
            "subtotal": _("小计行"),
            "signature": _("签字行"),
            "note": _("注释行"),
            "foot": _("表尾"),
            "blank": _("空行"),
        }
        blanks: list[int] = []  # blank rows, listed when data follows them
        state = ""  # "", "total" (everything after is skipped) or "foot"
        seen_unnamed: set[int] = set()
        body = itertools.chain(head[header_index + 1 :], iterator)
        for offset, row in enumerate(body):
            if progress and offset % 5000 == 0 and total:
                progress(min(offset / total, 1.0))
            number = header_index + 2 + offset
            first = row[probe] if probe < len(row) else None
            if (first is None or first == "") and all(is_blank(v) for v in row):
                if state != "total":
                    blanks.append(number)
                continue
            if state == "total":
                table.skipped.append((number, labels["after_total"]))
                continue
            kind = self.row_kind(row)
            if (
                not kind
                and state == "foot"
                and (key_col is None or key_col >= len(row) or is_blank(row[key_col]))
            ):
                kind = "foot"
            if blanks:
                table.skipped.extend((b, labels["blank"]) for b in blanks)
                blanks = []
            if kind:
                if kind == "total":
                    state = "total"
                elif kind in ("signature", "note"):
                    state = "foot"
                table.skipped.append((number, labels[kind]))
                continue
            for col in unnamed:
                if col not in seen_unnamed and col < len(row) and not is_blank(row[col]):
                    seen_unnamed.add(col)
            self._parse_row(table, number, row, present, absent, names, on_record, formulas)
        for col in sorted(seen_unnamed):
            table.warnings.append(
                RowError(
                    header_index + 1,
                    col,
                    _("第%(c)s列") % {"c": column_letter(col)},
                    _("没有列名但有数据，该列未导入"),
                )
            )
        table.skipped.sort()
        return table

    def _parse_row(self, table, number, row, present, absent, names, on_record, formulas) -> None:
        values: dict = dict.fromkeys(absent)
        record = Record(number, values)
        width = len(row)
        for column in present:
            key, parse, blank_ok, col, memo, max_length = column
            raw = row[col] if col < width else None
            if memo is not None and type(raw) is str:
                value = memo.get(raw, _MISSING)
                if value is not _MISSING:
                    values[key] = value
                    continue
            try:
                cell = clean_cell(raw) if type(raw) is str else raw
                if cell is None or cell == "":
                    values[key] = None
                    if formulas and (number - 1, col) in formulas:
                        raise ValidationError(
                            _(
                                "单元格%(ref)s是公式，但文件中没有保存计算结果："
                                "请在 Excel 中打开该文件并保存，再重新导入"
                            )
                            % {"ref": f"{column_letter(col)}{number}"}
                        )
                    if not blank_ok:
                        raise ValidationError(_("不能为空"))
                    continue
                value = parse(cell)
                if max_length is not None and type(value) is str and len(value) > max_length:
                    raise ValidationError(
                        _("超过%(n)d个字符的上限（共%(len)d个字符），系统不会截断，请核对")
                        % {"n": max_length, "len": len(value)}
                    )
                values[key] = value
            except ValidationError as exc:
                values[key] = None
                record.failed.add(key)
                table.errors.append(RowError(number, col, names[key], exc.messages[0]))
                continue
            if memo is not None and type(raw) is str:
                if len(memo) < MEMO_SIZE:
                    memo[raw] = value
                else:  # a column of distinct values (names, numbers): stop looking them up
                    column[4] = None
        for check in self.checks:
            for key, reason in check(record):
                record.failed.add(key)
                table.errors.append(table.error(number, key, reason))
        for check in self.warns:
            for key, reason in check(record):
                table.warnings.append(table.error(number, key, reason))
        table.records.append(record)
        if on_record is not None:
            on_record(record)
