"""``recipient_import``: read, parse, check and (unless dry-run or any error) write a roster."""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from dfed.core.importing import ImportFileError, ImportReport
from dfed.core.importing import normalizers as n
from dfed.core.importing.readers import open_rows
from dfed.core.importing.spec import ParsedTable, gc_paused
from dfed.core.importing.staging import execute, staging_drop
from dfed.core.months import month_add, month_start

from .checks import (
    STAGE,
    Context,
    check_against_database,
    check_within_file,
    count_rows,
    stage_rows,
)
from .spec import RECIPIENT_SPEC
from .write import write_roster


@dataclass
class Parsed:
    """A parsed roster: its records, errors and the row numbers of each ID's first row."""

    table: ParsedTable
    context: Context
    firsts: set[int]


def default_paid_through(today: date | None = None) -> date:
    """The month before the import: the old process paid up to there."""
    return month_add(month_start(today or timezone.localdate()), -1)


def recipient_import(
    *,
    source,
    filename: str = "",
    paid_through: date | str | None = None,
    by=None,
    dry_run: bool = False,
    progress: Callable[[float, str], None] | None = None,
) -> ImportReport:
    """Check a recipient roster and, unless ``dry_run`` or any row is wrong, write it.

    ``source`` is a path, bytes or a binary file. Returns the report; a file that cannot be read
    comes back with ``file_error`` set and nothing written. One path: the file is staged,
    checked set-based and written with INSERT … SELECT; a dry run runs the same statements and
    rolls them back."""
    progress = progress or (lambda fraction, message="": None)
    filename = filename or str(getattr(source, "name", source))
    if isinstance(paid_through, str):
        paid_through = date.fromisoformat(paid_through)
    paid_through = month_start(paid_through) if paid_through else default_paid_through()
    report = ImportReport(filename=filename.rsplit("/", 1)[-1])
    report.extra["paid_through"] = paid_through.isoformat()
    with gc_paused(), transaction.atomic():
        if connection.vendor == "postgresql":
            # Compiling these large INSERT … SELECTs costs more than it saves (2× slower).
            execute("SET LOCAL jit = off")
        progress(0.02, _("正在读取文件……"))
        try:
            parsed = _parse(source, filename, report, progress)
        except ImportFileError as exc:
            report.file_error = str(exc)
            transaction.set_rollback(True)
            return report
        _check_and_write(
            parsed, report, paid_through=paid_through, by=by, dry_run=dry_run, progress=progress
        )
    progress(1.0, _("完成"))
    return report


def _parse(source, filename: str, report: ImportReport, progress) -> Parsed:
    rows = open_rows(source, name=filename)
    progress(0.1, _("正在逐行检查……"))
    table = RECIPIENT_SPEC.parse(rows, progress=lambda f: progress(0.1 + 0.4 * f, ""))
    report.warnings.extend(str(w) for w in sorted(table.warnings))
    report.skipped = table.skipped
    report.extra["header_row"] = table.header_row
    context = Context(report, table.errors, table.headers, table.order)
    return Parsed(table, context, check_within_file(table.records, context))


def _check_and_write(parsed: Parsed, report: ImportReport, *, paid_through, by, dry_run, progress):
    """The set-based path: stage the whole file, check it against the database, count, and
    write it when clean (inside the caller's transaction; rolled back otherwise)."""
    table, context = parsed.table, parsed.context
    report.rows = len(table.records)
    progress(0.5, _("正在与系统数据比对……"))
    stage_rows(table.records, parsed.firsts, context)
    del table.records[:]
    check_against_database(context, paid_through=paid_through)
    count_rows(context, paid_through=paid_through)
    if not context.errors:
        # The dry run executes the same writes and rolls them back: the preview is the result.
        progress(0.8, _("正在写入……"))
        write_roster(report=report, paid_through=paid_through, by=by)
    staging_drop(STAGE)
    if context.errors or dry_run:
        transaction.set_rollback(True)
    else:
        report.written = True
    report.errors = sorted(context.errors)


def parse_paid_through(value: str) -> date:
    """YYYY-MM (or any month format the roster accepts) → the first of that month."""
    return n.month(value)
