"""The family-code sweep: an index over matched challenges whose code is not sent yet, and the
beat entry that sends them every minute (when the hand-over to the broker was lost)."""

from django.db import migrations, models

from dfed.core.beat import BEAT_DEPENDENCY, beat_task_operation


class Migration(migrations.Migration):
    dependencies = [
        ("people", "0010_history_date_index"),
        ("subsidies", "0013_merge_20261201_0538"),
        BEAT_DEPENDENCY,
    ]

    operations = [
        migrations.AddIndex(
            model_name="servicechallenge",
            index=models.Index(
                condition=models.Q(("person__isnull", False), ("sent_at__isnull", True)),
                fields=["created_at"],
                name="challenge_unsent_idx",
            ),
        ),
        beat_task_operation(
            name="subsidies: 补发未送出的办事验证码",
            task="subsidies.service_codes_send_pending",
            every_minutes=1,
        ),
    ]
