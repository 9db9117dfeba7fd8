"""The HTTP and file backends against a local fake gateway / a temporary directory."""

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from dfed.notifications.backends import PermanentError, TemporaryError
from dfed.notifications.backends.file import SmsBackend as FileBackend
from dfed.notifications.backends.http import SmsBackend as HttpBackend
from dfed.notifications.models import SmsMessage


class Gateway:
    def __init__(self, answers):
        self.answers = list(answers)
        self.requests = []
        gateway = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def do_POST(self):
                payload = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                gateway.requests.append((payload, self.headers.get("Authorization")))
                status = gateway.answers.pop(0) if gateway.answers else 200
                if status == "sleep":
                    time.sleep(1.5)  # well past the client timeout, even on a busy machine
                    status = 200
                body = json.dumps({"id": "gw-" + payload["ref"]} if status == 200 else {})
                self.send_response(status)
                self.end_headers()
                self.wfile.write(body.encode())

            def do_GET(self):
                accepted = {p["ref"] for p, _ in gateway.requests}
                ref = self.path.split("ref=")[-1]
                self.send_response(200 if ref in accepted else 404)
                self.end_headers()
                self.wfile.write(json.dumps({"id": "gw-" + ref}).encode())

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}/send"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def gateway():
    made = []

    def make(*answers):
        made.append(Gateway(answers))
        return made[-1]

    yield make
    for g in made:
        g.close()


def message():
    return SmsMessage(pk=1, phone="13900001111", body="你好", idempotency_key="ref1")


def test_http_backend_posts_json_with_key(gateway):
    gw = gateway(200)
    assert HttpBackend(url=gw.url, key="secret").send(message()) == "gw-ref1"
    payload, auth = gw.requests[0]
    assert payload == {"ref": "ref1", "phone": "13900001111", "body": "你好"}
    assert auth == "Bearer secret"


def test_http_backend_5xx_is_temporary(gateway):
    gw = gateway(503)
    with pytest.raises(TemporaryError, match="503"):
        HttpBackend(url=gw.url, key="k").send(message())


def test_http_backend_4xx_is_permanent(gateway):
    gw = gateway(400)
    with pytest.raises(PermanentError, match="400"):
        HttpBackend(url=gw.url, key="k").send(message())


def test_http_backend_timeout_is_temporary(gateway):
    gw = gateway("sleep")
    with pytest.raises(TemporaryError, match="超时") as info:
        HttpBackend(url=gw.url, key="k", timeout=0.5).send(message())
    assert info.value.maybe_delivered


def test_http_backend_refused_connection_is_temporary():
    with pytest.raises(TemporaryError) as info:
        HttpBackend(url="http://127.0.0.1:9/send", key="k", timeout=0.5).send(message())
    assert not info.value.maybe_delivered


def test_http_backend_lookup(gateway):
    gw = gateway(200)
    backend = HttpBackend(url=gw.url, key="k")
    assert backend.lookup(message()) is None
    backend.send(message())
    assert backend.lookup(message()) == "gw-ref1"


def test_file_backend_writes_one_file_per_message(settings, tmp_path):
    settings.SMS_FILE_PATH = str(tmp_path)
    backend = FileBackend()
    assert backend.lookup(message()) is None
    provider_id = backend.send(message())
    files = list(tmp_path.glob("*.json"))
    assert len(files) == 1
    assert json.loads(files[0].read_text(encoding="utf-8"))["body"] == "你好"
    assert backend.lookup(message()) == provider_id


def test_http_backend_through_the_task_retries_5xx(
    gateway, settings, db, django_capture_on_commit_callbacks
):
    from dfed.notifications.services import sms_message_queue

    gw = gateway(503, 502, 200)
    settings.SMS_BACKEND = "dfed.notifications.backends.http.SmsBackend"
    settings.SMS_GATEWAY_URL = gw.url
    with django_capture_on_commit_callbacks(execute=True):
        msg = sms_message_queue(phone="13900001111", body="x", purpose="t", key="r")
    msg.refresh_from_db()
    assert msg.status == SmsMessage.Status.SENT
    assert msg.attempts == 3
    assert len(gw.requests) == 3


def test_http_timeout_is_retried_and_looked_up_not_sent_twice(
    gateway, settings, db, django_capture_on_commit_callbacks
):
    """The gateway accepted the message but answered too late: the retry finds it there."""
    from dfed.notifications.services import sms_message_queue

    gw = gateway("sleep")
    settings.SMS_BACKEND = "dfed.notifications.backends.http.SmsBackend"
    settings.SMS_GATEWAY_URL = gw.url
    settings.SMS_GATEWAY_TIMEOUT = 0.5
    with django_capture_on_commit_callbacks(execute=True):
        msg = sms_message_queue(phone="13900001111", body="x", purpose="t", key="slow")
    msg.refresh_from_db()
    assert msg.status == SmsMessage.Status.SENT
    assert msg.provider_message_id == "gw-slow"
    assert len(gw.requests) == 1
    # the timed-out send, then the lookup that found it (each an attempt)
    assert list(msg.attempt_log.values_list("outcome", flat=True)) == ["retry", "recovered"]


def test_http_timeout_not_at_gateway_is_sent_again(
    gateway, settings, db, django_capture_on_commit_callbacks
):
    from dfed.notifications.services import sms_message_queue

    gw = gateway(504, 200)
    settings.SMS_BACKEND = "dfed.notifications.backends.http.SmsBackend"
    settings.SMS_GATEWAY_URL = gw.url
    with django_capture_on_commit_callbacks(execute=True):
        msg = sms_message_queue(phone="13900001111", body="x", purpose="t", key="gw504")
    msg.refresh_from_db()
    assert msg.status == SmsMessage.Status.SENT
    assert len(gw.requests) == 2
