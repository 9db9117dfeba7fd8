"""Declarative column specs: one table of columns (key, header variants, parser, required)
plus row checks. ``ImportSpec.parse(rows)`` finds the header row by its names (below up to
three title rows), skips blank rows and a trailing 合计/总计 row, parses every cell and returns
the parsed records with every error, each naming its Excel row and the column's header."""

import gc
import itertools
from collections.abc import Callable, Iterable, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from .normalizers import compact, is_blank, text
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


def header_key(value) -> str:
    """The comparable form of a header: half-width, no spaces, no * or ： marks."""
    return compact(value).replace("*", "").replace(":", "").rstrip("：")


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

    def error(self, row: int, key: str, reason: str) -> RowError:
        return RowError(row, self.order.get(key, 999), self.headers.get(key, key), reason)


@dataclass
class ImportSpec:
    columns: Sequence[Column]
    checks: Sequence[Check] = ()
    max_title_rows: int = 3
    total_markers: tuple[str, ...] = ("合计", "总计")

    def __post_init__(self) -> None:
        self._by_header = {}
        for column in self.columns:
            for variant in column.headers:
                self._by_header[header_key(variant)] = column

    def column(self, key: str) -> Column:
        return next(c for c in self.columns if c.key == key)

    # --- header ------------------------------------------------------------------------------
    def find_header(self, rows: list[list]) -> tuple[int, dict[str, int], dict[str, str]]:
        """Index of the header row, key → column index, key → header text."""
        required = [c for c in self.columns if c.required]
        best: tuple[int, dict, dict] | None = None
        seen_nonblank = 0
        for index, row in enumerate(rows):
            if all(is_blank(v) for v in row):
                continue
            seen_nonblank += 1
            if seen_nonblank > self.max_title_rows + 1:
                break
            positions: dict[str, int] = {}
            names: dict[str, str] = {}
            for col, value in enumerate(row):
                column = self._by_header.get(header_key(value)) if not is_blank(value) else None
                if column is None:
                    continue
                if column.key in positions:
                    raise ImportFileError(
                        _("第%(n)d行 表头中“%(a)s”和“%(b)s”重复，请只保留一列")
                        % {"n": index + 1, "a": names[column.key], "b": text(value)}
                    )
                positions[column.key] = col
                names[column.key] = " ".join(str(value).split())
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
    def is_total_row(self, row: list) -> bool:
        for value in row[:4]:
            if value is None or value == "":
                continue
            return type(value) is str and compact(value).startswith(self.total_markers)
        return False

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
        each record is parsed and checked (in row order), so a caller can work on the first
        rows while later ones are still being read."""
        iterator = iter(rows)
        total = getattr(rows, "total", 0) or (len(rows) if hasattr(rows, "__len__") else 0)
        head, nonblank = [], 0
        for row in iterator:
            head.append(row)
            if not all(is_blank(v) for v in row):
                nonblank += 1
                if nonblank > self.max_title_rows:
                    break
        header_index, positions, names = self.find_header(head)
        table = ParsedTable(header_index + 1, names, [], [], dict(positions))
        if on_header is not None:
            on_header(table)
        present = [
            [c.key, c.parse, c.blank_ok, positions[c.key], {} if c.memo else None]
            for c in self.columns
            if c.key in positions
        ]
        absent = [c.key for c in self.columns if c.key not in positions]
        probe = min(positions.values())
        held = None  # a 合计 row: skipped only if no non-blank row follows it
        body = itertools.chain(head[header_index + 1 :], iterator)
        for offset, row in enumerate(body):
            if progress and offset % 5000 == 0 and total:
                progress(min(offset / total, 1.0))
            first = row[probe] if probe < len(row) else None
            if (first is None or first == "") and all(is_blank(v) for v in row):
                continue
            number = header_index + 2 + offset
            if held is not None:
                self._parse_row(table, *held, present, absent, names, on_record)
                held = None
            if self.is_total_row(row):
                held = (number, row)
                continue
            self._parse_row(table, number, row, present, absent, names, on_record)
        return table

    def _parse_row(self, table, number, row, present, absent, names, on_record) -> None:
        values: dict = dict.fromkeys(absent)
        record = Record(number, values)
        width = len(row)
        for column in present:
            key, parse, blank_ok, col, memo = column
            raw = row[col] if col < width else None
            if memo is not None and type(raw) is str:
                value = memo.get(raw, _MISSING)
                if value is not _MISSING:
                    values[key] = value
                    continue
            if raw is None or raw == "" or (type(raw) is str and raw.isspace()):
                values[key] = None
                if not blank_ok:
                    record.failed.add(key)
                    table.errors.append(RowError(number, col, names[key], _("不能为空")))
                continue
            try:
                values[key] = value = parse(raw)
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
        table.records.append(record)
        if on_record is not None:
            on_record(record)
