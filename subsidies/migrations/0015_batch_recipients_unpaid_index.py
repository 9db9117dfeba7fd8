"""PaymentBatch.recipient_count (filled from each batch's payments) and the unpaid-payments index."""

from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('people', '0010_history_date_index'),
        ('subsidies', '0014_entitlement_sort_key'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name='paymentbatch',
            name='recipient_count',
            field=models.PositiveIntegerField(default=0, verbose_name='人数'),
        ),
        migrations.RunSQL(
            "UPDATE subsidies_paymentbatch SET recipient_count = (SELECT count(DISTINCT person_id)"
            " FROM subsidies_payment p WHERE p.batch_id = subsidies_paymentbatch.id"
            " AND NOT p.held)",
            migrations.RunSQL.noop,
        ),
        migrations.AddIndex(
            model_name='payment',
            index=models.Index(condition=models.Q(('status', 'paid'), _negated=True), fields=['batch', 'status'], include=('amount',), name='payment_batch_unpaid_idx'),
        ),
    ]
