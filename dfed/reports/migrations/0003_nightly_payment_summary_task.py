"""Schedule the nightly rebuild of the subsidy summary table (Celery beat, database scheduler)."""

from django.db import migrations

from dfed.core.beat import BEAT_DEPENDENCY, beat_task_operation


class Migration(migrations.Migration):
    dependencies = [("reports", "0002_payment_summary"), BEAT_DEPENDENCY]

    operations = [
        beat_task_operation(
            name="统计报表：每晚重建补贴发放汇总",
            task="dfed.reports.tasks.payment_summary_refresh_all",
            minute="30",
            hour="2",
            description="每天 02:30 按已确认批次重建 reports_paymentsummary",
        )
    ]
