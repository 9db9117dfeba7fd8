"""Schedule the monthly data comparison in django-celery-beat (the 1st, 06:00 Asia/Shanghai)."""

from django.db import migrations

from dfed.core.beat import BEAT_DEPENDENCY, beat_task_operation


class Migration(migrations.Migration):
    dependencies = [("subsidies", "0006_findings"), BEAT_DEPENDENCY]

    operations = [
        beat_task_operation(
            name="subsidies: 每月数据比对",
            task="subsidies.finding_compare",
            minute="0",
            hour="6",
            day_of_month="1",
        )
    ]
