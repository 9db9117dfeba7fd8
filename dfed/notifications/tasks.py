"""Celery tasks of the SMS pipeline: they take ids and call services."""

import time

from celery import shared_task

from . import conf
from .backends import TemporaryError
from .services import Outcome, rate_limit_wait, sms_message_deliver, sms_requeue_stale


@shared_task(bind=True, acks_late=True, reject_on_worker_lost=True, max_retries=None)
def sms_send(self, message_id: int) -> str:
    """Send one SmsMessage at most once; temporary failures retry with exponential backoff.

    Eager runs (tests, the embedded default) retry in a loop without waiting.
    """
    retries = self.request.retries or 0
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
            countdown = conf.retry_base_seconds() * (2 ** min(retries, 8))
            raise self.retry(countdown=countdown)
        retries += 1


@shared_task
def sms_requeue_stale_task() -> int:
    """Enqueue again queued messages whose broker message was lost (run by beat)."""
    return sms_requeue_stale()
