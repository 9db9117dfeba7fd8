"""Schedule the daily deletion of uploads past their retention period (03:15 Asia/Shanghai)."""

from django.db import migrations

from dfed.core.beat import BEAT_DEPENDENCY, beat_task_operation


class Migration(migrations.Migration):
    dependencies = [("imports", "0001_import_job"), BEAT_DEPENDENCY]

    operations = [
        beat_task_operation(
            name="imports: 删除过期的导入文件",
            task="dfed.imports.tasks.import_files_purge",
            minute="15",
            hour="3",
        )
    ]
