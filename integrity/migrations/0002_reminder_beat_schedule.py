"""Schedule the daily reminder check in django-celery-beat (08:30 Asia/Shanghai) and the SMS
outbox sweep (every 10 minutes)."""

from django.db import migrations

DAILY = "integrity: 节日廉洁提醒每日检查"
SWEEP = "notifications: 补发滞留短信"


def forwards(apps, schema_editor):
    CrontabSchedule = apps.get_model("django_celery_beat", "CrontabSchedule")
    IntervalSchedule = apps.get_model("django_celery_beat", "IntervalSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    crontab, _ = CrontabSchedule.objects.get_or_create(
        minute="30",
        hour="8",
        day_of_week="*",
        day_of_month="*",
        month_of_year="*",
        timezone="Asia/Shanghai",
    )
    PeriodicTask.objects.update_or_create(
        name=DAILY,
        defaults={
            "task": "integrity.tasks.reminder_campaigns_send_due_task",
            "crontab": crontab,
            "interval": None,
            "enabled": True,
        },
    )
    interval, _ = IntervalSchedule.objects.get_or_create(every=10, period="minutes")
    PeriodicTask.objects.update_or_create(
        name=SWEEP,
        defaults={
            "task": "dfed.notifications.tasks.sms_requeue_stale_task",
            "interval": interval,
            "crontab": None,
            "enabled": True,
        },
    )


def backwards(apps, schema_editor):
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    PeriodicTask.objects.filter(name__in=[DAILY, SWEEP]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("integrity", "0001_initial"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
