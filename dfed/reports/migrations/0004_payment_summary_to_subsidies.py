"""PaymentSummary, a subsidies aggregate, moves to the subsidies app: its table is renamed to
subsidies_paymentsummary (rows kept) and the model leaves the reports state; subsidies 0006
adds it to the subsidies state."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("reports", "0003_nightly_payment_summary_task")]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[
                migrations.AlterModelTable(name="paymentsummary", table="subsidies_paymentsummary")
            ],
            state_operations=[migrations.DeleteModel(name="PaymentSummary")],
        )
    ]
