"""The SMS pipeline on real Redis with a real Celery worker process (not eager).

500 messages go through a fake HTTP gateway on 127.0.0.1 that answers 503 to about 10% of
requests; the worker is killed with SIGKILL mid-run and started again. Afterwards every message
is 已发送 and the gateway's own log holds each message exactly once: 0 lost, 0 duplicates, 0 left
unsettled after the sweep.

A campaign queued while the broker is unreachable (the app pointed at an unused port; the shared
Redis is never stopped) returns at once without error; once the broker is back, the outbox sweep
hands the rows over and every text is sent once.
"""

import contextlib
import json
import os
import random
import signal
import socket
import subprocess
import sys
import threading
import time
import uuid
from collections import Counter
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlparse

import pytest
from django.conf import settings
from django.db import connection

from dfed.notifications.models import SmsAttempt, SmsMessage
from dfed.notifications.services import (
    dispatcher,
    sms_message_queue,
    sms_outbox_dispatch,
    sms_requeue_stale,
)

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]

ROOT = Path(__file__).resolve().parents[2]
MESSAGES = int(os.environ.get("SMS_IT_MESSAGES", "500"))
FAILURE_RATE = 0.10


class FakeGateway:
    """Accepts JSON posts, fails ~10% with 503, logs every accepted message's ref."""

    def __init__(self):
        self.accepted: list[str] = []
        self.ids: dict[str, str] = {}
        self.failures = 0
        self.lock = threading.Lock()
        self.random = random.Random(20260214)
        gateway = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def _answer(self, status, payload):
                body = json.dumps(payload).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def do_POST(self):
                payload = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                with gateway.lock:
                    if gateway.random.random() < FAILURE_RATE:
                        gateway.failures += 1
                        status, answer = 503, {"error": "busy"}
                    else:
                        gateway.accepted.append(payload["ref"])
                        provider_id = f"gw-{len(gateway.accepted)}"
                        gateway.ids.setdefault(payload["ref"], provider_id)
                        status, answer = 200, {"id": provider_id}
                # The gateway takes a while to answer after accepting: a kill in this window
                # leaves messages the gateway has but the outbox does not know were sent.
                time.sleep(0.03)
                self._answer(status, answer)

            def do_GET(self):
                ref = parse_qs(urlparse(self.path).query).get("ref", [""])[0]
                with gateway.lock:
                    provider_id = gateway.ids.get(ref)
                if provider_id:
                    self._answer(200, {"id": provider_id})
                else:
                    self._answer(404, {"error": "unknown"})

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}/sms"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()


def require_redis() -> None:
    ci = os.environ.get("CI", "").lower() in ("1", "true", "yes")
    problem = None
    if not settings.REDIS_URL:
        problem = "REDIS_URL 未设置"
    else:
        import redis

        try:
            redis.Redis.from_url(settings.REDIS_URL, socket_connect_timeout=2).ping()
        except Exception as exc:  # noqa: BLE001
            problem = f"Redis 无法连接：{exc}"
    if problem:
        (pytest.fail if ci else pytest.skip)(f"集成测试需要 Redis：{problem}")


def database_url() -> str:
    db = connection.settings_dict
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    return (
        f"postgres://{db['USER']}{password}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}"
        f"/{db['NAME']}"
    )


class Worker:
    def __init__(self, env, queue, log_path):
        self.env, self.queue, self.log_path = env, queue, log_path
        self.process = None

    def start(self):
        self.log = open(self.log_path, "ab")  # noqa: SIM115
        self.process = subprocess.Popen(  # noqa: S603
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "dfed",
                "worker",
                "-Q",
                self.queue,
                "-c",
                "8",
                "-P",
                "prefork",
                "-l",
                "warning",
                "-n",
                f"{self.queue}-{uuid.uuid4().hex[:6]}@%h",
                "--without-gossip",
                "--without-mingle",
                "--without-heartbeat",
            ],
            cwd=ROOT,
            env=self.env,
            stdout=self.log,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group: SIGKILL reaches the children
        )

    def kill(self):
        os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=10)
        self.log.close()

    def stop(self):
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(timeout=10)
        if not self.log.closed:
            self.log.close()


