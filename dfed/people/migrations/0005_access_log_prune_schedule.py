"""Schedule the daily access-log prune in django-celery-beat (03:10 Asia/Shanghai)."""

from django.db import migrations

from dfed.core.beat import BEAT_DEPENDENCY, beat_task_operation


class Migration(migrations.Migration):
    dependencies = [("people", "0004_access_log_kind_query_count"), BEAT_DEPENDENCY]

    operations = [
        beat_task_operation(
            name="people: 清理超过保存期限的敏感信息查看记录",
            task="dfed.people.tasks.sensitive_access_log_prune_task",
            minute="10",
            hour="3",
        )
    ]
