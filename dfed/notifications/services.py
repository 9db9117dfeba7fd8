"""SMS outbox writes.

Invariants:
- every text is an ``SmsMessage`` row before anything is sent; ``idempotency_key`` is unique, so
  queueing the same key twice returns the existing row and sends nothing more;
- queueing never waits on the broker: the row is committed, then (with a broker) an in-process
  background dispatcher hands it over, and the outbox sweep (beat, every minute) enqueues every
  row not yet handed over or handed over long ago and still queued; ``sms_send`` takes the id;
- every message settles (已发送, 已送达, 失败 or 已退订) within ``SMS_MAX_ATTEMPTS`` attempts:
  an attempt is counted and committed before the gateway is called, so a worker killed during
  it (or a message that kills its worker) uses one up; a status lookup counts as one too; past
  the limit the message is 失败 with the last error and only a deliberate resend tries again;
- a message is handed to the gateway at most once: the attempt is marked in progress under a row
  lock (and a per-message advisory lock on PostgreSQL) before the gateway is called, and a message
  whose earlier attempt has no known outcome is looked up at the gateway before sending again;
- opted-out phones are never sent to (status 已退订).
"""

import logging
import queue as queue_module
import threading
import time
from contextlib import contextmanager
from datetime import timedelta

from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import IntegrityError, close_old_connections, connection, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from dfed.core.validators import normalize_phone

from . import conf
from .backends import PermanentError, TemporaryError, get_backend
from .models import MAX_BODY_LENGTH, SmsAttempt, SmsMessage, SmsOptOut

ADVISORY_NAMESPACE = 7215  # pg_advisory_lock(int, int): (namespace, message id)
logger = logging.getLogger(__name__)


def campaign_ref(campaign) -> str:
    if campaign is None:
        return ""
    if isinstance(campaign, str):
        return campaign
    return f"{campaign._meta.label_lower}:{campaign.pk}"


def _publish(message_id: int) -> None:
    """Hand one id to the broker; raise at once (no retry loop) when it is unreachable."""
    from .tasks import sms_send

    options = {"retry": False}
    queue = conf.queue_name()
    if queue:
        options["queue"] = queue
    sms_send.apply_async((message_id,), **options)


def _eager() -> bool:
    from celery import current_app

    return bool(current_app.conf.task_always_eager)


class _Dispatcher:
    """One daemon thread per process that hands committed rows to the broker, so the request or
    task that queued them never waits on it. Ids it cannot hand over stay for the sweep."""

    def __init__(self):
        self.ids: queue_module.Queue = queue_module.Queue()
        self.thread = None
        self.lock = threading.Lock()
        self.down_until = 0.0

    def submit(self, ids: list[int]) -> None:
        self.ids.put(list(ids))
        with self.lock:
            if self.thread is None or not self.thread.is_alive():
                self.thread = threading.Thread(target=self._run, name="sms-dispatcher", daemon=True)
                self.thread.start()

    def _run(self) -> None:
        while True:
            batches = [self.ids.get()]
            while True:  # take every batch waiting: one pass, one broker failure at most
                try:
                    batches.append(self.ids.get_nowait())
                except queue_module.Empty:
                    break
            ids = [pk for batch in batches for pk in batch]
            try:
                # While the broker is known to be down, leave them to the sweep.
                up = time.monotonic() >= self.down_until
                if up and ids and not sms_outbox_dispatch(ids=ids):
                    self.down_until = time.monotonic() + 10  # broker down: back off
            except Exception:  # never let the thread die: the sweep catches up
                logger.exception("SMS dispatcher: could not hand %d messages over", len(ids))
            finally:
                close_old_connections()
                connection.close()
                for _batch in batches:
                    self.ids.task_done()

    def wait(self) -> None:
        """Block until every submitted batch was handled (tests)."""
        self.ids.join()


dispatcher = _Dispatcher()


def _kick(ids: list[int]) -> None:
    """After commit: send at once in eager mode (the embedded default), else hand the ids to the
    background dispatcher."""
    if not ids:
        return
    if _eager():
        for message_id in ids:
            _publish(message_id)
    else:
        dispatcher.submit(ids)


