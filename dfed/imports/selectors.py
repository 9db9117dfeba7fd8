"""Reads of import jobs: one user's job of one importer, and how far it has got."""

from django.core.exceptions import ValidationError
from django.db.models import Count

from dfed.core.importing.progress import job_get

from .models import ImportJob, ImportRow


def import_job_get_own(*, pk, user, importer: str, **options) -> ImportJob | None:
    """The job ``pk`` of ``importer`` that ``user`` started, whose options include ``options``
    (e.g. ``batch=7``); None for anyone else's job, another importer's, or a malformed id."""
    filters = {f"options__{key}": value for key, value in options.items()}
    try:
        return ImportJob.objects.filter(
            pk=pk, created_by=user, importer=importer, **filters
        ).first()
    except (ValidationError, ValueError):
        return None


def import_job_confirmed(*, job: ImportJob) -> ImportJob | None:
    """The real run (not a dry run) already started from the same upload as ``job``, if any."""
    return (
        ImportJob.objects.filter(
            path=job.path, importer=job.importer, created_by=job.created_by_id, dry_run=False
        )
        .order_by("-created_at")
        .first()
    )


def import_job_status(*, job: ImportJob) -> dict:
    """``{filename, state, percent, message}`` of ``job``: its record once it has ended, else
    the live progress its task keeps in the cache (percent 0–100)."""
    finished = job.state in (ImportJob.State.DONE, ImportJob.State.FAILED)
    live = {} if finished else (job_get(str(job.pk)) or {})
    return {
        "filename": job.filename,
        "state": live.get("state", job.state),
        "percent": 100 if finished else live.get("percent", 0),
        "message": live.get("message", job.message) if live else job.message,
    }


def import_row_list(*, job: ImportJob, outcome: str | None = None):
    """The job's rows in row order, only those of ``outcome`` (an ``ImportRow.Outcome`` value)
    when given; an unknown outcome gives all rows."""
    rows = ImportRow.objects.filter(job=job).order_by("row")
    if outcome in ImportRow.Outcome.values:
        rows = rows.filter(outcome=outcome)
    return rows


def import_row_counts(*, job: ImportJob) -> dict[str, int]:
    """How many of the job's rows have each outcome (every ``ImportRow.Outcome`` value)."""
    counts = dict.fromkeys(ImportRow.Outcome.values, 0)
    for outcome, count in (
        ImportRow.objects.filter(job=job).values_list("outcome").annotate(n=Count("pk"))
    ):
        counts[outcome] = count
    return counts
