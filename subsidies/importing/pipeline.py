"""The pipelined path of a recipient import (PostgreSQL): a thread reads and parses the file
while this thread checks and writes each finished chunk of rows, so the database writes while
Python parses.

The writes are optimistic, inside a savepoint. Anything that needs the whole file — a row error
anywhere, a person the register has as moved or deceased, a suspended entitlement, a blank cell
filled by a later row after its own row was written — rolls the savepoint back, and the caller
checks (and, when clean, writes) the whole file the set-based way (``checks`` + ``write``), with
the same report as ever. A clean file, the common case, is written once, chunk by chunk.

Rows of one ID may fall into different chunks. A chunk looks people up before it writes, so a
first row sees the register as it was before the import (its ID has not been written yet). A
later row of the same ID compares with the person as saved in ``BEFORE`` when its first row
changed that person, and counts as created when its first row created the person: the counts
are those of the set-based path."""

import queue
import sys
import threading
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date

from django.db import transaction
from django.utils import timezone, translation

from dfed.core.importing import ImportReport, Record
from dfed.core.importing.readers import open_rows
from dfed.core.importing.spec import ParsedTable
from dfed.core.importing.staging import (
    analyze,
    copy_formatter,
    copy_text,
    execute,
    fetch_all,
    staging_copy_text,
    staging_create,
    staging_drop,
)
from dfed.people.models import Person

from ..models import Entitlement
from .checks import (
    COMPARED,
    COPY_COLUMNS,
    OPTIONAL,
    STAGE_COLUMNS,
    Context,
    RowValues,
    WithinFile,
    area_ids,
    match_entitlements,
    person_changed_sql,
    rate_warnings,
)
from .spec import RECIPIENT_SPEC
from .write import write_roster

CHUNK_ROWS = 10000
SWITCH_INTERVAL = 0.0005  # seconds
CHUNK = "import_recipient_chunk"
BEFORE = "import_recipient_before"
# first_new: a later row of a person that an earlier chunk created.
CHUNK_COLUMNS = [*STAGE_COLUMNS, ("first_new", "boolean NOT NULL DEFAULT FALSE")]


@dataclass
class Parsed:
    """A parsed roster for the set-based path: its records, errors and first rows."""

    table: ParsedTable
    context: Context
    firsts: set[int]


class _Cancelled(Exception):
    """The writing side failed: stop parsing."""


