"""Signals other apps (reports) listen to, so that subsidies never imports them.

``payment_batch_confirmed`` is sent by :func:`subsidies.services.payment_batch_confirm` inside its
transaction, after the batch is saved as 已确认; kwargs: ``batch`` (PaymentBatch), ``by`` (User).
Receivers that enqueue work should use ``transaction.on_commit`` / ``task.delay_on_commit``.
"""

from django.dispatch import Signal

# sender=PaymentBatch; kwargs: batch, by
payment_batch_confirmed = Signal()
