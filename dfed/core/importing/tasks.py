"""The older cache-held job runner, kept only for the external-list and bank-return importers
until they move onto ``dfed.imports`` (job records in the database, importers registered by
key). New importers register with ``dfed.imports.registry`` and never use this module.

A job lives in the cache (``progress.job_*``): the importer's dotted path, the stored file,
its keyword arguments, and after the run the report and where to go next."""

from importlib import import_module
from pathlib import Path

from celery import shared_task
from django.contrib.auth import get_user_model
from django.utils.translation import gettext as _

from .progress import job_get, job_progress, job_set
from .report import ImportReport


def _importer(dotted: str):
    module, name = dotted.rsplit(".", 1)
    return getattr(import_module(module), name)


@shared_task(name="dfed.core.importing.import_job_run")
def import_job_run(job: str) -> str:
    """Run the job's importer on its file; the report goes back into the job."""
    data = job_get(job)
    if data is None:
        return "missing"
    job_set(job, state="running", percent=0, message=_("开始……"))
    by = get_user_model().objects.filter(pk=data.get("user_id")).first()
    try:
        report: ImportReport = _importer(data["importer"])(
            source=data["path"],
            filename=data["filename"],
            by=by,
            progress=job_progress(job),
            **data.get("options", {}),
        )
    except Exception:
        job_set(job, state="failed", message=_("导入失败：系统错误，请联系管理员"))
        raise
    if report.written:  # the roster is in the database now; the upload is not kept
        Path(data["path"]).unlink(missing_ok=True)
    job_set(
        job,
        state="done",
        percent=100,
        message=report.summary(),
        report=report.to_dict(),
        redirect=data.get("next", ""),
    )
    return "done"
