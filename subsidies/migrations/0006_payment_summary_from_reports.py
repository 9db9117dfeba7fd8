"""PaymentSummary joins the subsidies state over the table reports 0004 renamed (no schema
change, rows kept), and the nightly refresh task is renamed to the subsidies task."""

import django.db.models.deletion
from django.db import migrations, models

OLD_TASK = "dfed.reports.tasks.payment_summary_refresh_all"
NEW_TASK = "subsidies.tasks.payment_summary_refresh_all"


def rename_task(old, new):
    def run(apps, schema_editor):
        PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
        PeriodicTask.objects.filter(task=old).update(task=new)

    return run


class Migration(migrations.Migration):
    dependencies = [
        ("people", "0001_initial"),
        ("subsidies", "0005_fewer_entitlement_indexes"),
        ("reports", "0004_payment_summary_to_subsidies"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="PaymentSummary",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                            ),
                        ),
                        ("month", models.DateField(verbose_name="发放月份")),
                        ("type", models.CharField(max_length=10, verbose_name="补贴类型")),
                        ("recipients", models.PositiveIntegerField(verbose_name="发放人数")),
                        ("payments", models.PositiveIntegerField(verbose_name="笔数")),
                        (
                            "amount",
                            models.DecimalField(
                                decimal_places=2, max_digits=14, verbose_name="金额（元）"
                            ),
                        ),
                        (
                            "arrears_amount",
                            models.DecimalField(
                                decimal_places=2,
                                default=0,
                                max_digits=14,
                                verbose_name="其中补发（元）",
                            ),
                        ),
                        ("refreshed_at", models.DateTimeField(verbose_name="刷新时间")),
                        (
                            "town",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="+",
                                to="people.area",
                                verbose_name="镇街道",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "补贴发放汇总",
                        "verbose_name_plural": "补贴发放汇总",
                        "ordering": ["month", "town_id", "type"],
                        "constraints": [
                            models.UniqueConstraint(
                                fields=("month", "town", "type"),
                                name="paymentsummary_one_per_month_town_type",
                            )
                        ],
                    },
                )
            ],
            database_operations=[],
        ),
        migrations.RunPython(rename_task(OLD_TASK, NEW_TASK), rename_task(NEW_TASK, OLD_TASK)),
    ]
