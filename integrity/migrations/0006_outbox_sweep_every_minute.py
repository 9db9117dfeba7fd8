"""The outbox sweep enqueues rows the web process committed but did not hand to the broker:
run it every minute (it was every 10 minutes, for lost broker messages only)."""

from django.db import migrations

SWEEP_TASK = "dfed.notifications.tasks.sms_requeue_stale_task"


def every(minutes):
    def forwards(apps, schema_editor):
        IntervalSchedule = apps.get_model("django_celery_beat", "IntervalSchedule")
        PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
        interval, _ = IntervalSchedule.objects.get_or_create(every=minutes, period="minutes")
        PeriodicTask.objects.filter(task=SWEEP_TASK).update(interval=interval, crontab=None)

    return forwards


class Migration(migrations.Migration):
    # The beat entries were created by 0002 of this app.
    dependencies = [
        ("integrity", "0005_campaign_sent_label"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(every(1), every(10))]
