"""Queueing texts and handing them to the broker: the outbox, its dispatcher and sweep."""

import logging
import queue as queue_module
import threading
import time
from datetime import timedelta

from django.core.exceptions import ValidationError
from django.db import IntegrityError, close_old_connections, connection, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from dfed.core.validators import normalize_phone

from .. import conf
from ..models import MAX_BODY_LENGTH, SmsMessage, SmsOptOut

logger = logging.getLogger(__name__)


def campaign_ref(campaign) -> str:
    if campaign is None:
        return ""
    if isinstance(campaign, str):
        return campaign
    return f"{campaign._meta.label_lower}:{campaign.pk}"


def _publish(message_id: int) -> None:
    """Hand one id to the broker; raise at once (no retry loop) when it is unreachable."""
    from ..tasks import sms_send

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
