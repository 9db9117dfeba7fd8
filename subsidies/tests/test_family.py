"""The family service (/service/): verification by SMS code, abuse limits, status, online apply."""

import re
from datetime import date, timedelta

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import TestCase
from django.urls import reverse
from django.utils import timezone

from dfed.notifications.models import SmsMessage
from dfed.people.tests.factories import make_id
from subsidies.models import Application, ServiceChallenge, ServiceLog, SubsidyType
from subsidies.selectors import application_list_drafts_of
from subsidies.services import (
    application_approve,
    application_submit,
    application_town_approve,
    payment_batch_generate,
)
from subsidies.services.family import digest
from subsidies.tests.factories import PDF_BYTES, PNG_BYTES
from subsidies.views.family import VERIFIED_COOKIE

OWN, GUARDIAN = "13800138000", "13900139000"


@pytest.fixture(autouse=True)
def _fresh_limits(db):
    cache.clear()  # rate-limit counters live in the cache (this worktree's own Redis database)
    yield
    cache.clear()


@pytest.fixture
def family(person_factory, areas, rates):
    return person_factory(
        name="张小明", community=areas["community_a1"], phone=OWN, guardian_phone=GUARDIAN
    )


def ask(client, id_number, phone, next_page="status"):
    """Request a code; the sending task runs on commit, as after a real request."""
    with TestCase.captureOnCommitCallbacks(execute=True):
        return client.post(
            f"{reverse('service:verify')}?next={next_page}",
            {"id_number": id_number, "phone": phone},
        )


def last_code() -> str:
    message = SmsMessage.objects.filter(purpose="family_code").order_by("-pk").first()
    return re.search(r"验证码(\d{6})", message.body).group(1)


def verify(client, code, next_page="status"):
    return client.post(f"{reverse('service:code')}?next={next_page}", {"code": code})


def sign_in(client, person, phone=OWN):
    ask(client, person.id_number, phone)
    response = verify(client, last_code())
    assert response.status_code == 302, response.content.decode()
    return response


def files(**overrides):
    uploads = {
        "id_card": SimpleUploadedFile("sfz.jpg", b"\xff\xd8\xff" + b"0" * 64),
        "hukou": SimpleUploadedFile("hukou.png", PNG_BYTES),
        "certificate": SimpleUploadedFile("zheng.pdf", PDF_BYTES),
    }
    uploads.update(overrides)
    return {k: v for k, v in uploads.items() if v is not None}


# --- verification -------------------------------------------------------------------------------


@pytest.mark.parametrize("phone", [OWN, GUARDIAN])
def test_service_code_goes_to_phone_on_file_and_opens_status(client, family, phone):
    response = ask(client, family.id_number, phone)
    assert response.status_code == 302
    message = SmsMessage.objects.get(purpose="family_code")
    assert message.phone == phone
    challenge = ServiceChallenge.objects.get()
    assert challenge.person == family
    assert last_code() not in challenge.code_hash  # stored hashed only
    response = verify(client, last_code())
    assert response.url == reverse("service:status")
    page = client.get(reverse("service:status")).content.decode()
    assert "张小明" in page
    assert family.id_number not in page  # masked even after verification


def _code_page(client) -> str:
    html = client.get(f"{reverse('service:code')}?next=status").content.decode()
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", html)


def test_service_unknown_id_or_wrong_phone_answers_the_same(client, family):
    from django.test import Client

    answers = []
    for id_number, phone in [
        (family.id_number, OWN),  # registered, phone on file
        (make_id(), OWN),  # not registered
        (family.id_number, "13700137000"),  # registered, other phone
    ]:
        other = Client()
        response = ask(other, id_number, phone)
        answers.append((response.status_code, response.url, _code_page(other)))
    assert answers[0] == answers[1] == answers[2]
    assert SmsMessage.objects.filter(purpose="family_code").count() == 1
    assert ServiceChallenge.objects.count() == 3  # the same row for every request
    assert ServiceLog.objects.filter(action="request").count() == 3
    assert not ServiceLog.objects.filter(id_digest=family.id_number).exists()


def test_service_wrong_code_for_unknown_id_says_the_same_as_for_known(client, family):
    from django.test import Client

    texts = []
    for id_number in (family.id_number, make_id()):
        other = Client()
        ask(other, id_number, OWN)
        texts.append(verify(other, "000000").content.decode().count("验证码不正确，还可以再试4次"))
    assert texts == [1, 1]


