import pytest
from django.urls import reverse

from dfed.notifications.models import SmsMessage
from dfed.notifications.services import sms_message_queue

pytestmark = pytest.mark.django_db


def test_outbox_shows_purposes_in_words(client, admin_user):
    sms_message_queue(phone="13800138000", body="节日提醒", purpose="integrity_reminder", key="k1")
    sms_message_queue(phone="13800138001", body="其他", purpose="unregistered_code", key="k2")
    client.force_login(admin_user)
    page = client.get(reverse("notifications:message-list")).content.decode()
    assert "节日廉洁提醒" in page
    assert ">integrity_reminder<" not in page  # (the filter's option values are codes)
    assert "unregistered_code" in page  # an unknown code is still shown as it is
    message = SmsMessage.objects.get(idempotency_key="k1")
    detail = client.get(reverse("notifications:message-detail", args=[message.pk]))
    assert "节日廉洁提醒" in detail.content.decode()


def test_admin_outbox_has_no_add_page(client, admin_user):
    client.force_login(admin_user)
    assert client.get(reverse("admin:notifications_smsmessage_changelist")).status_code == 200
    assert client.get(reverse("admin:notifications_smsmessage_add")).status_code == 403
