"""Schedule the monthly data comparison in django-celery-beat (the 1st, 06:00 Asia/Shanghai)."""

from django.db import migrations

MONTHLY = "subsidies: 每月数据比对"


def forwards(apps, schema_editor):
    CrontabSchedule = apps.get_model("django_celery_beat", "CrontabSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    crontab, _ = CrontabSchedule.objects.get_or_create(
        minute="0",
        hour="6",
        day_of_week="*",
        day_of_month="1",
        month_of_year="*",
        timezone="Asia/Shanghai",
    )
    PeriodicTask.objects.update_or_create(
        name=MONTHLY,
        defaults={
            "task": "subsidies.finding_compare",
            "crontab": crontab,
            "interval": None,
            "enabled": True,
        },
    )


def backwards(apps, schema_editor):
    apps.get_model("django_celery_beat", "PeriodicTask").objects.filter(name=MONTHLY).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("subsidies", "0006_findings"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
