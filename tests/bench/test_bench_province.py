"""Benchmark: province scale — registry search, list pages, dashboard widgets and the annual
summary for a district-wide role, at district size and at province size in the same run.

The same database first holds a district (BENCH_DISTRICT_PEOPLE people, default 20,000); every
page is measured; then it grows to a province (BENCH_PROVINCE_PEOPLE, default 1,500,000 people
over 100 towns × 20 communities, one entitlement for every fifth person — 300,000 — and
BENCH_PROVINCE_PAYMENTS payments, default 18,000,000: 60 monthly batches) and every page is
measured again. Pages are requested over loopback HTTP from gunicorn with one worker (test
settings, DEBUG off: ``tests/bench/harness.py``), one request at a time, BENCH_ROUNDS times each
after one warm-up request: the time a user waits for the page, on the server process that serves
it (the test client in this process would add the collector's pauses over pytest's own heap,
~100 ms every ~15 requests, which no web worker has).

Goals (issue: province scale): searches p95 ≤ 50 ms, list pages p95 ≤ 300 ms, dashboard widgets
p95 ≤ 150 ms, the annual summary ≤ 1 s, and for each page province p95 ≤ 3 × district p95.
Every figure is printed; the run fails only at the end, listing the figures over their goal.

    make bench PYTEST_ARGS="-k province"                 # full size (long)
    BENCH_PROVINCE_PEOPLE=300000 BENCH_PROVINCE_PAYMENTS=1200000 \
        make bench PYTEST_ARGS="-k province"             # a quick run
"""

from __future__ import annotations

import http.client
import os
import time
from datetime import date
from urllib.parse import urlencode

import pytest
from django.db import connection
from django.urls import reverse

from dfed.accounts.roles import Role
from dfed.people.models import Area, Person
from dfed.people.summaries import person_counts_refresh, person_year_counts_refresh
from dfed.reports.dashboards import DASHBOARDS, dashboard_widgets
from subsidies.models import Entitlement, Payment, PaymentBatch
from subsidies.services import payment_summary_refresh
from subsidies.tests.factories import demo_rates

from .harness import free_port, p95, session_cookies, start_gunicorn, stop_gunicorn, timed_get
from .province import id_expression, insert_select, name_expression

