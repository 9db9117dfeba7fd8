"""Every message settles within SMS_MAX_ATTEMPTS; the outbox sweep hands rows to the broker."""

import pytest

from dfed.notifications.backends import BaseSmsBackend, TemporaryError
from dfed.notifications.models import SmsMessage
from dfed.notifications.purposes import purpose_label
from dfed.notifications.services import (
    sms_message_deliver,
    sms_message_resend,
    sms_outbox_dispatch,
)
from dfed.notifications.tasks import sms_send

pytestmark = pytest.mark.django_db

CALLS: list[str] = []


class WorkerKiller(BaseSmsBackend):
    """A message whose sending kills the worker process (simulated by SystemExit)."""

    def send(self, message):
        CALLS.append("send")
        raise SystemExit("worker killed")


class LookupDown(BaseSmsBackend):
    """The gateway's status lookup always fails."""

    def send(self, message):
        CALLS.append("send")
        raise TemporaryError("网关超时", maybe_delivered=True)

    def lookup(self, message):
        CALLS.append("lookup")
        raise TemporaryError("网关错误 HTTP 502")


@pytest.fixture(autouse=True)
def calls():
    CALLS.clear()
    yield CALLS
    CALLS.clear()


def make(key="m1", **fields):
    return SmsMessage.objects.create(
        phone="13900001234", body="节日快乐", purpose="sms_test", idempotency_key=key, **fields
    )


def test_a_message_that_kills_its_worker_fails_after_the_limit(settings):
    settings.SMS_BACKEND = f"{__name__}.WorkerKiller"
    settings.SMS_MAX_ATTEMPTS = 4
    message = make()
    for _redelivery in range(10):  # the broker redelivers it after each crash
        try:
            sms_message_deliver(message_id=message.pk)
        except SystemExit:
            continue
    message.refresh_from_db()
    assert message.status == SmsMessage.Status.FAILED
    assert message.attempts == 4
    assert CALLS.count("send") <= 4
    assert "已达最多尝试次数" in message.last_error


def test_a_failing_status_lookup_counts_and_ends_in_failed_with_the_last_error(settings):
    settings.SMS_BACKEND = f"{__name__}.LookupDown"
    settings.SMS_MAX_ATTEMPTS = 5
    message = make()
    result = sms_send.delay(message.pk).get()  # eager: retries in a loop until settled
    message.refresh_from_db()
    assert result.startswith("done:")
    assert message.status == SmsMessage.Status.FAILED
    assert message.attempts == 5
    assert CALLS == ["send", "lookup", "lookup", "lookup", "lookup"]
    assert message.last_error == "查询网关失败：网关错误 HTTP 502"
    assert list(message.attempt_log.values_list("outcome", flat=True)) == [
        "retry",
        "retry",
        "retry",
        "retry",
        "failed",
    ]


def test_officer_may_resend_a_failed_message_deliberately(settings, sms_outbox):
    settings.SMS_BACKEND = f"{__name__}.LookupDown"
    settings.SMS_MAX_ATTEMPTS = 2
    message = make()
    sms_send.delay(message.pk).get()
    message.refresh_from_db()
    assert message.status == SmsMessage.Status.FAILED
    settings.SMS_BACKEND = "dfed.notifications.backends.locmem.SmsBackend"
    sms_message_resend(message=message)
    sms_message_deliver(message_id=message.pk)
    message.refresh_from_db()
    assert message.status == SmsMessage.Status.SENT
    assert len(sms_outbox) == 1


def test_sweep_enqueues_rows_never_handed_to_the_broker(sms_outbox):
    first, second = make("a"), make("b")
    make("c", status=SmsMessage.Status.SENT)
    assert sms_outbox_dispatch() == 2
    assert {m["key"] for m in sms_outbox} == {"a", "b"}
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.status == second.status == SmsMessage.Status.SENT
    assert first.dispatched_at is not None
    assert sms_outbox_dispatch() == 0


def test_sweep_stops_quietly_when_the_broker_is_unreachable(settings, monkeypatch):
    from dfed.notifications.services import outbox

    def unreachable(message_id):
        raise ConnectionRefusedError("Error 111 connecting to 127.0.0.1:1. Connection refused.")

    monkeypatch.setattr(outbox, "_publish", unreachable)
    make("a")
    assert sms_outbox_dispatch() == 0
    assert SmsMessage.objects.get().dispatched_at is None


def test_purposes_have_chinese_labels():
    assert purpose_label("integrity_reminder") == "节日廉洁提醒"
    assert purpose_label("sms_test") == "测试短信"
    assert purpose_label("family_code") == "家属查询验证码"
    assert purpose_label("unknown_code") == "unknown_code"