@pytest.mark.parametrize(
    ("scope", "limit", "vary"),
    [("id", 3, "phone"), ("phone", 5, "id"), ("ip", 20, "both")],
)
def test_service_code_requests_are_rate_limited(client, family, scope, limit, vary):
    phones = [f"1350000{n:04d}" for n in range(limit + 1)]
    ids = [make_id() for _ in range(limit + 1)]
    for n in range(limit + 1):
        id_number = family.id_number if vary == "phone" else ids[n]
        phone = OWN if vary == "id" else phones[n]
        response = ask(client, id_number, phone)
    assert response.status_code == 400
    assert "获取验证码太频繁" in response.content.decode()
    assert ServiceChallenge.objects.count() == limit
    assert ServiceLog.objects.filter(action="rate_limited", detail__contains=scope).exists()


def test_service_five_wrong_codes_lock_the_id_for_30_minutes(client, family):
    ask(client, family.id_number, OWN)
    code = last_code()
    for n in range(4):
        assert f"还可以再试{4 - n}次" in verify(client, "111111").content.decode()
    response = verify(client, "111111")
    assert "请30分钟后再试" in response.content.decode()
    assert "请30分钟后再试" in verify(client, code).content.decode()  # even the right code
    response = ask(client, family.id_number, OWN)  # and a new code is refused too
    assert "请30分钟后再试" in response.content.decode()
    assert SmsMessage.objects.filter(purpose="family_code").count() == 1
    challenge = ServiceChallenge.objects.get()
    assert challenge.locked_until - timezone.now() > timedelta(minutes=29)
    # After 30 minutes a new code works.
    ServiceChallenge.objects.update(locked_until=timezone.now() - timedelta(seconds=1))
    cache.clear()
    sign_in(client, family)


def test_service_code_expires_after_10_minutes(client, family):
    ask(client, family.id_number, OWN)
    ServiceChallenge.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    response = verify(client, last_code())
    assert response.status_code == 400
    assert "验证码已过期" in response.content.decode()
    assert VERIFIED_COOKIE not in response.cookies


def test_service_code_is_single_use(client, family):
    from django.test import Client

    ask(client, family.id_number, OWN)
    code = last_code()
    pending = client.cookies["dfed_service_pending"].value
    assert verify(client, code).status_code == 302
    replay = Client()
    replay.cookies["dfed_service_pending"] = pending
    response = verify(replay, code)
    assert "这个验证码已经用过" in response.content.decode()
    assert VERIFIED_COOKIE not in response.cookies


@pytest.mark.parametrize("url_name", ["service:status", "service:apply"])
def test_service_nothing_shown_without_the_code(client, family, url_name):
    ask(client, family.id_number, OWN)  # a code was sent but not typed
    response = client.get(reverse(url_name))
    assert response.status_code == 302
    assert response.url.startswith(reverse("service:verify"))
    client.cookies[VERIFIED_COOKIE] = str(ServiceChallenge.objects.get().pk)  # unsigned: forged
    response = client.get(reverse(url_name))
    assert response.status_code == 302
    assert "张小明" not in client.get(response.url).content.decode()


def test_service_receipt_of_someone_else_is_not_found(client, family, person_factory, areas):
    other = person_factory(community=areas["community_a1"], phone="13600136000")
    sign_in(client, other, phone="13600136000")
    Application.objects.create(
        person=family,
        type=SubsidyType.LIVING,
        channel="online",
        reference="WB20990101000001",
        consent_at=timezone.now(),
    )
    assert client.get(reverse("service:receipt", args=["WB20990101000001"])).status_code == 404


