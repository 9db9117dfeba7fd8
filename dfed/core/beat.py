"""Periodic tasks in django-celery-beat's database scheduler, written by data migrations.

Every app that schedules a task does it in a migration, so a fresh database and a deployed one
get the same schedule and an admin can still change it in the admin afterwards. This module is
the one way to write such a migration; it uses the historical models (``apps.get_model``), so it
keeps working when django-celery-beat's current models change. Times are Asia/Shanghai.

    operations = [beat_task_operation(name="…", task="app.tasks.job", minute="15", hour="3")]
"""

from django.db import migrations

BEAT_DEPENDENCY = ("django_celery_beat", "0019_alter_periodictasks_options")
TIME_ZONE = "Asia/Shanghai"


def beat_task_schedule(
    apps,
    *,
    name: str,
    task: str,
    minute: str = "0",
    hour: str = "*",
    day_of_month: str = "*",
    every_minutes: int | None = None,
    description: str = "",
) -> None:
    """Create or update the periodic task ``name`` running ``task``: on a crontab
    (``minute``/``hour``/``day_of_month``, Asia/Shanghai) or, with ``every_minutes``, on an
    interval. ``apps`` is the migration's app registry."""
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    defaults = {"task": task, "enabled": True, "crontab": None, "interval": None}
    if description:
        defaults["description"] = description
    if every_minutes is not None:
        IntervalSchedule = apps.get_model("django_celery_beat", "IntervalSchedule")
        defaults["interval"], _ = IntervalSchedule.objects.get_or_create(
            every=every_minutes, period="minutes"
        )
    else:
        CrontabSchedule = apps.get_model("django_celery_beat", "CrontabSchedule")
        defaults["crontab"], _ = CrontabSchedule.objects.get_or_create(
            minute=minute,
            hour=hour,
            day_of_week="*",
            day_of_month=day_of_month,
            month_of_year="*",
            timezone=TIME_ZONE,
        )
    PeriodicTask.objects.update_or_create(name=name, defaults=defaults)


def beat_task_unschedule(apps, *names: str) -> None:
    """Delete the periodic tasks called ``names`` (the reverse of ``beat_task_schedule``)."""
    apps.get_model("django_celery_beat", "PeriodicTask").objects.filter(name__in=names).delete()


def beat_task_operation(*, name: str, task: str, **when) -> migrations.RunPython:
    """A reversible migration operation scheduling ``task`` as ``name``; ``when`` takes the
    keyword arguments of ``beat_task_schedule``. The migration must depend on
    ``BEAT_DEPENDENCY``."""

    def forwards(apps, schema_editor):
        beat_task_schedule(apps, name=name, task=task, **when)

    def backwards(apps, schema_editor):
        beat_task_unschedule(apps, name)

    return migrations.RunPython(forwards, backwards)
