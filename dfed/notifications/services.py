"""SMS outbox writes.

Invariants:
- every text is an ``SmsMessage`` row before anything is sent; ``idempotency_key`` is unique, so
  queueing the same key twice returns the existing row and sends nothing more;
- ``sms_send`` is enqueued only after the row's transaction commits, and takes the id;
- a message is handed to the gateway at most once: the attempt is marked in progress under a row
  lock (and a per-message advisory lock on PostgreSQL) before the gateway is called, and a message
  whose earlier attempt has no known outcome is looked up at the gateway before sending again;
- opted-out phones are never sent to (status 已退订).
"""

import time
from contextlib import contextmanager
from datetime import timedelta

from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from dfed.core.validators import normalize_phone

from . import conf
from .backends import PermanentError, TemporaryError, get_backend
from .models import MAX_BODY_LENGTH, SmsAttempt, SmsMessage, SmsOptOut

ADVISORY_NAMESPACE = 7215  # pg_advisory_lock(int, int): (namespace, message id)


def campaign_ref(campaign) -> str:
    if campaign is None:
        return ""
    if isinstance(campaign, str):
        return campaign
    return f"{campaign._meta.label_lower}:{campaign.pk}"


def _enqueue(message_id: int) -> None:
    from .tasks import sms_send

    queue = conf.queue_name()
    if queue:
        sms_send.apply_async((message_id,), queue=queue)
    else:
        sms_send.delay(message_id)


@transaction.atomic
def sms_message_queue(*, phone: str, body: str, purpose: str, key: str, campaign=None):
    """Create the outbox row (or return the existing one for ``key``) and send it on commit."""
    existing = SmsMessage.objects.filter(idempotency_key=key).first()
    if existing is not None:
        return existing
    phone = normalize_phone(phone)
    if len(body) > MAX_BODY_LENGTH:
        raise ValidationError(
            _("短信内容过长：%(n)d字，最多%(max)d字") % {"n": len(body), "max": MAX_BODY_LENGTH}
        )
    message = SmsMessage(phone=phone, body=body, purpose=purpose, idempotency_key=key)
    message.campaign = campaign_ref(campaign)
    if SmsOptOut.objects.filter(phone=phone).exists():
        message.status = SmsMessage.Status.OPTED_OUT
    message.full_clean()
    try:
        with transaction.atomic():
            message.save()
    except IntegrityError:  # a concurrent caller queued the same key first
        return SmsMessage.objects.get(idempotency_key=key)
    if message.status == SmsMessage.Status.QUEUED:
        transaction.on_commit(lambda: _enqueue(message.pk))
    return message


@transaction.atomic
def sms_message_resend(*, message: SmsMessage) -> SmsMessage:
    """Queue a failed message again (a fresh set of attempts)."""
    message = SmsMessage.objects.select_for_update().get(pk=message.pk)
    if message.status != SmsMessage.Status.FAILED:
        raise ValidationError(_("只有发送失败的短信可以重发"))
    if SmsOptOut.objects.filter(phone=message.phone).exists():
        raise ValidationError(_("该号码已退订，不能重发"))
    message.status = SmsMessage.Status.QUEUED
    message.attempts = 0
    message.last_error = ""
    message.save(update_fields=["status", "attempts", "last_error", "updated_at"])
    transaction.on_commit(lambda: _enqueue(message.pk))
    return message


@transaction.atomic
def sms_opt_out_add(*, phone: str, reason: str = "") -> SmsOptOut:
    """Add a phone to the opt-out list; its queued messages become 已退订."""
    phone = normalize_phone(phone)
    opt_out = SmsOptOut.objects.filter(phone=phone).first() or SmsOptOut(phone=phone)
    opt_out.reason = reason
    opt_out.full_clean()
    opt_out.save()
    SmsMessage.objects.filter(phone=phone, status=SmsMessage.Status.QUEUED).update(
        status=SmsMessage.Status.OPTED_OUT, updated_at=timezone.now()
    )
    return opt_out


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


def sms_message_deliver(*, message_id: int) -> tuple[str, str]:
    """Hand one message to the backend at most once; return (outcome, detail)."""
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
            backend = get_backend()
            if message.in_progress or message.provider_message_id:
                # An earlier attempt ended without a recorded outcome (worker killed, timeout):
                # ask the gateway before sending again.
                # A backend that cannot look up (console) answers None and the message is sent
                # again; a TemporaryError from the lookup rolls back and the task retries.
                provider_id = message.provider_message_id or backend.lookup(message)
                if provider_id:
                    _finish(message, SmsMessage.Status.SENT, provider_id=provider_id)
                    SmsAttempt.objects.filter(
                        message=message,
                        outcome__in=[SmsAttempt.Outcome.STARTED, SmsAttempt.Outcome.RETRY],
                    ).filter(number=message.attempt_log.count()).update(
                        outcome=SmsAttempt.Outcome.RECOVERED
                    )
                    return Outcome.DONE, "recovered"
            message.attempts += 1
            message.in_progress = True
            message.save(update_fields=["attempts", "in_progress", "updated_at"])
            attempt = SmsAttempt.objects.create(
                message=message, number=message.attempt_log.count() + 1
            )
        # The in-progress mark is committed: a crash from here on is detected on redelivery.
        try:
            provider_id = backend.send(message)
        except PermanentError as exc:
            _record(message, attempt, SmsAttempt.Outcome.FAILED, str(exc), final=True)
            return Outcome.DONE, str(exc)
        except TemporaryError as exc:
            final = message.attempts >= conf.max_attempts()
            # A timeout may have reached the gateway: keep the message "in doubt" so the next
            # attempt looks it up first.
            in_doubt = exc.maybe_delivered
            outcome = SmsAttempt.Outcome.FAILED if final else SmsAttempt.Outcome.RETRY
            _record(message, attempt, outcome, str(exc), final=final, in_doubt=in_doubt)
            return (Outcome.DONE if final else Outcome.RETRY), str(exc)
        with transaction.atomic():
            message = SmsMessage.objects.select_for_update().get(pk=message_id)
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
    """Enqueue again the queued messages nobody touched for a while.

    The broker can lose a message (the Redis transport drops one a worker had just taken when
    that worker is killed); the outbox row is the truth, so beat runs this sweep. A message
    enqueued twice is still sent once: sms_send checks the row first. Touching ``updated_at``
    keeps the next sweep from enqueueing the same rows again at once.
    """
    age = older_than_seconds if older_than_seconds is not None else conf.stale_seconds()
    now = timezone.now()
    with transaction.atomic():
        ids = list(
            SmsMessage.objects.select_for_update(skip_locked=True)
            .filter(status=SmsMessage.Status.QUEUED, updated_at__lt=now - timedelta(seconds=age))
            .values_list("pk", flat=True)[:5000]
        )
        SmsMessage.objects.filter(pk__in=ids).update(updated_at=now)
        for pk in ids:
            transaction.on_commit(lambda pk=pk: _enqueue(pk))
    return len(ids)