def purge(app, queue):
    # the queue may not exist yet
    with app.connection_for_write() as conn, contextlib.suppress(Exception):
        conn.default_channel.queue_purge(queue)


def wait_for(predicate, timeout, interval=0.2):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(interval)
    return predicate()


def sent_count():
    return SmsMessage.objects.filter(status=SmsMessage.Status.SENT).count()


def wait_with_sweeps(timeout, idle=8.0, stale=10):
    """Wait for every message to be sent. When nothing moves for ``idle`` seconds, run the
    outbox sweep that beat runs in production (every 10 minutes, with a 10-minute threshold):
    the Redis transport may have lost a message the killed worker had just taken."""
    deadline = time.monotonic() + timeout
    last, last_change, requeued = -1, time.monotonic(), 0
    while time.monotonic() < deadline:
        sent = sent_count()
        if sent == MESSAGES:
            return True, requeued
        now = time.monotonic()
        if sent != last:
            last, last_change = sent, now
        elif now - last_change > idle:
            requeued += sms_requeue_stale(older_than_seconds=stale)
            last_change = now
        time.sleep(0.5)
    return sent_count() == MESSAGES, requeued


def test_500_messages_survive_a_killed_worker_without_loss_or_duplicates(settings, tmp_path):
    require_redis()
    from dfed.celery import app

    queue = f"sms-it-{uuid.uuid4().hex[:10]}"
    gateway = FakeGateway()
    settings.SMS_QUEUE = queue
    eager = app.conf.task_always_eager
    app.conf.task_always_eager = False
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tests.integration.worker_settings",
        "DATABASE_URL": database_url(),
        "REDIS_URL": settings.REDIS_URL,
        "CELERY_TASK_ALWAYS_EAGER": "false",
        "SMS_BACKEND": "dfed.notifications.backends.http.SmsBackend",
        "SMS_GATEWAY_URL": gateway.url,
        "SMS_QUEUE": queue,
        "PYTHONPATH": str(ROOT),
    }
    worker = Worker(env, queue, tmp_path / "worker.log")
    purge(app, queue)
    try:
        for n in range(MESSAGES):
            sms_message_queue(
                phone=f"139{n:08d}", body=f"第{n}条测试短信", purpose="it", key=f"{queue}-{n}"
            )
        assert SmsMessage.objects.count() == MESSAGES

        started = time.monotonic()
        worker.start()
        assert wait_for(lambda: sent_count() >= MESSAGES // 4, timeout=60), (
            f"worker sent only {sent_count()}; log: {(tmp_path / 'worker.log').read_text()[-2000:]}"
        )
        worker.kill()
        killed_at = sent_count()
        in_flight = SmsMessage.objects.filter(in_progress=True).count()
        recovered_before = SmsAttempt.objects.filter(outcome=SmsAttempt.Outcome.RECOVERED).count()

        killed = time.monotonic()
        worker.start()
        done, requeued = wait_with_sweeps(timeout=120)
        finished = time.monotonic()
        worker.stop()

        recovered = (
            SmsAttempt.objects.filter(outcome=SmsAttempt.Outcome.RECOVERED).count()
            - recovered_before
        )
        statuses = Counter(SmsMessage.objects.values_list("status", flat=True))
        log = Counter(gateway.accepted)
        keys = set(SmsMessage.objects.values_list("idempotency_key", flat=True))
        duplicates = {ref: n for ref, n in log.items() if n > 1}
        lost = keys - set(log)
        print(
            f"\n[sms-it] killed after {killed_at} sent ({in_flight} in flight) at "
            f"{killed - started:.1f}s, all done {finished - killed:.1f}s after; "
            f"requeued by the outbox sweep: {requeued}; "
            f"recovered by lookup: {recovered}; gateway 503s: {gateway.failures}; "
            f"statuses: {dict(statuses)}; "
            f"accepted: {len(gateway.accepted)}; duplicates: {len(duplicates)}; lost: {len(lost)}"
        )
        stuck = [
            (
                m.idempotency_key,
                m.attempts,
                m.in_progress,
                m.updated_at.isoformat(),
                list(m.attempt_log.values_list("outcome", flat=True)),
            )
            for m in SmsMessage.objects.exclude(status=SmsMessage.Status.SENT)[:5]
        ]
        assert done, f"not all sent: {dict(statuses)}; stuck: {stuck}"
        assert statuses == {SmsMessage.Status.SENT: MESSAGES}
        unsettled = SmsMessage.objects.exclude(status__in=SmsMessage.SETTLED).count()
        assert unsettled == 0
        assert duplicates == {}
        assert lost == set()
        assert len(gateway.accepted) == MESSAGES
        assert gateway.failures > 0  # the retry path was exercised
        # every row carries the provider id the gateway gave it
        for key, provider_id in SmsMessage.objects.values_list(
            "idempotency_key", "provider_message_id"
        ):
            assert provider_id == gateway.ids[key]
    finally:
        dispatcher.wait()
        worker.stop()
        purge(app, queue)
        app.conf.task_always_eager = eager
        gateway.close()


