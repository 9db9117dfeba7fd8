"""Benchmark: the official dashboard's JSON endpoints with 1M payments on PostgreSQL.

Same run, same registry (BENCH_PEOPLE people in 8 towns, 24 paid monthly batches): first the
reference with BENCH_PAYMENTS / 10 payments, then BENCH_PAYMENTS. Rows are inserted with
set-based SQL (generate_series) and the summary table is rebuilt as the nightly task does.
Each endpoint is requested BENCH_ROUNDS times through the Django test client as an official.
Targets (issue 9): p95 ≤ 150 ms at 1M payments and ≤ 1.5 × the p95 at 100k.

    make bench PYTEST_ARGS="-k dashboard"           # 1M payments (a few minutes)
    BENCH_PAYMENTS=200000 make bench ...            # a quick run
"""

import os
import statistics
import time
from datetime import date

import pytest
from django.db import connection
from django.urls import reverse

from dfed.accounts.roles import Role
from dfed.people.models import Area
from dfed.reports.dashboards import DASHBOARDS, dashboard_widgets
from subsidies.services import payment_summary_refresh
from subsidies.tests.factories import demo_rates

PAYMENTS = int(os.environ.get("BENCH_PAYMENTS", "1000000"))
MONTHS = 24
PEOPLE = int(os.environ.get("BENCH_PEOPLE", str(max(PAYMENTS // MONTHS + 1000, 5000))))
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "30"))
P95_TARGET_MS = 150
RATIO_TARGET = 1.5

PEOPLE_SQL = """
INSERT INTO people_person
    (created_at, updated_at, name, id_number, sex, birth_date, ethnicity, certificate_number,
     category, level, household, address, phone, bank_name, bank_account, guardian_name,
     guardian_phone, status, status_date, note, community_id, town_id)
SELECT now(), now(), '测试' || i, lpad(i::text, 18, '0'), 'male', DATE '1970-01-01', '汉族', '',
       1 + i %% 7, 1 + i %% 4, 'dibao', '', '', '', '', '', '', 'active', NULL, '',
       (%(communities)s)[1 + i %% %(n)s], (%(towns)s)[1 + i %% %(n)s]
FROM generate_series(1, %(people)s) AS i
"""

ENTITLEMENT_SQL = """
INSERT INTO subsidies_entitlement
    (created_at, updated_at, type, tier, start_month, end_month, state, end_reason, state_note,
     paid_through, confirmed_household, person_id)
SELECT now(), now(),
       CASE WHEN p.id %% 2 = 0 THEN 'living' ELSE 'care' END,
       CASE WHEN p.id %% 2 = 0 THEN 'none' ELSE 'level1' END,
       %(first)s, NULL, 'active', '', '', NULL, '', p.id
FROM (SELECT id FROM people_person ORDER BY id OFFSET %(offset)s LIMIT %(limit)s) p
"""

PAYMENT_SQL = """
INSERT INTO subsidies_payment
    (batch_id, entitlement_id, person_id, town_id, type, tier, month, amount, rate_id,
     is_arrears, held, held_reason, created_at)
SELECT b.id, e.id, e.person_id, p.town_id, e.type, e.tier, b.month, r.monthly_amount, r.id,
       FALSE, FALSE, '', now()
FROM subsidies_entitlement e
JOIN people_person p ON p.id = e.person_id
JOIN subsidies_subsidyrate r ON r.type = e.type AND r.tier = e.tier
CROSS JOIN subsidies_paymentbatch b
WHERE e.id > %(after)s
"""


def insert_recipients(offset: int, count: int) -> int:
    """Give ``count`` more people an entitlement and pay them every month; returns rows."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT coalesce(max(id), 0) FROM subsidies_entitlement")
        after = cursor.fetchone()[0]
        cursor.execute(
            ENTITLEMENT_SQL, {"first": date(2025, 1, 1), "offset": offset, "limit": count}
        )
        cursor.execute(PAYMENT_SQL, {"after": after})
        inserted = cursor.rowcount
        cursor.execute("ANALYZE subsidies_payment")
        cursor.execute("ANALYZE subsidies_entitlement")
    return inserted


def measure(client, keys) -> dict[str, list[float]]:
    timings: dict[str, list[float]] = {key: [] for key in keys}
    for key in keys:  # warm up
        client.get(reverse("reports:widget-data", args=[key]), {"year": 2026})
    for _round in range(ROUNDS):
        for key in keys:
            url = reverse("reports:widget-data", args=[key])
            started = time.perf_counter()
            response = client.get(url, {"year": 2026})
            timings[key].append((time.perf_counter() - started) * 1000)
            assert response.status_code == 200
    return timings


def p95(values: list[float]) -> float:
    return statistics.quantiles(values, n=20)[-1] if len(values) > 1 else values[0]


def report(label: str, payments: int, refresh_ms: float, timings) -> float:
    everything = [t for values in timings.values() for t in values]
    print(f"\n== {label}: {payments:,} payments, summary rebuild {refresh_ms:,.0f} ms")
    for key, values in timings.items():
        print(f"   {key:24s} p50 {statistics.median(values):7.1f} ms   p95 {p95(values):7.1f} ms")
    overall = p95(everything)
    median = statistics.median(everything)
    print(f"   {'ALL ENDPOINTS':24s} p50 {median:7.1f} ms   p95 {overall:7.1f} ms")
    return overall


def rebuild_summary() -> float:
    started = time.perf_counter()
    payment_summary_refresh()
    return (time.perf_counter() - started) * 1000


@pytest.mark.bench
@pytest.mark.django_db
def test_bench_official_dashboard_json(client, make_user):
    district = Area.objects.create(code="330199000000", name="示范区", level="district")
    towns, communities = [], []
    for i in range(1, 9):
        town = Area.objects.create(
            code=f"330199{i:03d}000", name=f"镇{i}", level="town", parent=district
        )
        towns.append(town.pk)
        communities.append(
            Area.objects.create(
                code=f"330199{i:03d}001", name=f"镇{i}社区", level="community", parent=town
            ).pk
        )
    demo_rates()
    with connection.cursor() as cursor:
        cursor.execute(
            PEOPLE_SQL,
            {"communities": communities, "towns": towns, "n": len(towns), "people": PEOPLE},
        )
        cursor.execute(
            "INSERT INTO subsidies_paymentbatch (created_at, updated_at, month, status,"
            " payment_count, total_amount) SELECT now(), now(), m::date, 'paid', 0, 0"
            " FROM generate_series(DATE '2025-01-01', DATE '2026-12-01', INTERVAL '1 month') m"
        )
        cursor.execute("ANALYZE people_person")
    official = make_user("bench-official", Role.OFFICIAL)
    client.force_login(official)
    keys = [w.key for w in dashboard_widgets(DASHBOARDS["official"], official)]

    small_recipients = PAYMENTS // 10 // MONTHS
    small = insert_recipients(0, small_recipients)
    refresh_small = rebuild_summary()
    p95_small = report("reference", small, refresh_small, measure(client, keys))

    big_recipients = PAYMENTS // MONTHS
    big = small + insert_recipients(small_recipients, big_recipients - small_recipients)
    refresh_big = rebuild_summary()
    p95_big = report("full", big, refresh_big, measure(client, keys))

    ratio = p95_big / p95_small
    print(
        f"\n== p95 {p95_big:.1f} ms at {big:,} payments (target ≤ {P95_TARGET_MS} ms); "
        f"ratio to {small:,} payments: {ratio:.2f} (target ≤ {RATIO_TARGET})"
    )
    assert p95_big <= P95_TARGET_MS
    assert ratio <= RATIO_TARGET