def test_service_visit_ends_after_15_minutes_idle(client, family, settings):
    sign_in(client, family)
    settings.FAMILY_IDLE_SECONDS = 0
    response = client.get(reverse("service:status"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("service:verify"))


def test_service_end_closes_the_visit_for_good(client, family):
    sign_in(client, family)
    cookie = client.cookies[VERIFIED_COOKIE].value
    client.post(reverse("service:end"))
    client.cookies[VERIFIED_COOKIE] = cookie  # a copy of the old key opens nothing
    assert client.get(reverse("service:status")).status_code == 302
    assert ServiceLog.objects.filter(action="end", person=family).exists()


def test_service_logs_every_step_without_raw_values(client, family):
    sign_in(client, family)
    client.get(reverse("service:status"))
    actions = set(ServiceLog.objects.values_list("action", flat=True))
    assert {"request", "code_sent", "verify_ok", "view"} <= actions
    assert set(ServiceLog.objects.exclude(id_digest="").values_list("id_digest", flat=True)) == {
        digest("id", family.id_number)
    }


# --- status ----------------------------------------------------------------------------------


def test_service_status_shows_timeline_amount_and_payments(
    client, family, caseworker, town_reviewer, reviewer
):
    from subsidies.services import application_create, application_reject

    living = application_create(person=family, type=SubsidyType.LIVING, by=caseworker)
    care = application_create(person=family, type=SubsidyType.CARE, by=caseworker)
    for application in (living, care):
        application_submit(application=application, by=caseworker)
        application_town_approve(application=application, by=town_reviewer)
    application_approve(application=living, by=reviewer, approved_from=date(2025, 3, 1))
    application_reject(application=care, by=reviewer, comment="残疾等级为三级，不符合护理补贴")
    payment_batch_generate(month=date(2025, 4, 1))
    sign_in(client, family)
    page = client.get(reverse("service:status")).content.decode()
    assert "已批准" in page
    assert "从2025年3月起发放" in page
    assert "残疾等级为三级，不符合护理补贴" in page
    assert 'data-testid="monthly-amount">300.00<' in page
    assert "2025-03" in page
    assert "补发" in page
    assert "2025-04" in page
    assert "6228**********7890" in page  # the account, masked
    assert "622848001234567890" not in page


# --- SMS at every step, once per event -------------------------------------------------------


def test_service_sms_once_per_event(family, caseworker, town_reviewer, reviewer):
    from subsidies.services import (
        application_create,
        application_return,
        entitlement_end,
        entitlement_suspend,
    )

    application = application_create(person=family, type=SubsidyType.LIVING, by=caseworker)
    application_submit(application=application, by=caseworker)
    application_return(application=application, by=town_reviewer, comment="请补充户口本")
    application_submit(application=application, by=caseworker)  # received: not again
    application_return(application=application, by=town_reviewer, comment="户口本不清晰")
    application_submit(application=application, by=caseworker)
    application_town_approve(application=application, by=town_reviewer)
    entitlement = application_approve(application=application, by=reviewer)
    entitlement_suspend(entitlement=entitlement, by=town_reviewer, note="年审未到")
    from subsidies.services import entitlement_resume

    entitlement_resume(entitlement=entitlement, by=town_reviewer)
    entitlement_end(
        entitlement=entitlement, by=town_reviewer, reason="moved", end_month=date(2026, 1, 1)
    )
    bodies = list(
        SmsMessage.objects.filter(purpose="subsidy_notice")
        .order_by("pk")
        .values_list("phone", "body")
    )
    assert {phone for phone, _ in bodies} == {OWN}
    texts = [body for _, body in bodies]
    assert len(texts) == 6, texts
    assert "已收到" in texts[0]
    assert "请补充户口本" in texts[1]
    assert "户口本不清晰" in texts[2]
    assert "已批准" in texts[3]
    assert "月起按月发放" in texts[3]
    assert "暂停发放" in texts[4]
    assert "年审未到" in texts[4]
    assert "12385" in texts[4]
    entitlement.refresh_from_db()
    ended = entitlement.end_month
    assert f"{ended.year}年{ended.month}月后停止发放" in texts[5]
    assert "迁出" in texts[5]


def test_service_sms_goes_to_guardian_when_no_own_mobile(
    family, caseworker, town_reviewer, reviewer
):
    from subsidies.services import application_create, application_reject

    family.phone = "0571-88001234"
    family.save()
    application = application_create(person=family, type=SubsidyType.LIVING, by=caseworker)
    application_submit(application=application, by=caseworker)
    application_town_approve(application=application, by=town_reviewer)
    application_reject(application=application, by=reviewer, comment="家庭收入超过低保标准")
    rejected = SmsMessage.objects.get(idempotency_key=f"subsidy-app-rejected-{application.pk}")
    assert rejected.phone == GUARDIAN
    assert "家庭收入超过低保标准" in rejected.body


# --- online application ------------------------------------------------------------------------


def test_service_online_application_lands_in_town_queue(
    client, family, caseworker, make_user, town_b
):
    from dfed.accounts.roles import Role

    sign_in(client, family, phone=GUARDIAN)
    page = client.get(reverse("service:apply")).content.decode()
    assert page.count("可以申请") == 2  # 低保, level 2: both subsidies
    response = client.post(
        reverse("service:apply"),
        {"type": "living", "reason": "家里困难", "consent": "on", **files()},
    )
    assert response.status_code == 302, response.content.decode()
    application = Application.objects.get(person=family)
    assert response.url == reverse("service:receipt", args=[application.reference])
    assert application.channel == "online"
    assert application.status == "draft"
    assert application.created_by is None
    assert application.consent_at is not None
    assert "比对" in application.consent_text
    assert sorted(application.attachments.values_list("kind", flat=True)) == [
        "certificate",
        "hukou",
        "id_card",
    ]
    receipt = client.get(response.url).content.decode()
    assert application.reference in receipt
    assert "打印回执" in receipt
    received = SmsMessage.objects.get(idempotency_key=f"subsidy-app-received-{application.pk}")
    assert application.reference in received.body
    assert ServiceLog.objects.filter(action="apply", person=family).exists()
    # The town's caseworker finds it among the drafts; another town's does not.
    assert application in application_list_drafts_of(caseworker)
    other = make_user("cw_b", Role.CASEWORKER, towns=[town_b])
    assert application not in application_list_drafts_of(other)
    application_submit(application=application, by=caseworker)
    application.refresh_from_db()
    assert application.created_by == caseworker
    assert application.status == "town_review"
    assert SmsMessage.objects.filter(purpose="subsidy_notice").count() == 1  # received once


def test_service_online_application_explains_ineligibility_and_writes_nothing(client, family):
    family.level = 3
    family.save()
    sign_in(client, family)
    assert "现在不能申请" in client.get(reverse("service:apply")).content.decode()
    response = client.post(reverse("service:apply"), {"type": "care", "consent": "on", **files()})
    assert response.status_code == 400
    assert "护理补贴须为一级或二级残疾（当前：三级）" in response.content.decode()
    assert not Application.objects.exists()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"consent": ""}, "需要您同意数据比对"),
        ({"certificate": None}, "请上传残疾人证的照片或PDF"),
        ({"hukou": SimpleUploadedFile("hukou.exe", b"MZ")}, "只能上传"),
        ({"id_card": SimpleUploadedFile("sfz.pdf", b"not a pdf")}, "文件内容与扩展名不符"),
    ],
)
def test_service_online_application_checks_consent_and_files(client, family, data, message):
    sign_in(client, family)
    form = {"type": "living", "consent": "on", **files()}
    for key, value in data.items():
        if value is None:
            form.pop(key)
        else:
            form[key] = value
    response = client.post(reverse("service:apply"), form)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Application.objects.exists()
    assert not SmsMessage.objects.filter(purpose="subsidy_notice").exists()