def unused_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def point_broker(app, url: str) -> None:
    """Point this process's Celery app at ``url`` (new connections, new producer pool)."""
    app.conf.broker_url = url
    app._pool = None
    app.amqp._producer_pool = None


def test_campaign_queued_while_redis_is_unreachable_is_sent_once_it_is_back(
    settings, tmp_path, integrity_officer
):
    require_redis()
    from dfed.celery import app
    from integrity.models import ReminderCampaign, Staff
    from integrity.selectors import reminder_campaign_reports
    from integrity.services import reminder_campaign_send, reminder_campaigns_sync_year
    from integrity.tests.factories import StaffFactory

    count = 60
    queue = f"sms-it-{uuid.uuid4().hex[:10]}"
    gateway = FakeGateway()
    settings.SMS_QUEUE = queue
    eager, broker = app.conf.task_always_eager, app.conf.broker_url
    app.conf.task_always_eager = False
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tests.integration.worker_settings",
        "DATABASE_URL": database_url(),
        "REDIS_URL": settings.REDIS_URL,
        "CELERY_TASK_ALWAYS_EAGER": "false",
        "SMS_BACKEND": "dfed.notifications.backends.http.SmsBackend",
        "SMS_GATEWAY_URL": gateway.url,
        "SMS_QUEUE": queue,
        "PYTHONPATH": str(ROOT),
    }
    worker = Worker(env, queue, tmp_path / "worker.log")
    try:
        for n in range(count):
            StaffFactory(phone=f"137{n:08d}", post=Staff.Post.STAFF)
        reminder_campaigns_sync_year(year=2026)
        campaign = ReminderCampaign.objects.get(year=2026, festival="national")

        point_broker(app, f"redis://127.0.0.1:{unused_port()}/7")
        started = time.monotonic()
        # no error for the caller
        queued = reminder_campaign_send(campaign=campaign, by=integrity_officer)
        took = time.monotonic() - started
        assert queued == count
        dispatcher.wait()  # the background hand-over failed quietly (logged)
        assert (
            SmsMessage.objects.filter(
                status=SmsMessage.Status.QUEUED, dispatched_at__isnull=True
            ).count()
            == count
        )
        campaign.refresh_from_db()
        report = reminder_campaign_reports([campaign])[campaign.pk]
        assert (report["state"], report["queued"]) == ("发送中", count)

        point_broker(app, broker)  # Redis is back
        worker.start()
        handed = sms_outbox_dispatch()  # the sweep beat runs every minute
        assert handed == count
        assert wait_for(lambda: sent_count() == count, timeout=60), (
            f"sent {sent_count()}; log: {(tmp_path / 'worker.log').read_text()[-2000:]}"
        )
        log = Counter(gateway.accepted)
        print(
            f"\n[sms-it] campaign of {count} queued with the broker down in {took:.2f}s; "
            f"sent once it was back: {sent_count()}; gateway 503s: {gateway.failures}"
        )
        assert sorted(log) == sorted(SmsMessage.objects.values_list("idempotency_key", flat=True))
        assert set(log.values()) == {1}
        report = reminder_campaign_reports([campaign])[campaign.pk]
        assert (report["state"], report["sent"]) == ("已发送", count)
    finally:
        dispatcher.wait()
        point_broker(app, broker)
        worker.stop()
        purge(app, queue)
        app.conf.task_always_eager = eager
        gateway.close()
