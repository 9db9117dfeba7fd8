from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from dfed.notifications.backends import TemporaryError, locmem
from dfed.notifications.models import SmsAttempt, SmsMessage, segment_count
from dfed.notifications.services import (
    rate_limit_wait,
    sms_message_deliver,
    sms_message_queue,
    sms_message_resend,
    sms_opt_out_add,
    sms_requeue_stale,
)

pytestmark = pytest.mark.django_db


def queue(capture, **kwargs):
    defaults = {"phone": "13900001111", "body": "节日快乐", "purpose": "test", "key": "k1"}
    with capture(execute=True):
        return sms_message_queue(**{**defaults, **kwargs})


def test_sms_message_queue_sends_on_commit(django_capture_on_commit_callbacks, sms_outbox):
    with django_capture_on_commit_callbacks() as callbacks:
        message = sms_message_queue(phone="139 0000 1111", body="你好", purpose="t", key="a")
        assert sms_outbox == []  # nothing leaves before commit
    for callback in callbacks:
        callback()
    message.refresh_from_db()
    assert message.status == SmsMessage.Status.SENT
    assert message.phone == "13900001111"
    assert message.attempts == 1
    assert message.provider_message_id == f"locmem-{message.pk}"
    assert [m["phone"] for m in sms_outbox] == ["13900001111"]


def test_sms_message_queue_same_key_sends_once(django_capture_on_commit_callbacks, sms_outbox):
    first = queue(django_capture_on_commit_callbacks, key="same")
    second = queue(django_capture_on_commit_callbacks, key="same", body="别的内容")
    assert first.pk == second.pk
    assert SmsMessage.objects.count() == 1
    assert len(sms_outbox) == 1


@pytest.mark.parametrize("phone", ["1390000111", "23900001111", "12900001111", "abc"])
def test_sms_message_queue_rejects_bad_phone(phone):
    with pytest.raises(ValidationError, match="11位"):
        sms_message_queue(phone=phone, body="x", purpose="t", key="bad")
    assert not SmsMessage.objects.exists()


def test_sms_message_queue_rejects_too_long_body():
    with pytest.raises(ValidationError, match="过长"):
        sms_message_queue(phone="13900001111", body="字" * 501, purpose="t", key="long")


def test_segment_count_is_per_70_characters():
    assert segment_count("") == 1
    assert segment_count("字" * 70) == 1
    assert segment_count("字" * 71) == 2
    assert segment_count("字" * 141) == 3


def test_opted_out_phone_is_not_sent(django_capture_on_commit_callbacks, sms_outbox):
    sms_opt_out_add(phone="13900002222", reason="本人要求")
    message = queue(django_capture_on_commit_callbacks, phone="13900002222", key="o")
    assert message.status == SmsMessage.Status.OPTED_OUT
    assert sms_outbox == []


def test_opt_out_marks_queued_messages(sms_outbox):
    message = SmsMessage.objects.create(
        phone="13900003333", body="x", purpose="t", idempotency_key="q"
    )
    sms_opt_out_add(phone="13900003333")
    message.refresh_from_db()
    assert message.status == SmsMessage.Status.OPTED_OUT
    sms_message_deliver(message_id=message.pk)
    assert sms_outbox == []


def test_temporary_failures_are_retried_until_sent(django_capture_on_commit_callbacks, sms_outbox):
    locmem.failures.extend(
        ["temporary", TemporaryError("网关超时：timed out", maybe_delivered=True)]
    )
    message = queue(django_capture_on_commit_callbacks)
    message.refresh_from_db()
    assert message.status == SmsMessage.Status.SENT
    # the timeout may have reached the gateway: a lookup (an attempt of its own) comes first
    assert message.attempts == 4
    assert len(sms_outbox) == 1
    outcomes = list(message.attempt_log.values_list("outcome", flat=True))
    assert outcomes == ["retry", "retry", "lookup", "sent"]


