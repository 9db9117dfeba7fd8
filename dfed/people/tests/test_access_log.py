"""The access log: one row per response that shows full identifiers, one test per kind."""

import io
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from django_celery_beat.models import PeriodicTask
from openpyxl import load_workbook

from dfed.people.models import SensitiveAccessLog
from dfed.people.services import sensitive_access_log_prune, sensitive_access_log_record

Kind = SensitiveAccessLog.Kind


@pytest.fixture
def person(areas, person_factory):
    return person_factory(community=areas["community_a1"], name="王小看")


def only_log():
    return SensitiveAccessLog.objects.get()


def test_detail_logs_with_client_address(client, reviewer, person):
    client.force_login(reviewer)
    client.get(reverse("people:person-detail", args=[person.pk]), REMOTE_ADDR="10.1.2.3")
    log = only_log()
    assert (log.user, log.person, log.kind, log.ip_address) == (
        reviewer,
        person,
        Kind.DETAIL,
        "10.1.2.3",
    )
    assert log.context == "people:person-detail"


def test_edit_form_logs(client, reviewer, person):
    client.force_login(reviewer)
    page = client.get(reverse("people:person-update", args=[person.pk])).content.decode()
    assert person.id_number in page
    log = only_log()
    assert (log.kind, log.person) == (Kind.EDIT, person)


def test_list_logs_filter_and_count(client, reviewer, person, person_factory):
    person_factory(name="别人")
    client.force_login(reviewer)
    client.get(reverse("people:person-list"), {"q": "王小看", "page": 1})
    log = only_log()
    assert (log.kind, log.person, log.count, log.query) == (
        Kind.LIST,
        None,
        1,
        "q=%E7%8E%8B%E5%B0%8F%E7%9C%8B",
    )


def test_export_logs_filter_and_count(client, reviewer, person, person_factory):
    person_factory(name="别人")
    client.force_login(reviewer)
    response = client.get(reverse("people:person-list"), {"export": "xlsx"})
    b"".join(response.streaming_content)
    log = only_log()
    assert (log.kind, log.count) == (Kind.EXPORT, 2)
    assert "export=xlsx" in log.query


def test_admin_change_and_list_log(client, admin_user, person):
    client.force_login(admin_user)
    page = client.get(reverse("admin:people_person_change", args=[person.pk])).content.decode()
    assert person.id_number in page
    assert only_log().kind == Kind.ADMIN
    SensitiveAccessLog.objects.all().delete()
    client.get(reverse("admin:people_person_changelist"))
    log = only_log()
    assert (log.kind, log.count) == (Kind.ADMIN, 1)


def test_masked_views_write_nothing(client, caseworker, person):
    client.force_login(caseworker)
    client.get(reverse("people:person-detail", args=[person.pk]))
    client.get(reverse("people:person-update", args=[person.pk]))
    client.get(reverse("people:person-list"))
    assert not SensitiveAccessLog.objects.exists()


def test_integrity_role_reads_filters_and_exports_the_log(
    client, reviewer, integrity_officer, person
):
    sensitive_access_log_record(user=reviewer, person=person, kind=Kind.DETAIL)
    sensitive_access_log_record(user=reviewer, kind=Kind.LIST, query="q=x", count=3)
    client.force_login(integrity_officer)
    url = reverse("people:accesslog-list")
    page = client.get(url, {"kind": "list"}).content.decode()
    assert "q=x" in page
    assert "王小看" not in page
    response = client.get(url, {"export": "xlsx"})
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    values = [c for row in sheet.iter_rows(values_only=True) for c in row]
    assert "王小看" in values
    assert "列表" in values


def test_prune_deletes_only_rows_past_retention(settings, reviewer, person):
    settings.ACCESS_LOG_RETENTION_MONTHS = 6
    old = sensitive_access_log_record(user=reviewer, person=person)
    kept = sensitive_access_log_record(user=reviewer, person=person)
    now = timezone.now()
    SensitiveAccessLog.objects.filter(pk=old.pk).update(viewed_at=now - timedelta(days=190))
    SensitiveAccessLog.objects.filter(pk=kept.pk).update(viewed_at=now - timedelta(days=170))
    assert sensitive_access_log_prune(now=now) == 1
    assert list(SensitiveAccessLog.objects.values_list("pk", flat=True)) == [kept.pk]
    assert PeriodicTask.objects.filter(
        task="dfed.people.tasks.sensitive_access_log_prune_task", enabled=True
    ).exists()


def test_sms_message_detail_logs_the_whole_phone(client, admin_user, integrity_officer):
    from dfed.notifications.models import SmsMessage

    message = SmsMessage.objects.create(
        phone="13800138000", body="测试", purpose="test", idempotency_key="log-detail"
    )
    client.force_login(admin_user)
    page = client.get(reverse("notifications:message-detail", args=[message.pk]))
    assert "13800138000" in page.content.decode()
    log = only_log()
    assert (log.kind, log.context, log.count) == (
        Kind.DETAIL,
        "notifications:message-detail",
        1,
    )


def test_integrity_role_sees_names_without_links_it_may_not_open(
    client, reviewer, integrity_officer, person
):
    sensitive_access_log_record(user=reviewer, person=person, kind=Kind.DETAIL)
    client.force_login(integrity_officer)
    page = client.get(reverse("people:accesslog-list")).content.decode()
    assert "王小看" in page
    detail = reverse("people:person-detail", args=[person.pk])
    assert f'href="{detail}"' not in page
    assert client.get(detail).status_code == 403
