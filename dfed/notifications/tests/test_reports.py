"""Delivery reports (回执) from the HTTP gateway: HMAC-signed, fresh, applied once."""

import json
import time

import pytest
from django.core.cache import cache
from django.urls import reverse

from dfed.notifications.backends.http import report_signature
from dfed.notifications.models import SmsMessage, SmsOptOut

from .factories import SmsMessageFactory

pytestmark = pytest.mark.django_db
SECRET = "gateway-shared-secret"
URL = "/notifications/gateway/reports/"


@pytest.fixture(autouse=True)
def secret(settings):
    settings.SMS_GATEWAY_CALLBACK_SECRET = SECRET
    cache.clear()


def post(client, payload, *, secret=SECRET, timestamp=None, signature=None):
    body = json.dumps(payload).encode()
    timestamp = str(int(time.time()) if timestamp is None else timestamp)
    signature = signature or report_signature(secret, timestamp, body)
    return client.post(
        URL,
        body,
        content_type="application/json",
        headers={"X-Sms-Timestamp": timestamp, "X-Sms-Signature": signature},
    )


def sent(key, provider_id):
    return SmsMessageFactory(
        idempotency_key=key, status=SmsMessage.Status.SENT, provider_message_id=provider_id
    )


def test_url_is_the_documented_one():
    assert reverse("notifications:gateway-reports") == URL


def test_signed_report_marks_delivered_and_failed_with_the_provider_code(client):
    ok, bad = sent("k1", "gw-1"), sent("k2", "gw-2")
    payload = {
        "reports": [
            {"id": "gw-1", "status": "delivered", "code": "DELIVRD"},
            {"ref": "k2", "status": "failed", "code": "UNDELIV"},
            {"id": "gw-unknown", "status": "delivered", "code": "DELIVRD"},
        ]
    }
    response = post(client, payload)
    assert response.status_code == 200
    assert response.json() == {"delivered": 1, "failed": 1, "unknown": 1, "opted_out": 0}
    ok.refresh_from_db()
    bad.refresh_from_db()
    assert (ok.status, ok.provider_code) == (SmsMessage.Status.DELIVERED, "DELIVRD")
    assert ok.delivered_at is not None
    assert (bad.status, bad.provider_code) == (SmsMessage.Status.FAILED, "UNDELIV")
    assert "UNDELIV" in bad.last_error
    # a later report for a message that has its receipt changes nothing
    post(client, {"reports": [{"id": "gw-1", "status": "failed", "code": "X"}]})
    ok.refresh_from_db()
    assert ok.status == SmsMessage.Status.DELIVERED


def test_bad_signature_is_rejected(client):
    message = sent("k1", "gw-1")
    payload = {"reports": [{"id": "gw-1", "status": "delivered", "code": "DELIVRD"}]}
    response = post(client, payload, secret="not-the-secret")
    assert response.status_code == 403
    assert "签名不正确" in response.json()["error"]
    assert post(client, payload, signature="00" * 32).status_code == 403
    message.refresh_from_db()
    assert message.status == SmsMessage.Status.SENT


def test_old_timestamp_is_rejected_as_a_replay(client):
    message = sent("k1", "gw-1")
    payload = {"reports": [{"id": "gw-1", "status": "delivered", "code": "DELIVRD"}]}
    response = post(client, payload, timestamp=int(time.time()) - 3600)
    assert response.status_code == 403
    assert "时间戳过期" in response.json()["error"]
    message.refresh_from_db()
    assert message.status == SmsMessage.Status.SENT


def test_the_same_request_twice_is_applied_once(client):
    sent("k1", "gw-1")
    payload = {"reports": [{"id": "gw-1", "status": "delivered", "code": "DELIVRD"}]}
    timestamp = int(time.time())
    assert post(client, payload, timestamp=timestamp).json()["delivered"] == 1
    assert post(client, payload, timestamp=timestamp).json() == {"duplicate": True}


def test_reports_refused_without_a_configured_secret(client, settings):
    settings.SMS_GATEWAY_CALLBACK_SECRET = ""
    response = post(client, {"reports": []})
    assert response.status_code == 403


def test_reply_td_opts_the_phone_out(client):
    queued = SmsMessageFactory(phone="13900009999", idempotency_key="q1")
    response = post(client, {"replies": [{"phone": "13900009999", "text": "td"}]})
    assert response.json()["opted_out"] == 1
    assert SmsOptOut.objects.filter(phone="13900009999").exists()
    queued.refresh_from_db()
    assert queued.status == SmsMessage.Status.OPTED_OUT


def test_outbox_shows_delivered_and_failed_counts(client, integrity_officer):
    sent("k1", "gw-1")
    sent("k2", "gw-2")
    post(
        client,
        {
            "reports": [
                {"id": "gw-1", "status": "delivered", "code": "DELIVRD"},
                {"id": "gw-2", "status": "failed", "code": "UNDELIV"},
            ]
        },
    )
    client.force_login(integrity_officer)
    page = client.get(reverse("notifications:message-list")).content.decode()
    assert '已送达 <span data-status="delivered">1</span>' in page
    assert '失败 <span data-status="failed">1</span>' in page
