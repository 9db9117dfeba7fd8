"""The database router against a real PostgreSQL streaming replica on 127.0.0.1:5433.

The replica is started by ``scripts/pg_replica.sh`` (pg_basebackup as the machine's postgres
user; `.ci/run` starts it, and this module does too when run as root). Under CI a missing
replica fails the test instead of skipping it.
"""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

ROOT = Path(__file__).resolve().parents[2]
REPLICA_PORT = int(os.environ.get("REPLICA_PORT", "5433"))

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]


def _replica_up() -> bool:
    return (
        subprocess.run(
            ["pg_isready", "-q", "-h", "127.0.0.1", "-p", str(REPLICA_PORT)], check=False
        ).returncode
        == 0
    )


@pytest.fixture(scope="module")
def replica():
    in_ci = os.environ.get("CI", "").lower() in ("1", "true", "yes")
    if settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql":
        pytest.skip("the replica test needs PostgreSQL")
    if not _replica_up() and hasattr(os, "geteuid") and os.geteuid() == 0:
        subprocess.run(["bash", str(ROOT / "scripts" / "pg_replica.sh"), "start"], check=False)
    if not _replica_up():
        message = f"no streaming replica on 127.0.0.1:{REPLICA_PORT} (scripts/pg_replica.sh start)"
        if in_ci:
            pytest.fail(message)
        pytest.skip(message)
    return REPLICA_PORT


def test_router_sends_lagging_reads_to_the_replica_and_writers_to_the_primary(replica):
    primary = settings.DATABASES["default"]
    name = connection.settings_dict["NAME"]  # the test database, streamed to the replica too
    base = f"postgres://{primary['USER'] or 'postgres'}@127.0.0.1"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "dfed.settings.test",
        "DATABASE_URL": f"{base}:{primary['PORT'] or 5432}/{name}",
        "DATABASE_REPLICA_URL": f"{base}:{replica}/{name}",
    }
    done = subprocess.run(
        [sys.executable, "-m", "tests.integration.replica_probe"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )
    lines = [line for line in done.stdout.splitlines() if line.startswith("RESULT ")]
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-4000:]
    assert lines, done.stdout[-2000:]
    result = json.loads(lines[-1].removeprefix("RESULT "))

    assert result["replica_in_recovery"] is True
    # The official's dashboard is read from the replica, which is never written.
    assert result["dashboard_status"] == 200
    assert result["dashboard_replica_queries"] > 0
    assert result["dashboard_replica_writes"] == []
    # Who the user is stays on the primary; the figures do not.
    assert set(result["dashboard_primary_tables"]) <= {
        "django_session",
        "accounts_user",
        "auth_group",
        "auth_permission",
        "accounts_user_groups",
        "accounts_user_user_permissions",
        "django_content_type",
        "auth_group_permissions",
        "accounts_user_towns",
    }
    # Replay paused: a lagging read does not see the write, the primary does.
    assert result["lagging_read_sees_write"] is False
    assert result["primary_read_sees_write"] is True
    # A client that has just written is pinned to the primary and reads its own write.
    assert result["pin_cookie_set"] is True
    assert result["writer_dashboard_status"] == 200
    assert result["writer_replica_queries"] == 0
    assert result["writer_primary_queries"] > 0
    assert result["replica_caught_up_sees_write"] is True