PROVINCE_PEOPLE = int(os.environ.get("BENCH_PROVINCE_PEOPLE", "1500000"))
DISTRICT_PEOPLE = int(os.environ.get("BENCH_DISTRICT_PEOPLE", "20000"))
PAYMENTS = int(os.environ.get("BENCH_PROVINCE_PAYMENTS", "18000000"))
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "40"))
TOWNS, COMMUNITIES = 100, 20
ENTITLED_EVERY = 5  # one person in five has an entitlement
ENTITLEMENTS = PROVINCE_PEOPLE // ENTITLED_EVERY
MONTHS = max(1, min(60, PAYMENTS // max(ENTITLEMENTS, 1)))
LAST_MONTH = date(2026, 11, 1)
GOALS = {"search": 50.0, "list": 300.0, "widget": 150.0, "annual": 1000.0}
RATIO_GOAL = 3.0


def month_minus(month: date, n: int) -> date:
    index = month.year * 12 + month.month - 1 - n
    return date(index // 12, index % 12 + 1, 1)


FIRST_MONTH = month_minus(LAST_MONTH, MONTHS - 1)


def seed_areas() -> list[tuple[int, int]]:
    """100 towns of 20 communities; returns (community id, town id) pairs in code order."""
    district = Area.objects.create(code="330100000000", name="全省测试区", level="district")
    towns = Area.objects.bulk_create(
        Area(code=f"3301{t:03d}00000", name=f"镇{t}", level="town", parent=district)
        for t in range(1, TOWNS + 1)
    )
    communities = Area.objects.bulk_create(
        Area(
            code=f"{town.code[:7]}{c:03d}00",
            name=f"{town.name}社区{c}",
            level="community",
            parent=town,
        )
        for town in towns
        for c in range(1, COMMUNITIES + 1)
    )
    return [(c.pk, c.parent_id) for c in communities]


def seed_people(places, start: int, stop: int) -> None:
    """People numbered [start, stop): community by number, every fifth one entitled and paid
    every month of the MONTHS batches."""
    communities = [c for c, _t in places]
    towns = [t for _c, t in places]
    n = len(places)
    insert_select(
        Person,
        {
            "name": name_expression("i"),
            "id_number": id_expression("i"),
            "sex": "CASE WHEN i % 2 = 0 THEN 'female' ELSE 'male' END",
            "birth_date": "DATE '1950-01-01' + (i / 10000) * 97",
            "category": "1 + i % 7",
            "level": "1 + i % 4",
            "household": "CASE WHEN i % 3 = 0 THEN 'dibao' ELSE 'general' END",
            "status": "'active'",
            "community_id": f"(%(communities)s::bigint[])[1 + i % {n}]",
            "town_id": f"(%(towns)s::bigint[])[1 + i % {n}]",
            "created_at": "TIMESTAMPTZ '2024-06-01' + (i % 900) * INTERVAL '1 day'",
            "updated_at": "now()",
        },
        "FROM generate_series(%(start)s, %(stop)s - 1) AS i",
        {"communities": communities, "towns": towns, "start": start, "stop": stop},
    )
    with connection.cursor() as cursor:
        cursor.execute("SELECT coalesce(max(id), 0) FROM subsidies_entitlement")
        after = cursor.fetchone()[0]
    insert_select(
        Entitlement,
        {
            "person_id": "p.id",
            "type": "CASE WHEN p.level <= 2 THEN 'care' ELSE 'living' END",
            "tier": "CASE WHEN p.level = 1 THEN 'level1' WHEN p.level = 2 THEN 'level2'"
            " ELSE 'none' END",
            "start_month": "%(first)s",
            "state": "'active'",
            "paid_through": "%(last)s",
            "sort_key": "(SELECT a.code || ' ' || p.name FROM people_area a"
            " WHERE a.id = p.town_id)",
            "created_at": "now()",
            "updated_at": "now()",
        },
        "FROM people_person p WHERE p.id_number IN (SELECT "
        + id_expression("i")
        + " FROM generate_series(%(start)s, %(stop)s - 1) AS i WHERE i % "
        + str(ENTITLED_EVERY)
        + " = 0)",
        {"first": FIRST_MONTH, "last": LAST_MONTH, "start": start, "stop": stop},
    )
    insert_select(
        Payment,
        {
            "batch_id": "b.id",
            "entitlement_id": "e.id",
            "person_id": "e.person_id",
            "town_id": "p.town_id",
            "type": "e.type",
            "tier": "e.tier",
            "month": "b.month",
            "amount": "r.monthly_amount",
            "status": "'paid'",  # the batches are paid: the annual figures count them
            "rate_id": "r.id",
            "created_at": "now()",
        },
        "FROM subsidies_entitlement e JOIN people_person p ON p.id = e.person_id"
        " JOIN subsidies_subsidyrate r ON r.type = e.type AND r.tier = e.tier"
        " CROSS JOIN subsidies_paymentbatch b WHERE e.id > %(after)s",
        {"after": after},
    )
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE subsidies_paymentbatch b SET payment_count = s.n, total_amount = s.total,"
            " recipient_count = s.people FROM (SELECT batch_id, count(*) n, sum(amount) total,"
            " count(DISTINCT person_id) people FROM subsidies_payment GROUP BY batch_id) s"
            " WHERE s.batch_id = b.id"
        )
        # VACUUM as well: the state autovacuum keeps a live database in (visibility map set,
        # statistics fresh), and no autovacuum of millions of new rows during the measuring.
        for table in ("people_person", "subsidies_entitlement", "subsidies_payment"):
            cursor.execute(f"VACUUM (ANALYZE) {table}")
    person_counts_refresh()
    person_year_counts_refresh()  # the nightly refresh
    payment_summary_refresh()


def insert_month_cost() -> tuple[int, float]:
    """Insert one more monthly batch of payments (one per entitlement, set-based, as the seed
    does) after the last month, then delete it again; returns (rows, seconds of the INSERT)."""
    month = month_minus(LAST_MONTH, -1)
    batch = PaymentBatch.objects.create(month=month, status=PaymentBatch.Status.DRAFT)
    started = time.perf_counter()
    rows = insert_select(
        Payment,
        {
            "batch_id": "%(batch)s",
            "entitlement_id": "e.id",
            "person_id": "e.person_id",
            "town_id": "p.town_id",
            "type": "e.type",
            "tier": "e.tier",
            "month": "%(month)s",
            "amount": "r.monthly_amount",
            "rate_id": "r.id",
            "created_at": "now()",
        },
        "FROM subsidies_entitlement e JOIN people_person p ON p.id = e.person_id"
        " JOIN subsidies_subsidyrate r ON r.type = e.type AND r.tier = e.tier",
        {"batch": batch.pk, "month": month},
    )
    seconds = time.perf_counter() - started
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM subsidies_payment WHERE batch_id = %s", [batch.pk])
    batch.delete()
    return rows, seconds


def storage_figures(label: str) -> None:
    """Print the payment table's and its indexes' sizes, the cost of inserting a month of
    payments and of the VACUUM (ANALYZE) after it (the figures partitioning is decided on)."""
    rows, insert_seconds = insert_month_cost()
    with connection.cursor() as cursor:
        started = time.perf_counter()
        cursor.execute("VACUUM (ANALYZE) subsidies_payment")
        vacuum_seconds = time.perf_counter() - started
        cursor.execute(
            "SELECT pg_size_pretty(pg_relation_size('subsidies_payment')),"
            " pg_size_pretty(pg_indexes_size('subsidies_payment')),"
            " (SELECT count(*) FROM subsidies_payment)"
        )
        table, indexes, count = cursor.fetchone()
        cursor.execute(
            "SELECT indexrelid::regclass::text, pg_size_pretty(pg_relation_size(indexrelid))"
            " FROM pg_index WHERE indrelid = 'subsidies_payment'::regclass ORDER BY 1"
        )
        each = cursor.fetchall()
    print(
        f"== payments at {label}: {count:,} rows; table {table}, indexes {indexes}"
        f" ({', '.join(f'{name} {size}' for name, size in each)})"
    )
    print(
        f"== insert one month ({rows:,} payments): {insert_seconds:.1f} s"
        f" ({insert_seconds / max(rows, 1) * 1e6:.0f} µs a row);"
        f" VACUUM (ANALYZE) subsidies_payment after deleting it: {vacuum_seconds:.1f} s"
    )


def pages(people_sample, batch) -> dict[str, tuple[str, str, dict]]:
    """name → (kind, url, params) of every page measured."""
    two = next(p for p in people_sample if len(p.name) == 2)
    three = next(p for p in people_sample if len(p.name) == 3)
    middle = people_sample[len(people_sample) // 2]
    town = middle.town_id
    return {
        "search name, 2 characters": ("search", "people:person-list", {"q": two.name}),
        "search name, 3 characters": ("search", "people:person-list", {"q": three.name}),
        "search whole ID number": ("search", "people:person-list", {"q": middle.id_number}),
        "search ID prefix (12 digits)": (
            "search",
            "people:person-list",
            {"q": middle.id_number[:12]},
        ),
        "people list": ("list", "people:person-list", {}),
        "people list, one town": ("list", "people:person-list", {"town": town}),
        "entitlements list": ("list", "subsidies:entitlement-list", {}),
        "payments list": ("list", "subsidies:payment-list", {"month": f"{LAST_MONTH:%Y-%m}"}),
        "applications list": ("list", "subsidies:application-list", {}),
        "batch page": ("list", reverse("subsidies:batch-detail", args=[batch.pk]), {}),
    }


def measure(reviewer_cookie, official_cookie, page_map, widget_keys) -> dict[str, float]:
    """p95 (ms) of every page, from a gunicorn worker started for this measurement."""
    port = free_port()
    process = start_gunicorn(port, workers=1)
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)

    def p95_of(url: str, cookie: str, rounds: int = ROUNDS) -> float:
        timed_get(conn, url, cookie)  # warm
        return p95([timed_get(conn, url, cookie) for _ in range(rounds)])

    results: dict[str, float] = {}
    try:
        for name, (kind, target, params) in page_map.items():
            url = target if target.startswith("/") else reverse(target)
            url = f"{url}?{urlencode(params)}" if params else url
            results[f"{kind}: {name}"] = p95_of(url, reviewer_cookie)
        for key in widget_keys:
            url = f"{reverse('reports:widget-data', args=[key])}?year={LAST_MONTH.year}"
            results[f"widget: {key}"] = p95_of(url, official_cookie)
        url = reverse("reports:annual", args=[LAST_MONTH.year])
        results["annual: summary page"] = p95_of(url, official_cookie, max(3, ROUNDS // 4))
    finally:
        conn.close()
        stop_gunicorn(process)
    return results


@pytest.mark.bench
@pytest.mark.django_db(transaction=True)  # committed rows (VACUUM); the tables are emptied after
def test_bench_province_scale(make_user):
    places = seed_areas()
    demo_rates()
    PaymentBatch.objects.bulk_create(
        PaymentBatch(month=month_minus(LAST_MONTH, k), status=PaymentBatch.Status.PAID)
        for k in range(MONTHS)
    )
    reviewer = make_user("bench-reviewer", Role.REVIEWER)
    official = make_user("bench-official", Role.OFFICIAL)
    (reviewer_cookie,) = session_cookies(reviewer)
    (official_cookie,) = session_cookies(official)
    widget_keys = [w.key for w in dashboard_widgets(DASHBOARDS["official"], official)]
    batch = PaymentBatch.objects.get(month=LAST_MONTH)

    started = time.perf_counter()
    seed_people(places, 0, DISTRICT_PEOPLE)
    print(
        f"\n== seeded district: {DISTRICT_PEOPLE:,} people in {time.perf_counter() - started:.0f} s"
    )
    sample = list(Person.objects.order_by("pk")[:2000])
    district = measure(reviewer_cookie, official_cookie, pages(sample, batch), widget_keys)
    storage_figures("district size")

    started = time.perf_counter()
    seed_people(places, DISTRICT_PEOPLE, PROVINCE_PEOPLE)
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM subsidies_payment")
        payments = cursor.fetchone()[0]
    print(
        f"== seeded province: {PROVINCE_PEOPLE:,} people, {Entitlement.objects.count():,}"
        f" entitlements, {payments:,} payments ({MONTHS} months)"
        f" in {time.perf_counter() - started:.0f} s"
    )
    province = measure(reviewer_cookie, official_cookie, pages(sample, batch), widget_keys)
    storage_figures("province size")

    over = []
    print(f"\n{'page':58s} {'district':>10s} {'province':>10s} {'ratio':>6s}  goal")
    for name, big in province.items():
        small = district[name]
        kind = name.split(":", 1)[0]
        ratio = big / small if small else float("inf")
        goal = GOALS[kind]
        flag = "" if big <= goal and ratio <= RATIO_GOAL else "  << over"
        print(
            f"{name:58s} {small:8.1f}ms {big:8.1f}ms {ratio:6.2f}"
            f"  ≤{goal:.0f}ms, ≤{RATIO_GOAL}×{flag}"
        )
        if flag:
            over.append(name)
    assert not over, f"over goal: {over}"
