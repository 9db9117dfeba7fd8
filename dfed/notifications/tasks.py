"""Celery tasks of the SMS pipeline: they take ids and call services."""

import time

from celery import shared_task

from . import conf
from .backends import TemporaryError
from .models import SmsMessage
from .services import Outcome, rate_limit_wait, sms_message_deliver, sms_requeue_stale


@shared_task(bind=True, acks_late=True, reject_on_worker_lost=True, max_retries=None)
def sms_send(self, message_id: int) -> str:
    """Send one SmsMessage at most once; temporary failures retry with exponential backoff.

    Eager runs (tests, the embedded default) retry in a loop without waiting.
    """
    while True:
        wait = rate_limit_wait()
        if wait > 0:
            if not self.request.is_eager:
                raise self.retry(countdown=wait)
            time.sleep(wait)
        try:
            outcome, detail = sms_message_deliver(message_id=message_id)
        except TemporaryError as exc:
            outcome, detail = Outcome.RETRY, str(exc)
        if outcome != Outcome.RETRY:
            return f"{outcome}:{detail}"
        if not self.request.is_eager:
            # Back off by the message's failed attempts (rate-limit waits do not count).
            attempts = SmsMessage.objects.filter(pk=message_id).values_list("attempts", flat=True)
            exponent = min(max((attempts.first() or 1) - 1, 0), 8)
            raise self.retry(countdown=conf.retry_base_seconds() * 2**exponent)


@shared_task
def sms_requeue_stale_task() -> int:
    """Enqueue again queued messages whose broker message was lost (run by beat)."""
    return sms_requeue_stale()
