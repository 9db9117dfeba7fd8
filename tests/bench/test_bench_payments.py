"""Benchmark: generate a month's payment batch for many active entitlements.

Prints the time of ``payment_batch_generate`` (one INSERT … SELECT with arrears, rates per month,
skip-if-paid) against a hand-written INSERT … SELECT writing the same rows into the same table in
the same run, and the time of a re-run (no-op). Goals (issue 4): ≤ 2× the reference and ≤ 5 s at
100k entitlements; re-run ≤ 1 s. Scale with BENCH_ENTITLEMENTS (default 100000).

    make bench            # or: pytest tests/bench/test_bench_payments.py -m bench -s
"""

import os
import time
from datetime import date

import pytest
from django.db import connection, transaction

from dfed.core.months import month_add
from subsidies.models import Payment, PaymentBatch
from subsidies.services import payment_batch_generate
from subsidies.tests.factories import demo_rates

N = int(os.environ.get("BENCH_ENTITLEMENTS", "100000"))
MONTH = date(2026, 3, 1)

PEOPLE_SQL = """
INSERT INTO people_person
    (name, id_number, sex, birth_date, ethnicity, certificate_number, category, level, household,
     town_id, community_id, address, phone, bank_name, bank_account, guardian_name,
     guardian_phone, status, status_date, note, created_at, updated_at)
SELECT '测试' || i, '3301991980' || lpad(i::text, 8, '0'), 'male', DATE '1980-01-01', '汉族', '',
       4, 1 + (i %% 2), 'dibao',
       CASE WHEN i %% 2 = 0 THEN %(town_a)s ELSE %(town_b)s END,
       CASE WHEN i %% 2 = 0 THEN %(community_a)s ELSE %(community_b)s END,
       '', '', '农商银行', '6228480' || lpad(i::text, 12, '0'), '', '', 'active', NULL, '',
       now(), now()
FROM generate_series(1, %(n)s) AS i
"""

ENTITLEMENTS_SQL = """
INSERT INTO subsidies_entitlement
    (person_id, type, tier, start_month, end_month, state, end_reason, state_note, paid_through,
     application_id, confirmed_household, confirmed_category, confirmed_level, review_due,
     last_reviewed_at, created_by_id, created_at, updated_at)
SELECT p.id,
       CASE WHEN p.id %% 3 = 0 THEN 'living' ELSE 'care' END,
       CASE WHEN p.id %% 3 = 0 THEN 'none' WHEN p.level = 1 THEN 'level1' ELSE 'level2' END,
       DATE '2025-01-01', NULL, 'active', '', '', %(paid_through)s,
       NULL, p.household, p.category, p.level, NULL, NULL, NULL, now(), now()
FROM people_person p
"""

REFERENCE_SQL = """
INSERT INTO subsidies_payment
    (batch_id, entitlement_id, person_id, town_id, type, tier, month, amount, rate_id,
     is_arrears, held, held_reason, created_at)
SELECT %(batch)s, e.id, e.person_id, p.town_id, e.type, e.tier, %(month)s, r.monthly_amount, r.id,
       FALSE, FALSE, '', now()
FROM subsidies_entitlement e
JOIN people_person p ON p.id = e.person_id
JOIN subsidies_subsidyrate r ON r.type = e.type AND r.tier = e.tier
 AND r.effective_from <= %(month)s AND (r.effective_to IS NULL OR r.effective_to >= %(month)s)
WHERE e.state = 'active'
"""


def timed(call) -> float:
    start = time.perf_counter()
    call()
    return time.perf_counter() - start


def vacuum_analyze(*tables: str) -> None:
    with connection.cursor() as cursor:
        for table in tables:
            cursor.execute(f"VACUUM ANALYZE {table}")


@pytest.mark.bench
@pytest.mark.django_db(transaction=True)
def test_bench_payment_batch_generate(areas):
    if connection.vendor != "postgresql":
        pytest.skip("the benchmark measures the PostgreSQL INSERT … SELECT")
    demo_rates()
    started = time.perf_counter()
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            PEOPLE_SQL,
            {
                "n": N,
                "town_a": areas["town_a"].pk,
                "town_b": areas["town_b"].pk,
                "community_a": areas["community_a1"].pk,
                "community_b": areas["community_b1"].pk,
            },
        )
        cursor.execute(ENTITLEMENTS_SQL, {"paid_through": month_add(MONTH, -1)})
    vacuum_analyze("people_person", "subsidies_entitlement", "subsidies_payment")
    setup = time.perf_counter() - started

    # Reference: the same rows, written by a plain INSERT … SELECT into the same table; best of
    # two runs (the first also warms the cache for the measured generation).
    reference_times = []
    for offset in (120, 121):
        reference_batch = PaymentBatch.objects.create(month=month_add(MONTH, offset))

        def reference(batch=reference_batch):
            with transaction.atomic(), connection.cursor() as cursor:
                cursor.execute(REFERENCE_SQL, {"batch": batch.pk, "month": MONTH})

        reference_times.append(timed(reference))
        assert Payment.objects.filter(batch=reference_batch).count() == N
        Payment.objects.filter(batch=reference_batch).delete()
        reference_batch.delete()
        vacuum_analyze("subsidies_payment")
    reference_s = min(reference_times)

    results = {}
    generate_s = timed(lambda: results.setdefault("first", payment_batch_generate(month=MONTH)))
    rerun_s = timed(lambda: results.setdefault("again", payment_batch_generate(month=MONTH)))
    assert results["first"].inserted == N
    assert results["again"].inserted == 0
    assert Payment.objects.filter(batch=results["first"]).count() == N

    ratio = generate_s / reference_s
    print(
        f"\n[bench payments] entitlements={N} setup={setup:.2f}s\n"
        f"  reference INSERT…SELECT : {reference_s:.3f}s\n"
        f"  payment_batch_generate  : {generate_s:.3f}s  ratio {ratio:.2f}× "
        f"(goal ≤ 2× and ≤ 5 s: {'met' if ratio <= 2 and generate_s <= 5 else 'NOT met'})\n"
        f"  re-run (no-op)          : {rerun_s:.3f}s  "
        f"(goal ≤ 1 s: {'met' if rerun_s <= 1 else 'NOT met'})"
    )
