"""Run in a child process by test_replica.py, with DATABASE_REPLICA_URL naming the streaming
replica of the test database: exercises the router through real requests and prints JSON."""

import json
import os
import time

import django

WRITES = {"INSERT", "UPDATE", "DELETE", "CREATE", "ALTER", "DROP", "TRUNCATE", "COPY"}


def wait_replayed(connections, timeout: float = 30.0) -> None:
    with connections["default"].cursor() as cur:
        cur.execute("SELECT pg_current_wal_lsn()")
        target = cur.fetchone()[0]
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with connections["replica"].cursor() as cur:
            cur.execute("SELECT pg_last_wal_replay_lsn() >= %s::pg_lsn", [target])
            if cur.fetchone()[0]:
                return
        time.sleep(0.1)
    raise RuntimeError("the replica did not catch up within 30 s")


def main() -> dict:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dfed.settings.test")
    django.setup()
    from django.db import connections
    from django.test import Client
    from django.test.utils import CaptureQueriesContext, setup_test_environment

    from dfed.accounts.roles import Role
    from dfed.accounts.tests.factories import user_with_role
    from dfed.core.routers import PIN_COOKIE, replica_reads
    from dfed.people.models import Person
    from dfed.people.tests.factories import PersonFactory, area_tree

    setup_test_environment()  # the test client's host, as under the test runner
    out: dict = {}
    area_tree()
    official = user_with_role("replica_official", Role.OFFICIAL)
    wait_replayed(connections)
    with connections["replica"].cursor() as cur:
        cur.execute("SELECT pg_is_in_recovery()")
        out["replica_in_recovery"] = cur.fetchone()[0]

    # A dashboard read by an official who has not just written: the replica serves it.
    reader = Client()
    reader.force_login(official)
    with (
        CaptureQueriesContext(connections["replica"]) as on_replica,
        CaptureQueriesContext(connections["default"]) as on_primary,
    ):
        out["dashboard_status"] = reader.get("/").status_code
    out["dashboard_replica_queries"] = len(on_replica.captured_queries)
    out["dashboard_replica_writes"] = [
        q["sql"]
        for q in on_replica.captured_queries
        if q["sql"].lstrip().split(None, 1)[0].upper() in WRITES
    ]
    out["dashboard_primary_tables"] = sorted(
        {
            q["sql"].split('FROM "', 1)[1].split('"', 1)[0]
            for q in on_primary.captured_queries
            if 'FROM "' in q["sql"]
        }
    )

    # Lag made visible: replay paused, a write on the primary is not yet on the replica.
    with connections["replica"].cursor() as cur:
        cur.execute("SELECT pg_wal_replay_pause()")
    try:
        person = PersonFactory()
        with replica_reads():
            out["lagging_read_sees_write"] = Person.objects.filter(pk=person.pk).exists()
        out["primary_read_sees_write"] = Person.objects.filter(pk=person.pk).exists()

        # The writer: an unsafe request pins the client to the primary, so the dashboard it
        # opens next is read from the primary and shows its own write.
        writer = Client()
        writer.force_login(official)
        response = writer.post("/i18n/setlang/", {"language": "zh-hans", "next": "/"})
        out["pin_cookie_set"] = PIN_COOKIE in response.cookies
        with (
            CaptureQueriesContext(connections["replica"]) as on_replica,
            CaptureQueriesContext(connections["default"]) as on_primary,
        ):
            out["writer_dashboard_status"] = writer.get("/").status_code
        out["writer_replica_queries"] = len(on_replica.captured_queries)
        out["writer_primary_queries"] = len(on_primary.captured_queries)
    finally:
        with connections["replica"].cursor() as cur:
            cur.execute("SELECT pg_wal_replay_resume()")
    wait_replayed(connections)
    with replica_reads():
        out["replica_caught_up_sees_write"] = Person.objects.filter(pk=person.pk).exists()
    return out


if __name__ == "__main__":
    print("RESULT " + json.dumps(main()))