def test_permanent_failure_is_final(django_capture_on_commit_callbacks, sms_outbox):
    locmem.failures.append("网关拒绝 HTTP 400：号码无效")
    message = queue(django_capture_on_commit_callbacks)
    message.refresh_from_db()
    assert message.status == SmsMessage.Status.FAILED
    assert message.attempts == 1
    assert "号码无效" in message.last_error
    assert sms_outbox == []


def test_temporary_failures_stop_at_the_limit(
    django_capture_on_commit_callbacks, sms_outbox, settings
):
    settings.SMS_MAX_ATTEMPTS = 3
    locmem.failures.extend(["temporary"] * 5)
    message = queue(django_capture_on_commit_callbacks)
    message.refresh_from_db()
    assert message.status == SmsMessage.Status.FAILED
    assert message.attempts == 3
    assert sms_outbox == []


def test_resend_failed_message(django_capture_on_commit_callbacks, sms_outbox):
    locmem.failures.append("permanent")
    message = queue(django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=True):
        sms_message_resend(message=message)
    message.refresh_from_db()
    assert message.status == SmsMessage.Status.SENT
    assert len(sms_outbox) == 1
    assert list(message.attempt_log.values_list("number", "outcome")) == [
        (1, "failed"),
        (2, "sent"),
    ]
    with pytest.raises(ValidationError):
        sms_message_resend(message=message)


def test_in_progress_message_is_looked_up_not_sent_again(sms_outbox):
    """A worker died after the gateway accepted the message: the next attempt finds it."""
    message = SmsMessage.objects.create(
        phone="13900004444",
        body="x",
        purpose="t",
        idempotency_key="crash",
        in_progress=True,
        attempts=1,
    )
    SmsAttempt.objects.create(message=message, number=1)
    sms_outbox.append({"id": "gw-1", "phone": message.phone, "body": "x", "key": "crash"})
    sms_message_deliver(message_id=message.pk)
    message.refresh_from_db()
    assert message.status == SmsMessage.Status.SENT
    assert message.provider_message_id == "gw-1"
    assert len(sms_outbox) == 1
    assert message.attempts == 2  # the lookup counts
    assert message.attempt_log.last().outcome == SmsAttempt.Outcome.RECOVERED


def test_in_progress_message_not_at_gateway_is_sent(sms_outbox):
    message = SmsMessage.objects.create(
        phone="13900004444", body="x", purpose="t", idempotency_key="lost", in_progress=True
    )
    sms_message_deliver(message_id=message.pk)
    message.refresh_from_db()
    assert message.status == SmsMessage.Status.SENT
    assert len(sms_outbox) == 1


def test_sent_message_is_not_sent_again(django_capture_on_commit_callbacks, sms_outbox):
    message = queue(django_capture_on_commit_callbacks)
    sms_message_deliver(message_id=message.pk)
    assert len(sms_outbox) == 1


def test_rate_limit_per_gateway(settings):
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    settings.SMS_RATE_LIMIT = "2/h"
    assert rate_limit_wait() == 0
    assert rate_limit_wait() == 0
    assert rate_limit_wait() > 0
    settings.SMS_BACKEND = "dfed.notifications.backends.file.SmsBackend"
    assert rate_limit_wait() == 0  # another gateway has its own budget


def test_requeue_stale_sends_messages_the_broker_lost(
    sms_outbox, django_capture_on_commit_callbacks
):
    message = SmsMessage.objects.create(
        phone="13900005555", body="x", purpose="t", idempotency_key="lost-in-broker"
    )
    # handed to the broker a moment ago: not yet stale
    SmsMessage.objects.filter(pk=message.pk).update(dispatched_at=timezone.now())
    assert sms_requeue_stale(older_than_seconds=60) == 0
    SmsMessage.objects.filter(pk=message.pk).update(
        updated_at=timezone.now() - timedelta(minutes=5),
        dispatched_at=timezone.now() - timedelta(minutes=5),
    )
    with django_capture_on_commit_callbacks(execute=True):
        assert sms_requeue_stale(older_than_seconds=60) == 1
    message.refresh_from_db()
    assert message.status == SmsMessage.Status.SENT
    assert len(sms_outbox) == 1
