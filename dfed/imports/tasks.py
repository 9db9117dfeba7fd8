"""Celery tasks of the import engine: run a job (acknowledged late and rejected when its worker
is lost, so a crash redelivers it once, then ``import_job_begin`` marks it failed) and purge old
uploads (beat)."""

from celery import shared_task
from django.utils.translation import gettext as _

from dfed.core.importing.progress import job_progress, job_set

from .registry import importer_get
from .services import (
    import_files_purge,
    import_job_begin,
    import_job_fail,
    import_job_finish,
    import_upload_read,
)


@shared_task(name="dfed.imports.tasks.import_job_run", acks_late=True, reject_on_worker_lost=True)
def import_job_run(job_id: str) -> str:
    """Run the job's importer on its file; the report goes into the job record."""
    job = import_job_begin(job_id=job_id)
    if job is None:
        job_set(str(job_id), state="failed")
        return "skipped"
    key = str(job.pk)
    job_set(key, state="running", percent=0, message=_("开始……"), redirect="")
    try:
        report = importer_get(job.importer).run(
            source=import_upload_read(job=job),
            filename=job.filename,
            by=job.created_by,
            dry_run=job.dry_run,
            progress=job_progress(key),
            **job.options,
        )
    except Exception:
        import_job_fail(job=job, message=_("导入失败：系统错误，请联系管理员"))
        job_set(key, state="failed", message=_("导入失败：系统错误，请联系管理员"))
        raise
    import_job_finish(job=job, report=report)
    job_set(key, state="done", percent=100, message=report.summary())
    return "done"


@shared_task(name="dfed.imports.tasks.import_files_purge")
def import_files_purge_task() -> int:
    return import_files_purge()
