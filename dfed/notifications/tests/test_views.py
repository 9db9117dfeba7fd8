import pytest
from django.urls import reverse

from dfed.notifications.models import SmsMessage

from .factories import SmsMessageFactory

pytestmark = pytest.mark.django_db


def test_outbox_lists_messages_with_status_counts(client, integrity_officer):
    SmsMessageFactory.create_batch(2, status=SmsMessage.Status.SENT)
    SmsMessageFactory(status=SmsMessage.Status.FAILED, body="失败的一条", last_error="HTTP 400")
    client.force_login(integrity_officer)
    response = client.get(reverse("notifications:message-list"))
    assert response.status_code == 200
    counts = {v: n for v, _, n in response.context["status_counts"]}
    assert counts == {
        "queued": 0,
        "sending": 0,
        "sent": 2,
        "delivered": 0,
        "failed": 1,
        "opted_out": 0,
    }
    response = client.get(reverse("notifications:message-list"), {"status": "failed"})
    assert [m.body for m in response.context["object_list"]] == ["失败的一条"]


def test_outbox_is_closed_to_caseworkers(client, caseworker):
    client.force_login(caseworker)
    assert client.get(reverse("notifications:message-list")).status_code == 403


def test_resend_failed_message_from_detail(
    client, integrity_officer, sms_outbox, django_capture_on_commit_callbacks
):
    message = SmsMessageFactory(status=SmsMessage.Status.FAILED, attempts=1)
    client.force_login(integrity_officer)
    page = client.get(reverse("notifications:message-detail", args=[message.pk]))
    assert "重新发送" in page.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("notifications:message-resend", args=[message.pk]))
    assert response.status_code == 302
    message.refresh_from_db()
    assert message.status == SmsMessage.Status.SENT
    assert len(sms_outbox) == 1


def test_opt_out_page_adds_phone(client, integrity_officer):
    client.force_login(integrity_officer)
    response = client.post(reverse("notifications:optout-list"), {"phone": "13900009999"})
    assert response.status_code == 302
    response = client.post(reverse("notifications:optout-list"), {"phone": "123"})
    assert response.status_code == 400
    assert "11位" in response.content.decode()
