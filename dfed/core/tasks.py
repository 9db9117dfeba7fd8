"""Celery discovers tasks in ``<app>.tasks``: the import machinery's task lives here for it."""

from dfed.core.importing.tasks import import_job_run

__all__ = ["import_job_run"]