class _Parser(threading.Thread):
    """Reads and parses the file, runs the within-file checks, and hands on chunks
    ``(data, cross, first rows, fraction parsed)``, ``None`` when done: ``data`` is the chunk's
    COPY text for the staging table (None once the file has an error), ``cross`` the (first
    row, ID number) of rows whose ID's first row is in an earlier chunk, ``first rows`` the
    chunk's first rows. The database is left to the writing thread, which passes in the areas
    and a COPY formatter: it only sends what this thread prepared."""

    def __init__(
        self, *, source, filename: str, report: ImportReport, chunk_rows: int, areas, formatter
    ):
        super().__init__(name="recipient-import-parse", daemon=True)
        self.source, self.filename, self.chunk_rows = source, filename, chunk_rows
        self.report, self.areas, self.formatter = report, areas, formatter
        self.language = translation.get_language()
        self.chunks: queue.SimpleQueue = queue.SimpleQueue()
        self.cancelled = False
        self.error: BaseException | None = None
        self.table: ParsedTable | None = None
        self.context: Context | None = None
        self.within: WithinFile | None = None
        self.scratch: Context | None = None
        self.values: RowValues | None = None
        self.fraction = 0.0
        self._records: list[Record] = []
        self._firsts: list[int] = []
        # A small first chunk gets the database to work sooner.
        self._limit = max(1, chunk_rows // 5)

    def run(self) -> None:
        try:
            with translation.override(self.language):
                rows = open_rows(self.source, name=self.filename)
                self.table = RECIPIENT_SPEC.parse(
                    rows, progress=self._progress, on_header=self._start, on_record=self._add
                )
                self._flush()
        except BaseException as exc:  # noqa: BLE001 - handed to the writing thread
            self.error = exc
        finally:
            self.chunks.put(None)

    def _progress(self, fraction: float) -> None:
        self.fraction = fraction

    def _start(self, table: ParsedTable) -> None:
        self.context = Context(self.report, table.errors, table.headers, table.order)
        self.within = WithinFile(self.context)
        # Unknown towns and communities: the set-based path reports them again.
        self.scratch = Context(ImportReport(), [], table.headers, table.order)
        self.values = RowValues(self.scratch.error, self.areas)

    def _add(self, record: Record) -> None:
        if self.cancelled:
            raise _Cancelled
        self._firsts.append(self.within.add(record))
        self._records.append(record)
        if len(self._records) >= self._limit:
            self._flush()
            self._limit = self.chunk_rows

    def _flush(self) -> None:
        records, firsts = self._records, self._firsts
        if not records:
            return
        self.within.dispatched_through = records[-1].row
        self._records, self._firsts = [], []
        if not self.clean:  # nothing more will be written
            self.chunks.put((None, None, None, self.fraction))
            return
        start = records[0].row
        pairs = list(zip(records, firsts, strict=True))
        rows = self.values.rows(records, ((first == r.row,) for r, first in pairs))
        data = copy_text(self.formatter, rows)
        cross = [(first, r.values["id_number"].number) for r, first in pairs if first < start]
        own = [first for r, first in pairs if first == r.row]
        self.chunks.put((data, cross, own, self.fraction))

    @property
    def clean(self) -> bool:
        """No row error so far and nothing written needs changing."""
        return not (self.context.errors or self.scratch.errors or self.within.late_fill)


class _ChunkWriter:
    """Checks and writes one chunk at a time; ``write`` returns False when the chunk needs the
    set-based path (its writes are then rolled back by the caller)."""

    def __init__(self, *, report: ImportReport, context: Context, paid_through: date, by):
        self.report, self.paid_through, self.by = report, paid_through, by
        # Warnings name columns as the file heads them; kept apart until the file is written.
        self.warnings = Context(ImportReport(), [], context.headers, context.order)
        self.now = timezone.now()
        self.new_firsts: set[int] = set()  # first rows (of earlier chunks) that created a person
        self.created = self.updated = self.unchanged = 0
        staging_create(CHUNK, CHUNK_COLUMNS)
        cols = ", ".join(("id", *COMPARED, *OPTIONAL))
        execute(
            f"CREATE TEMP TABLE {BEFORE} ON COMMIT DROP AS "
            f"SELECT {cols} FROM {Person._meta.db_table} WITH NO DATA"
        )
        self.before = 0  # people saved in BEFORE

    def write(self, data: bytes, cross: list[tuple[int, str]], own: list[int]) -> bool:
        execute(f"TRUNCATE {CHUNK}")
        new_firsts = self.new_firsts
        staging_copy_text(CHUNK, COPY_COLUMNS, data)
        created_before = [number for first, number in cross if first in new_firsts]
        if created_before:
            execute(
                f"UPDATE {CHUNK} SET first_new = TRUE WHERE NOT is_first AND id_number = ANY(%s)",
                [created_before],
            )
        # Row counts for the planner (a nested loop over a chunk is slow).
        analyze(CHUNK, columns=("id_number", "type", "tier"))

        # People as registered before the import (see the module's docstring).
        found = execute(
            f"UPDATE {CHUNK} AS s SET person_id = p.id, person_status = p.status, "
            f"person_changed = ({person_changed_sql()}) "
            f"FROM {Person._meta.db_table} p WHERE p.id_number = s.id_number AND NOT s.first_new"
        )
        if self.before:
            execute(
                f"UPDATE {CHUNK} AS s SET person_changed = ({person_changed_sql(person='b')}) "
                f"FROM {BEFORE} b WHERE b.id = s.person_id AND NOT s.is_first"
            )
        if found:  # only people already registered have entitlements to match
            match_entitlements(paid_through=self.paid_through, table=CHUNK)
        ((blocked, created, updated, total),) = fetch_all(
            # A person moved or deceased, or a suspended entitlement: the set-based path
            # reports these rows.
            "SELECT COALESCE(bool_or(person_status <> %s OR ent_state = %s), FALSE), "
            "count(*) FILTER (WHERE person_id IS NULL OR ent_id IS NULL), "
            "count(*) FILTER (WHERE person_id IS NOT NULL AND ent_id IS NOT NULL "
            f"AND (person_changed OR ent_changed)), count(*) FROM {CHUNK}",
            [Person.Status.ACTIVE, Entitlement.State.SUSPENDED],
        )
        if blocked:
            return False
        rate_warnings(self.warnings, paid_through=self.paid_through, table=CHUNK)
        self.created += created
        self.updated += updated
        self.unchanged += total - created - updated

        cols = ", ".join(f"p.{col}" for col in ("id", *COMPARED, *OPTIONAL))
        self.before += execute(
            f"INSERT INTO {BEFORE} SELECT {cols} FROM {Person._meta.db_table} p "
            f"JOIN {CHUNK} s ON s.person_id = p.id WHERE s.is_first AND s.person_changed"
        )
        write_roster(
            report=self.report,
            paid_through=self.paid_through,
            by=self.by,
            table=CHUNK,
            now=self.now,
            registered=bool(found),
        )
        if found:
            created_by_first = fetch_all(
                f"SELECT row_no FROM {CHUNK} WHERE is_first AND person_id IS NULL"
            )
            new_firsts.update(row for (row,) in created_by_first)
        else:  # nobody was registered: every first row created its person
            new_firsts.update(own)
        return True

    def finish(self) -> None:
        report = self.report
        report.created, report.updated, report.unchanged = (
            self.created,
            self.updated,
            self.unchanged,
        )
        report.warnings.extend(self.warnings.report.warnings)
        staging_drop(CHUNK)
        staging_drop(BEFORE)


class _Fallback(Exception):
    """Roll the pipelined writes back: the set-based path takes over."""


_switch_lock = threading.Lock()
_switch_users = 0
_switch_saved = 0.0


@contextmanager
def short_switch_interval():
    """This thread holds the GIL only briefly between statements; a short switch interval lets
    it take the GIL back from the parsing thread at once (the default waits up to 5 ms). The
    setting is the process's: the first import in sets it, the last one out restores it."""
    global _switch_users, _switch_saved
    with _switch_lock:
        if _switch_users == 0:
            _switch_saved = sys.getswitchinterval()
            sys.setswitchinterval(SWITCH_INTERVAL)
        _switch_users += 1
    try:
        yield
    finally:
        with _switch_lock:
            _switch_users -= 1
            if _switch_users == 0:
                sys.setswitchinterval(_switch_saved)


def import_pipelined(
    *,
    source,
    filename: str,
    report: ImportReport,
    paid_through: date,
    by,
    progress,
    chunk_rows: int | None = None,
) -> Parsed | None:
    """Parse, check and write the roster chunk by chunk inside the caller's transaction.

    Returns None when the file was clean and is written (``report`` counts and warnings filled
    in), else the parsed file with nothing written, for the set-based path. Raises
    ``ImportFileError`` when the file cannot be read."""
    parser = _Parser(
        source=source,
        filename=filename,
        report=report,
        chunk_rows=chunk_rows or CHUNK_ROWS,
        areas=area_ids(),
        formatter=copy_formatter(),
    )
    writer = None
    try:
        with short_switch_interval(), transaction.atomic():
            parser.start()
            clean = True
            while (chunk := parser.chunks.get()) is not None:
                data, cross, own, fraction = chunk
                progress(0.1 + 0.85 * fraction, "")
                clean = clean and data is not None
                if not clean:
                    continue  # parse on: the set-based path needs every error
                if writer is None:
                    writer = _ChunkWriter(
                        report=report, context=parser.context, paid_through=paid_through, by=by
                    )
                clean = writer.write(data, cross, own)
            if parser.error is not None or not (clean and parser.clean) or writer is None:
                raise _Fallback
            writer.finish()
    except _Fallback:
        writer = None
    except BaseException:
        parser.cancelled = True
        raise
    finally:
        if parser.ident is not None:  # started
            parser.join()
    if parser.error is not None:
        raise parser.error
    if writer is None:
        return Parsed(parser.table, parser.context, parser.within.firsts)
    report.rows = len(parser.table.records)
    return None
