"""The frame every roster importer runs in: read, parse, check, write, all or nothing.

An importer supplies its spec, a ``check`` that stages the rows and appends row errors, and a
``write`` that applies the staged rows; ``roster_import_run`` does the rest, the same way for
every roster (recipients, people, home members, staff)."""

from collections.abc import Callable, Mapping

from django.db import transaction
from django.utils.translation import gettext as _

from .readers import open_rows
from .report import ImportFileError, ImportReport
from .spec import ImportSpec, ParsedTable, gc_paused
from .staging import staging_drop

Progress = Callable[[float, str], None]


def _no_progress(fraction: float, message: str = "") -> None:
    """The progress callback used when the caller gives none."""


def roster_import_run(
    *,
    spec: ImportSpec,
    source,
    filename: str = "",
    dry_run: bool = False,
    progress: Progress | None = None,
    check: Callable[[ParsedTable, ImportReport, Progress], None],
    write: Callable[[ImportReport], None],
    stage: str,
    extra: Mapping[str, object] | None = None,
    before: Callable[[], None] | None = None,
    parse_span: tuple[float, float] | None = (0.1, 0.5),
    parse_message: str = "",
) -> ImportReport:
    """Read ``source`` (a path, bytes or a binary file) with ``spec`` and, unless ``dry_run`` or
    any row is wrong, write it; returns the report.

    The shape, all in one transaction (with the cyclic garbage collector paused):

    1. ``before()`` (e.g. ``SET LOCAL`` settings), then progress 0.02 「正在读取文件……」;
    2. open the rows and ``spec.parse`` them; parse progress runs from ``parse_span[0]`` over
       ``parse_span[1]`` of the bar (``None``: parse reports no progress), announced at its start
       with ``parse_message`` when given. A file that cannot be read (``ImportFileError``) comes
       back with ``report.file_error`` set, the transaction rolled back, no further progress;
    3. the report gets the parse's warnings (sorted), ``skipped``, ``extra["header_row"]`` (after
       any ``extra`` given, in that order) and ``rows`` (the parsed records);
    4. ``check(table, report, progress)`` stages the rows in the table ``stage`` and appends row
       errors to ``table.errors`` (it may report progress between 0.1 and 0.8 and fill counts and
       outcomes in the report);
    5. when there is no error: progress 0.8 「正在写入……」 and ``write(report)`` — in a dry run
       too, so the preview is what the write does;
    6. ``stage`` is dropped; on any error or a dry run the whole transaction (the staging, the
       write, ``before``'s settings) is rolled back, else ``report.written`` is set;
       ``report.errors`` = the sorted errors; progress 1.0 「完成」.
    """
    progress = progress or _no_progress
    filename = filename or str(getattr(source, "name", source))
    report = ImportReport(filename=filename.rsplit("/", 1)[-1])
    report.extra.update(extra or {})
    with gc_paused(), transaction.atomic():
        if before is not None:
            before()
        progress(0.02, _("正在读取文件……"))
        try:
            rows = open_rows(source, name=filename)
            if parse_span is None:
                table = spec.parse(rows)
            else:
                start, share = parse_span
                if parse_message:
                    progress(start, parse_message)
                table = spec.parse(rows, progress=lambda f: progress(start + share * f, ""))
        except ImportFileError as exc:
            report.file_error = str(exc)
            transaction.set_rollback(True)
            return report
        report.warnings.extend(str(w) for w in sorted(table.warnings))
        report.skipped = table.skipped
        report.extra["header_row"] = table.header_row
        report.rows = len(table.records)
        errors = table.errors
        check(table, report, progress)
        if not errors:
            progress(0.8, _("正在写入……"))
            write(report)
        staging_drop(stage)
        if errors or dry_run:
            transaction.set_rollback(True)
        else:
            report.written = True
        report.errors = sorted(errors)
    progress(1.0, _("完成"))
    return report
