"""Past one machine: Celery queues by kind of work, object storage through Django's storage API,
and the replica router's choices (the router against a real replica: tests/integration)."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.http import HttpResponse
from django.test import RequestFactory

from dfed.celery import app
from dfed.core.routers import (
    PIN_COOKIE,
    PrimaryPinMiddleware,
    ReplicaRouter,
    replica_reads,
    view_may_read_replica,
)
from dfed.people.models import Person

ROOT = Path(__file__).resolve().parents[3]


@pytest.mark.parametrize(
    ("task", "queue"),
    [
        ("dfed.notifications.tasks.sms_send", "sms"),
        ("integrity.tasks.reminder_campaigns_run", "sms"),
        ("dfed.imports.tasks.import_job_run", "imports"),
        ("subsidies.payment_batch_generate", "batches"),
        ("dfed.reports.tasks.payment_summary_refresh_all", "reports"),
        ("dfed.people.tasks.anything_else", "default"),
    ],
)
def test_tasks_are_routed_to_a_queue_per_kind_of_work(task, queue):
    route = app.amqp.router.route({}, task)
    assert route["queue"].name == queue


def _storage_in_child(settings_module: str, **env) -> str:
    code = (
        "import django; django.setup();"
        "from django.core.files.storage import storages; s = storages['default'];"
        "print(type(s).__name__, getattr(s, 'bucket_name', ''), getattr(s, 'location', ''))"
    )
    child_env = {
        k: v for k, v in os.environ.items() if not k.startswith(("STORAGE_S3", "DATABASE_REPLICA"))
    }
    child_env.update(DJANGO_SETTINGS_MODULE=settings_module, **env)
    done = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env=child_env,
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    return done.stdout.strip()


def test_uploaded_files_use_the_filesystem_by_default():
    assert _storage_in_child("dfed.settings.local").startswith("FileSystemStorage")


def test_uploaded_files_go_to_s3_compatible_storage_when_a_bucket_is_named():
    out = _storage_in_child(
        "dfed.settings.production",
        STORAGE_S3_BUCKET="dfed-media",
        STORAGE_S3_ENDPOINT_URL="http://127.0.0.1:9000",
        SECRET_KEY="x" * 64,
        ALLOWED_HOSTS="dfed.example.org",
    )
    assert out == "S3Storage dfed-media media"


def test_without_a_replica_every_read_goes_to_the_primary():
    router = ReplicaRouter()
    with replica_reads():
        assert router.db_for_read(Person) == "default"
    assert router.db_for_write(Person) == "default"
    assert router.allow_migrate("replica", "people") is False


def test_replica_views_are_named_by_url_patterns(settings):
    settings.DATABASE_REPLICA_VIEWS = ["reports:*", "homes:figures"]
    assert view_may_read_replica("reports:widget-data")
    assert view_may_read_replica("homes:figures")
    assert not view_may_read_replica("homes:home-list")
    assert not view_may_read_replica(None)


def test_a_write_pins_the_client_to_the_primary_only_when_a_replica_exists(settings, monkeypatch):
    middleware = PrimaryPinMiddleware(lambda request: HttpResponse())
    request = RequestFactory().post("/")
    assert PIN_COOKIE not in middleware(request).cookies
    monkeypatch.setattr("dfed.core.routers.replica_configured", lambda: True)
    response = middleware(request)
    assert response.cookies[PIN_COOKIE]["max-age"] == settings.DATABASE_REPLICA_PIN_SECONDS
    assert PIN_COOKIE not in middleware(RequestFactory().get("/")).cookies
