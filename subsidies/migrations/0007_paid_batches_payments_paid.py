"""Batches already 已发放 were paid in full by the bank: their payments become 已发放."""

from django.db import migrations
from django.db.models import OuterRef, Subquery


def paid_batches_payments_paid(apps, schema_editor):
    Payment = apps.get_model("subsidies", "Payment")
    PaymentBatch = apps.get_model("subsidies", "PaymentBatch")
    paid = PaymentBatch.objects.filter(status="paid")
    Payment.objects.filter(batch__in=paid.values("pk")).update(
        status="paid",
        result_at=Subquery(paid.filter(pk=OuterRef("batch_id")).values("paid_at")[:1]),
        result_by_id=Subquery(paid.filter(pk=OuterRef("batch_id")).values("paid_by_id")[:1]),
    )


class Migration(migrations.Migration):
    dependencies = [("subsidies", "0006_payment_bank_results")]

    operations = [
        migrations.RunPython(paid_batches_payments_paid, migrations.RunPython.noop),
    ]
