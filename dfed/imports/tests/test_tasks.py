"""The engine's tasks: a job whose worker died is retried once, then marked failed; uploads are
deleted a retention period after their job ended; importers are looked up by key only."""

from datetime import timedelta

import pytest
from django.utils import timezone

from dfed.imports.models import ImportJob, ImportRow
from dfed.imports.registry import Importer, importer_get, importer_register
from dfed.imports.services import import_files_purge, import_job_begin, import_job_create
from dfed.imports.tasks import import_job_run

pytestmark = pytest.mark.django_db


def make_job(tmp_path, *, data=b"x", importer="recipients", **fields) -> ImportJob:
    from django.core.files.base import ContentFile

    from dfed.imports.services import import_upload_save

    upload = ContentFile(data, name="upload.xlsx")
    job = import_job_create(
        importer=importer,
        path=import_upload_save(upload=upload),
        filename="名册.xlsx",
        by=None,
        dry_run=True,
        options={"paid_through": "2025-06-01"},
    )
    ImportJob.objects.filter(pk=job.pk).update(**fields)
    job.refresh_from_db()
    return job


def test_import_job_run_after_a_lost_worker_retries_once_then_marks_failed(tmp_path):
    """Two deliveries began and never finished (the worker died in each): the third delivery
    of the message (acks_late + reject_on_worker_lost redeliver it) marks the job failed and
    does not start the file again."""
    job = make_job(tmp_path, state=ImportJob.State.RUNNING, attempts=2)

    assert import_job_run.run(str(job.pk)) == "skipped"

    job.refresh_from_db()
    assert job.state == ImportJob.State.FAILED
    assert job.attempts == 3
    assert "意外终止（已重试一次）" in job.message
    assert job.finished_at is not None


def test_import_job_run_after_one_lost_worker_runs_again(tmp_path, areas):
    from dfed.core.importing.testing import xlsx_bytes
    from subsidies.tests.test_importing import clean_rows

    job = make_job(tmp_path, data=xlsx_bytes(clean_rows()), state="running", attempts=1)

    assert import_job_run.run(str(job.pk)) == "done"

    job.refresh_from_db()
    assert (job.state, job.attempts, job.created, job.rejected) == ("done", 2, 4, 0)
    assert job.report["created"] == 4


def test_import_job_run_is_declared_late_acknowledged():
    assert import_job_run.acks_late is True
    assert import_job_run.reject_on_worker_lost is True


def test_worker_recycles_above_a_memory_ceiling(settings):
    from dfed.celery import app

    assert app.conf.worker_max_memory_per_child == settings.CELERY_WORKER_MAX_MEMORY_PER_CHILD
    assert settings.CELERY_WORKER_MAX_MEMORY_PER_CHILD > 0


def test_a_finished_job_is_not_run_again(tmp_path):
    job = make_job(tmp_path, state=ImportJob.State.DONE, attempts=1)
    assert import_job_begin(job_id=job.pk) is None
    job.refresh_from_db()
    assert (job.state, job.attempts) == ("done", 1)


def test_import_files_purge_deletes_uploads_past_the_retention_period(tmp_path, settings):
    from django.core.files.storage import default_storage

    settings.IMPORT_FILE_RETENTION_DAYS = 7
    now = timezone.now()
    old = make_job(tmp_path, state="done", finished_at=now - timedelta(days=8))
    recent = make_job(tmp_path, state="done", finished_at=now - timedelta(days=6))
    running = make_job(tmp_path, state="running")
    for job in (old, recent):
        ImportRow.objects.create(job=job, row=2, outcome="created", name="王芳", key="3301")

    assert import_files_purge(now=now) == 1
    assert list(ImportRow.objects.values_list("job", flat=True)) == [recent.pk]

    old.refresh_from_db()
    assert old.file_deleted_at == now
    assert not default_storage.exists(old.path)
    assert default_storage.exists(recent.path)
    assert default_storage.exists(running.path)
    assert old.report is None or old.report  # the record stays
    assert (
        ImportJob.objects.filter(pk__in=[recent.pk, running.pk], file_deleted_at=None).count() == 2
    )


def test_import_files_purge_is_scheduled_by_beat():
    from django_celery_beat.models import PeriodicTask

    assert PeriodicTask.objects.get(task="dfed.imports.tasks.import_files_purge").enabled


def test_importers_are_registered_by_key():
    from subsidies.importing import recipient_import

    assert importer_get("recipients").run is recipient_import
    with pytest.raises(KeyError):
        importer_get("subsidies.importing.recipient_import")
    with pytest.raises(ValueError, match="already registered"):
        importer_register(Importer(key="recipients", label="x", run=print))