def test_service_pages_have_no_staff_navigation_and_switch_to_english(client, family):
    page = client.get(reverse("service:home")).content.decode()
    assert "主导航" not in page
    assert "工作台" not in page
    assert 'name="language" value="en"' in page


def test_service_client_address_behind_trusted_proxy(rf, settings):
    from subsidies.views.family import client_ip

    request = rf.get("/", HTTP_X_FORWARDED_FOR="6.6.6.6, 10.1.2.3", REMOTE_ADDR="10.0.0.1")
    assert client_ip(request) == "10.0.0.1"  # no proxy trusted: the header is ignored
    settings.TRUSTED_PROXY_HOPS = 1
    assert client_ip(request) == "10.1.2.3"  # the spoofed left-hand entry is not used


# --- a code whose hand-over to the broker was lost ----------------------------------------------


def _unused_port() -> int:
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def broker_down():
    """This process's Celery app, not eager, pointed at a port where nothing listens."""
    from dfed.celery import app

    def point(url):
        app.conf.broker_url = url
        app._pool = None
        app.amqp._producer_pool = None

    eager, broker = app.conf.task_always_eager, app.conf.broker_url
    app.conf.task_always_eager = False
    point(f"redis://127.0.0.1:{_unused_port()}/0")
    yield
    point(broker)
    app.conf.task_always_eager = eager


def test_service_code_lost_by_the_broker_is_sent_by_the_sweep(client, family, broker_down):
    from subsidies.services.family import service_codes_send_pending

    response = ask(client, family.id_number, OWN)
    assert response.status_code == 302  # the family is not shown an error
    challenge = ServiceChallenge.objects.get()
    assert challenge.person == family
    assert challenge.sent_at is None
    assert not SmsMessage.objects.filter(purpose="family_code").exists()

    assert service_codes_send_pending() == 0  # younger than 30 s: the worker may still send it
    ServiceChallenge.objects.update(created_at=timezone.now() - timedelta(seconds=31))
    assert service_codes_send_pending() == 1
    assert service_codes_send_pending() == 0  # once only
    message = SmsMessage.objects.get(purpose="family_code")
    assert message.phone == OWN
    challenge.refresh_from_db()
    assert challenge.sent_at is not None


def test_service_code_sweep_leaves_unmatched_and_expired_requests(client, family, broker_down):
    from subsidies.services.family import service_codes_send_pending

    ask(client, family.id_number, "13700137000")  # a phone not on file: nobody to text
    ask(client, make_id(), OWN)  # nobody registered under this ID
    ServiceChallenge.objects.update(created_at=timezone.now() - timedelta(seconds=31))
    ask(client, family.id_number, OWN)
    ServiceChallenge.objects.filter(person=family).update(
        created_at=timezone.now() - timedelta(minutes=11),
        expires_at=timezone.now() - timedelta(minutes=1),
    )
    assert service_codes_send_pending() == 0
    assert not SmsMessage.objects.filter(purpose="family_code").exists()
