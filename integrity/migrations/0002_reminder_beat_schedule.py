"""Schedule the daily reminder check in django-celery-beat (08:30 Asia/Shanghai) and the SMS
outbox sweep (every 10 minutes)."""

from django.db import migrations

from dfed.core.beat import BEAT_DEPENDENCY, beat_task_operation


class Migration(migrations.Migration):
    dependencies = [("integrity", "0001_initial"), BEAT_DEPENDENCY]

    operations = [
        beat_task_operation(
            name="integrity: 节日廉洁提醒每日检查",
            task="integrity.tasks.reminder_campaigns_send_due_task",
            minute="30",
            hour="8",
        ),
        beat_task_operation(
            name="notifications: 补发滞留短信",
            task="dfed.notifications.tasks.sms_requeue_stale_task",
            every_minutes=10,
        ),
    ]
