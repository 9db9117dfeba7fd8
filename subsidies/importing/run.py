"""``recipient_import``: read, parse, check and (unless dry-run or any error) write a roster."""

from datetime import date

from django.db import connection
from django.utils import timezone
from django.utils.translation import gettext as _

from dfed.core.importing import ImportReport, ParsedTable
from dfed.core.importing import normalizers as n
from dfed.core.importing.run import Progress, roster_import_run
from dfed.core.importing.staging import execute
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


def default_paid_through(today: date | None = None) -> date:
    """The month before the import: the old process paid up to there."""
    return month_add(month_start(today or timezone.localdate()), -1)


def _jit_off() -> None:
    if connection.vendor == "postgresql":
        # Compiling these large INSERT … SELECTs costs more than it saves (2× slower).
        execute("SET LOCAL jit = off")


def recipient_import(
    *,
    source,
    filename: str = "",
    paid_through: date | str | None = None,
    by=None,
    dry_run: bool = False,
    progress: Progress | None = None,
) -> ImportReport:
    """Check a recipient roster and, unless ``dry_run`` or any row is wrong, write it.

    ``source`` is a path, bytes or a binary file. Returns the report; a file that cannot be read
    comes back with ``file_error`` set and nothing written. One path: the file is staged,
    checked set-based and written with INSERT … SELECT; a dry run runs the same statements and
    rolls them back."""
    if isinstance(paid_through, str):
        paid_through = date.fromisoformat(paid_through)
    paid_through = month_start(paid_through) if paid_through else default_paid_through()

    def check(table: ParsedTable, report: ImportReport, progress: Progress) -> None:
        """The set-based path: check within the file, stage the whole file, check it against
        the database and count (inside the frame's transaction)."""
        context = Context(report, table.errors, table.headers, table.order)
        firsts = check_within_file(table.records, context)
        progress(0.5, _("正在与系统数据比对……"))
        stage_rows(table.records, firsts, context)
        del table.records[:]
        check_against_database(context, paid_through=paid_through)
        count_rows(context, paid_through=paid_through)

    return roster_import_run(
        spec=RECIPIENT_SPEC,
        source=source,
        filename=filename,
        dry_run=dry_run,
        progress=progress,
        check=check,
        write=lambda report: write_roster(report=report, paid_through=paid_through, by=by),
        stage=STAGE,
        extra={"paid_through": paid_through.isoformat()},
        before=_jit_off,
        parse_span=(0.1, 0.4),
        parse_message=_("正在逐行检查……"),
    )


def parse_paid_through(value: str) -> date:
    """YYYY-MM (or any month format the roster accepts) → the first of that month."""
    return n.month(value)
