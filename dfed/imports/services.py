"""Writes of import jobs. Invariants: a job runs at most ``ImportJob.MAX_ATTEMPTS`` times (a
delivery after that marks it failed, so a file that kills its worker is not redelivered
forever); a finished job keeps its report; its upload is deleted once the retention period
after it ended has passed."""

import json
import uuid
from datetime import timedelta
from itertools import islice
from pathlib import Path

from django.conf import settings
from django.core.files.storage import default_storage
from django.db import connection, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from dfed.core.importing.progress import job_set
from dfed.core.importing.report import ImportReport

from .models import ImportJob, ImportRow
from .registry import importer_get


def retention_days() -> int:
    return getattr(settings, "IMPORT_FILE_RETENTION_DAYS", 7)


def import_upload_save(*, upload) -> str:
    """Store an uploaded file through the storage API (the filesystem by default, S3-compatible
    storage in production, so a worker on another host reads it); returns its storage name."""
    suffix = Path(upload.name or "").suffix.lower()
    return default_storage.save(f"imports/{uuid.uuid4().hex}{suffix}", upload)


def import_upload_read(*, job: ImportJob) -> bytes:
    """The bytes of the job's upload."""
    with default_storage.open(job.path, "rb") as handle:
        return handle.read()


def import_upload_exists(*, job: ImportJob) -> bool:
    return not job.file_deleted_at and bool(job.path) and default_storage.exists(job.path)


def import_job_create(
    *, importer: str, path: str, filename: str, by, dry_run: bool, options: dict, size: int = 0
) -> ImportJob:
    """A pending job for a registered importer (raises ``KeyError`` for an unknown one)."""
    importer_get(importer)
    return ImportJob.objects.create(
        importer=importer,
        path=path,
        filename=filename[:255],
        size=size,
        created_by=by,
        dry_run=dry_run,
        options=options,
        message=_("排队中……"),
    )


def import_job_start(
    *, importer: str, path: str, filename: str, by, dry_run: bool, options: dict, size: int = 0
) -> ImportJob:
    """Create a job (``import_job_create``) and queue ``import_job_run`` for it (run at once
    when Celery is eager); its progress starts as 排队中."""
    from .tasks import import_job_run  # the task module imports this one

    job = import_job_create(
        importer=importer,
        path=path,
        filename=filename,
        by=by,
        dry_run=dry_run,
        options=options,
        size=size,
    )
    job_set(str(job.pk), state="pending", percent=0, message=_("排队中……"), redirect="")
    import_job_run.delay(str(job.pk))
    return job


@transaction.atomic
def import_job_begin(*, job_id) -> ImportJob | None:
    """Count one more delivery of the job's task; None when the job must not run (gone,
    finished, or past its attempts: then it is marked failed with a message)."""
    job = ImportJob.objects.select_for_update().filter(pk=job_id).first()
    if job is None or job.state in (ImportJob.State.DONE, ImportJob.State.FAILED):
        return None
    job.attempts = F("attempts") + 1
    job.save(update_fields=["attempts"])
    job.refresh_from_db(fields=["attempts"])
    if job.attempts > ImportJob.MAX_ATTEMPTS:
        job.state = ImportJob.State.FAILED
        job.finished_at = timezone.now()
        job.message = _(
            "导入进程在处理该文件时意外终止（已重试一次），任务已停止：文件可能过大或已损坏，"
            "请检查文件（或按镇街道拆分）后重新上传"
        )
        job.save(update_fields=["state", "finished_at", "message"])
        return None
    job.state = ImportJob.State.RUNNING
    job.message = _("开始……")
    job.save(update_fields=["state", "message"])
    return job


def import_job_finish(*, job: ImportJob, report: ImportReport) -> ImportJob:
    job.state = ImportJob.State.DONE
    job.finished_at = timezone.now()
    job.message = report.summary()[:500]
    job.rows, job.created, job.updated = report.rows, report.created, report.updated
    job.unchanged, job.rejected, job.written = report.unchanged, report.rejected, report.written
    job.report = report.to_dict()
    job.save()
    import_rows_save(job=job, report=report)
    return job


ROWS_BATCH = 5000


@transaction.atomic
def import_rows_save(*, job: ImportJob, report: ImportReport) -> int:
    """Store every row of ``report`` (``ImportReport.row_entries``) as the job's ``ImportRow``
    records, replacing any it had; returns how many. On PostgreSQL the rows go in by one COPY
    (a 100k-row file's rows in well under a second, where creating 100k model instances took
    seconds); elsewhere by ``bulk_create`` in batches."""
    ImportRow.objects.filter(job=job).delete()
    entries = (
        (row, outcome, name[:100], key[:30], list(messages), [list(c) for c in changes])
        for row, outcome, name, key, messages, changes in report.row_entries()
    )
    if connection.vendor == "postgresql":
        return _rows_copy(job, entries)
    rows = (
        ImportRow(
            job=job,
            row=row,
            outcome=outcome,
            name=name,
            key=key,
            messages=messages,
            changes=changes,
        )
        for row, outcome, name, key, messages, changes in entries
    )
    count = 0
    while batch := list(islice(rows, ROWS_BATCH)):
        ImportRow.objects.bulk_create(batch)
        count += len(batch)
    return count


def _rows_copy(job: ImportJob, entries) -> int:
    meta = ImportRow._meta
    quote = connection.ops.quote_name
    columns = ", ".join(
        quote(meta.get_field(name).column)
        for name in ("job", "row", "outcome", "name", "key", "messages", "changes")
    )
    count = 0
    with connection.cursor() as cursor:
        sql = f"COPY {quote(meta.db_table)} ({columns}) FROM STDIN"
        with cursor.cursor.copy(sql) as copy:
            for row, outcome, name, key, messages, changes in entries:
                copy.write_row(
                    (
                        job.pk,
                        row,
                        outcome,
                        name,
                        key,
                        json.dumps(messages, ensure_ascii=False) if messages else "[]",
                        json.dumps(changes, ensure_ascii=False) if changes else "[]",
                    )
                )
                count += 1
    return count


def import_job_fail(*, job: ImportJob, message: str) -> ImportJob:
    job.state = ImportJob.State.FAILED
    job.finished_at = timezone.now()
    job.message = message[:500]
    job.save(update_fields=["state", "finished_at", "message"])
    return job


def import_files_purge(*, now=None) -> int:
    """Delete the uploads, and the stored preview rows, of jobs that ended more than the
    retention period ago; returns how many files were deleted. The job records (and their
    reports) stay."""
    now = now or timezone.now()
    cutoff = now - timedelta(days=retention_days())
    # The preview's rows carry names, ID numbers and changed identifiers: they go with the file.
    ImportRow.objects.filter(job__finished_at__lt=cutoff).delete()
    jobs = ImportJob.objects.filter(finished_at__lt=cutoff, file_deleted_at__isnull=True).exclude(
        path=""
    )
    count = 0
    for path in set(jobs.values_list("path", flat=True)):
        # A confirmed job reuses its preview's upload: keep it while a newer job still needs it.
        if ImportJob.objects.filter(path=path, finished_at__gte=cutoff).exists():
            continue
        if ImportJob.objects.filter(path=path, finished_at__isnull=True).exists():
            continue
        if default_storage.exists(path):
            default_storage.delete(path)
        ImportJob.objects.filter(path=path).update(file_deleted_at=now)
        count += 1
    return count
