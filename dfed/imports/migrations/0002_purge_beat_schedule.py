"""Schedule the daily deletion of uploads past their retention period (03:15 Asia/Shanghai)."""

from django.db import migrations

PURGE = "imports: 删除过期的导入文件"


def forwards(apps, schema_editor):
    CrontabSchedule = apps.get_model("django_celery_beat", "CrontabSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    crontab, _ = CrontabSchedule.objects.get_or_create(
        minute="15",
        hour="3",
        day_of_week="*",
        day_of_month="*",
        month_of_year="*",
        timezone="Asia/Shanghai",
    )
    PeriodicTask.objects.update_or_create(
        name=PURGE,
        defaults={
            "task": "dfed.imports.tasks.import_files_purge",
            "crontab": crontab,
            "interval": None,
            "enabled": True,
        },
    )


def backwards(apps, schema_editor):
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    PeriodicTask.objects.filter(name=PURGE).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("imports", "0001_import_job"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
