"""Sending one text through the gateway: locks, the rate limit, attempts and outcomes."""

import time
from contextlib import contextmanager

from django.core.cache import cache
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .. import conf
from ..backends import PermanentError, TemporaryError, get_backend
from ..models import SmsAttempt, SmsMessage, SmsOptOut
from .outbox import sms_outbox_dispatch

ADVISORY_NAMESPACE = 7215  # pg_advisory_lock(int, int): (namespace, message id)


@contextmanager
def _message_lock(message_id: int):
    """A session-level lock per message, released when the holder ends or its process dies."""
    if connection.vendor != "postgresql":
        yield True
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_lock(%s, %s)", [ADVISORY_NAMESPACE, message_id])
        got = cursor.fetchone()[0]
    try:
        yield got
    finally:
        if got:
            with connection.cursor() as cursor:
                cursor.execute(
                    "SELECT pg_advisory_unlock(%s, %s)", [ADVISORY_NAMESPACE, message_id]
                )


def rate_limit_wait() -> float:
    """Seconds to wait before the gateway may take another message (0: go now)."""
    count, seconds = conf.rate_limit()
    if count <= 0:
        return 0.0
    now = time.time()
    window = int(now // seconds)
    key = f"sms-rate:{conf.backend_path()}:{seconds}:{window}"
    cache.add(key, 0, timeout=seconds + 1)
    try:
        used = cache.incr(key)
    except ValueError:
        cache.add(key, 1, timeout=seconds + 1)
        used = 1
    if used <= count:
        return 0.0
    return (window + 1) * seconds - now + 0.01


class Outcome:
    DONE = "done"  # sent, failed for good, opted out, or nothing to do
    RETRY = "retry"  # temporary failure: try again later
    BUSY = "busy"  # another live worker holds this message


def _attempt_start(message_id: int, *, lookup: bool = False):
    """Count one attempt and commit it before the gateway is called."""
    with transaction.atomic():
        message = SmsMessage.objects.select_for_update().get(pk=message_id)
        message.attempts += 1
        fields = ["attempts", "updated_at"]
        if not lookup:
            message.in_progress = True
            fields.append("in_progress")
        message.save(update_fields=fields)
        attempt = SmsAttempt.objects.create(
            message=message,
            number=message.attempt_log.count() + 1,
            outcome=SmsAttempt.Outcome.LOOKUP if lookup else SmsAttempt.Outcome.STARTED,
        )
    return message, attempt


def sms_message_deliver(*, message_id: int) -> tuple[str, str]:
    """Hand one message to the backend at most once; return (outcome, detail).

    A message whose earlier attempt has no known outcome (worker killed, timeout) is looked up
    at the gateway first; the lookup counts as an attempt. At ``SMS_MAX_ATTEMPTS`` the message
    is 失败 with its last error, without calling the gateway again.
    """
    limit = conf.max_attempts()
    with _message_lock(message_id) as got:
        if not got:
            return Outcome.BUSY, ""
        with transaction.atomic():
            message = SmsMessage.objects.select_for_update().get(pk=message_id)
            if message.status != SmsMessage.Status.QUEUED:
                return Outcome.DONE, message.status
            if SmsOptOut.objects.filter(phone=message.phone).exists():
                message.status = SmsMessage.Status.OPTED_OUT
                message.save(update_fields=["status", "updated_at"])
                return Outcome.DONE, message.status
            if message.provider_message_id:  # accepted; the outcome was not recorded
                _finish(message, SmsMessage.Status.SENT, provider_id=message.provider_message_id)
                return Outcome.DONE, "recovered"
            if message.attempts >= limit:
                error = message.last_error or _("已达最多尝试次数（%(n)d 次）") % {"n": limit}
                _finish(
                    message, SmsMessage.Status.FAILED, error=error, in_doubt=message.in_progress
                )
                return Outcome.DONE, error
            in_doubt = message.in_progress
        backend = get_backend()
        if in_doubt:
            # An earlier attempt ended without a recorded outcome: ask the gateway first.
            message, attempt = _attempt_start(message_id, lookup=True)
            try:
                provider_id = backend.lookup(message)
            except TemporaryError as exc:
                final = message.attempts >= limit
                detail = _("查询网关失败：%(e)s") % {"e": exc}
                outcome = SmsAttempt.Outcome.FAILED if final else SmsAttempt.Outcome.RETRY
                _record(message, attempt, outcome, detail, final=final, in_doubt=True)
                return (Outcome.DONE if final else Outcome.RETRY), detail
            if provider_id:
                with transaction.atomic():
                    message = SmsMessage.objects.select_for_update().get(pk=message_id)
                    _finish(message, SmsMessage.Status.SENT, provider_id=provider_id)
                    attempt.outcome = SmsAttempt.Outcome.RECOVERED
                    attempt.detail = provider_id[:500]
                    attempt.save(update_fields=["outcome", "detail"])
                return Outcome.DONE, "recovered"
            final = message.attempts >= limit
            detail = _("上次发送中断，网关查无此短信")
            detail += (
                _("；已达最多尝试次数（%(n)d 次）") % {"n": limit} if final else _("，重新发送")
            )
            _record(
                message,
                attempt,
                SmsAttempt.Outcome.FAILED if final else SmsAttempt.Outcome.LOOKUP,
                detail,
                final=final,
            )
            if final:
                return Outcome.DONE, detail
        message, attempt = _attempt_start(message_id)
        # The attempt is committed: a crash from here on is detected on redelivery.
        try:
            provider_id = backend.send(message)
        except PermanentError as exc:
            _record(message, attempt, SmsAttempt.Outcome.FAILED, str(exc), final=True)
            return Outcome.DONE, str(exc)
        except TemporaryError as exc:
            final = message.attempts >= limit
            # A timeout may have reached the gateway: keep the message "in doubt" so the next
            # attempt looks it up first.
            outcome = SmsAttempt.Outcome.FAILED if final else SmsAttempt.Outcome.RETRY
            _record(message, attempt, outcome, str(exc), final=final, in_doubt=exc.maybe_delivered)
            return (Outcome.DONE if final else Outcome.RETRY), str(exc)
        with transaction.atomic():
            message = SmsMessage.objects.select_for_update().get(pk=message_id)
            if message.status == SmsMessage.Status.QUEUED:  # a receipt may have come first
                _finish(message, SmsMessage.Status.SENT, provider_id=provider_id)
            attempt.outcome = SmsAttempt.Outcome.SENT
            attempt.detail = provider_id[:500]
            attempt.save(update_fields=["outcome", "detail"])
        return Outcome.DONE, provider_id


def _finish(
    message, status, *, provider_id: str = "", error: str = "", in_doubt: bool = False
) -> None:
    message.status = status
    message.in_progress = in_doubt  # a failed message that may have arrived is looked up first
    fields = ["status", "in_progress", "updated_at"]
    if provider_id:
        message.provider_message_id = provider_id[:100]
        message.sent_at = timezone.now()
        fields += ["provider_message_id", "sent_at"]
    if error:
        message.last_error = error[:500]
        fields.append("last_error")
    message.save(update_fields=fields)


def _record(message, attempt, outcome, detail, *, final: bool, in_doubt: bool = False) -> None:
    with transaction.atomic():
        locked = SmsMessage.objects.select_for_update().get(pk=message.pk)
        if final:
            _finish(locked, SmsMessage.Status.FAILED, error=detail, in_doubt=in_doubt)
        else:
            locked.in_progress = in_doubt
            locked.last_error = detail[:500]
            locked.save(update_fields=["in_progress", "last_error", "updated_at"])
        attempt.outcome = outcome
        attempt.detail = detail[:500]
        attempt.save(update_fields=["outcome", "detail"])


def sms_requeue_stale(*, older_than_seconds: int | None = None) -> int:
    """The outbox sweep (run by beat every minute): see ``sms_outbox_dispatch``."""
    return sms_outbox_dispatch(older_than_seconds=older_than_seconds)