def sms_outbox_dispatch(
    *, ids: list[int] | None = None, older_than_seconds: int | None = None, limit: int = 5000
) -> int:
    """Enqueue ``sms_send`` for queued messages; return how many were handed to the broker.

    With ``ids``: those of them still queued. Without: the sweep — rows never handed over,
    and rows handed over more than ``older_than_seconds`` (default ``SMS_STALE_SECONDS``) ago
    that nothing touched since (the broker lost them, e.g. with a killed worker). Stops at the
    first broker error (logged, not raised): what is left stays for the next sweep. A message
    enqueued twice is still sent once (``sms_send`` checks the row under a lock).
    """
    now = timezone.now()
    rows = SmsMessage.objects.filter(status=SmsMessage.Status.QUEUED)
    if ids is not None:
        rows = rows.filter(pk__in=ids)
    else:
        age = older_than_seconds if older_than_seconds is not None else conf.stale_seconds()
        cutoff = now - timedelta(seconds=age)
        rows = rows.filter(
            Q(dispatched_at__isnull=True) | Q(dispatched_at__lt=cutoff, updated_at__lt=cutoff)
        )
    pks = list(rows.order_by("pk").values_list("pk", flat=True)[:limit])
    handed: list[int] = []
    try:
        for pk in pks:
            _publish(pk)
            handed.append(pk)
    except Exception as exc:  # noqa: BLE001 - any broker failure: leave the rest for the sweep
        logger.warning(
            "SMS outbox: broker unavailable after %d of %d: %s", len(handed), len(pks), exc
        )
    for start in range(0, len(handed), 1000):
        SmsMessage.objects.filter(pk__in=handed[start : start + 1000]).update(dispatched_at=now)
    return len(handed)


@transaction.atomic
def sms_message_queue(*, phone: str, body: str, purpose: str, key: str, campaign=None):
    """Create the outbox row (or return the existing one for ``key``) and send it on commit.

    Raises: ValidationError if the body is longer than ``MAX_BODY_LENGTH`` characters or the
    phone is not a valid mainland mobile."""
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
        transaction.on_commit(lambda: _kick([message.pk]))
    return message


@transaction.atomic
def sms_message_resend(*, message: SmsMessage) -> SmsMessage:
    """Queue a failed message again, deliberately (a fresh set of attempts; a message that may
    have reached the gateway is looked up before it is sent again).

    Raises: ValidationError if the message has not failed or the number has opted out."""
    message = SmsMessage.objects.select_for_update().get(pk=message.pk)
    if message.status != SmsMessage.Status.FAILED:
        raise ValidationError(_("只有发送失败的短信可以重发"))
    if SmsOptOut.objects.filter(phone=message.phone).exists():
        raise ValidationError(_("该号码已退订，不能重发"))
    message.status = SmsMessage.Status.QUEUED
    message.attempts = 0
    message.last_error = ""
    message.dispatched_at = None
    message.save(update_fields=["status", "attempts", "last_error", "dispatched_at", "updated_at"])
    transaction.on_commit(lambda: _kick([message.pk]))
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


OPT_OUT_WORDS = {"TD", "T", "N", "0000", "退订", "退定"}


@transaction.atomic
def sms_delivery_reports_apply(*, reports: list[dict], replies: list[dict] = ()) -> dict:
    """Apply the gateway's delivery reports and replies; return counts
    ``{"delivered", "failed", "unknown", "opted_out"}``.

    A report names a message by provider id or by our ref (idempotency key) and marks a sent
    (or in-flight) message 已送达 or 失败 with the provider's code; a message that already has
    its receipt is left alone, so a repeated report changes nothing. A reply of TD/退订 puts the
    phone on the opt-out list (its queued texts become 已退订).
    """
    counts = {"delivered": 0, "failed": 0, "unknown": 0, "opted_out": 0}
    now = timezone.now()
    for report in reports:
        lookup = Q(provider_message_id=report["id"]) if report["id"] else Q(pk__in=[])
        if report["ref"]:
            lookup |= Q(idempotency_key=report["ref"])
        message = SmsMessage.objects.select_for_update().filter(lookup).first()
        if message is None:
            counts["unknown"] += 1
            continue
        if message.status not in (SmsMessage.Status.SENT, SmsMessage.Status.QUEUED):
            continue
        message.provider_code = report["code"]
        message.in_progress = False
        fields = ["status", "provider_code", "in_progress", "updated_at"]
        if report["id"] and not message.provider_message_id:
            message.provider_message_id = report["id"][:100]
            fields.append("provider_message_id")
        if report["delivered"]:
            message.status = SmsMessage.Status.DELIVERED
            message.delivered_at = now
            fields.append("delivered_at")
            counts["delivered"] += 1
        else:
            message.status = SmsMessage.Status.FAILED
            message.last_error = _("网关回执：未送达（%(code)s）") % {"code": report["code"]}
            fields.append("last_error")
            counts["failed"] += 1
        message.save(update_fields=fields)
    for reply in replies:
        if reply["text"].strip().upper() in OPT_OUT_WORDS:
            sms_opt_out_add(
                phone=reply["phone"], reason=_("短信回复退订：%(t)s") % {"t": reply["text"]}
            )
            counts["opted_out"] += 1
    return counts
