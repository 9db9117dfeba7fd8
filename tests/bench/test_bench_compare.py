"""Benchmark: compare a province-sized registry with a large 民政 list (issue 16).

A registry of BENCH_COMPARE_PEOPLE people (default 1,500,000; ~285k entitlements at that size)
and a 低保 list of BENCH_COMPARE_LIST rows (default 1,000,000: every registered 低保 person and,
as in a real 民政 list, many people who are not disabled). ``finding_compare`` runs every rule;
on this data the 民政 rules and the registry-wide 护理补贴 rule find something. The reference is
a hand-written join doing the same matching (the same four rules) into a temporary table, in the
same run. Goals: ≤ 30 s and ≤ 2× the reference; the re-run (nothing new) is printed too.

    make bench            # or: pytest tests/bench/test_bench_compare.py -m bench -s
"""

import os
import re
import time
from datetime import date

import pytest
from django.db import connection, transaction

from dfed.people.models import ExternalList
from subsidies.models import Finding
from subsidies.services import finding_compare
from subsidies.tests.factories import demo_rates

P = int(os.environ.get("BENCH_COMPARE_PEOPLE", "1500000"))
L = int(os.environ.get("BENCH_COMPARE_LIST", "1000000"))
TODAY = date(2026, 11, 30)

# Person i: 低保 when i % 5 = 0; severe (level 1/2) when i % 25 = 1; the rest level 3/4.
PEOPLE_SQL = """
INSERT INTO people_person
    (name, id_number, sex, birth_date, ethnicity, certificate_number, category, level, household,
     town_id, community_id, address, phone, bank_name, bank_account, guardian_name,
     guardian_phone, status, status_date, note, created_at, updated_at)
SELECT '测试' || i, '3301991980' || lpad(i::text, 8, '0'), 'male', DATE '1980-01-01', '汉族', '',
       4, CASE WHEN i %% 25 = 1 THEN 1 + (i %% 2) ELSE 3 + (i %% 2) END,
       CASE WHEN i %% 5 = 0 THEN 'dibao' ELSE 'general' END,
       CASE WHEN i %% 2 = 0 THEN %(town_a)s ELSE %(town_b)s END,
       CASE WHEN i %% 2 = 0 THEN %(community_a)s ELSE %(community_b)s END,
       '', '', '', '', '', '', 'active', NULL, '', now(), now()
FROM generate_series(1, %(n)s) AS i
"""
# 生活补贴 for 低保 people except every 5th of them; 护理补贴 for severe people except every 4th
# (run without params: a single % is the operator).
ENTITLEMENTS_SQL = """
INSERT INTO subsidies_entitlement
    (person_id, type, tier, start_month, end_month, state, end_reason, state_note, paid_through,
     application_id, confirmed_household, confirmed_category, confirmed_level, review_due,
     last_reviewed_at, created_by_id, created_at, updated_at)
SELECT p.id, t.type, CASE WHEN t.type = 'living' THEN 'none' ELSE 'level' || p.level END,
       DATE '2025-01-01', NULL, 'active', '', '', DATE '2026-10-01', NULL, p.household,
       p.category, p.level, NULL, NULL, NULL, now(), now()
FROM people_person p
JOIN (VALUES ('living'), ('care')) AS t(type)
  ON (t.type = 'living' AND p.household = 'dibao'
      AND substr(p.id_number, 11)::int % 25 <> 0)
  OR (t.type = 'care' AND p.level IN (1, 2) AND substr(p.id_number, 11)::int % 100 <> 1)
"""
# Row j: the registered 低保 person 5j while there is one, then people not in the registry;
# one in 100 ended last spring, one in 200 is 特困 by 民政's record.
LIST_SQL = """
INSERT INTO people_assistancerecord
    (source_id, row, id_number, name, current, household, from_month, to_month)
SELECT %(source)s, j + 1,
       '3301991980' || lpad((CASE WHEN 5 * j <= %(people)s THEN 5 * j ELSE %(people)s + j END)::text, 8, '0'),
       '测试' || j, TRUE,
       CASE WHEN j %% 200 = 7 THEN 'tekun' ELSE 'dibao' END, DATE '2024-01-01',
       CASE WHEN j %% 100 = 3 THEN DATE '2026-04-01' ELSE NULL END
FROM generate_series(1, %(n)s) AS j
"""  # noqa: E501
# The same matching as the four rules that fire here, by hand, into a temporary table.
REFERENCE_SQL = """
CREATE TEMP TABLE reference_findings AS
SELECT 'assistance_ended' AS rule, a.id_number, e.type, p.id AS person_id, a.to_month AS end_month
FROM people_assistancerecord a
JOIN people_person p ON p.id_number = a.id_number
JOIN subsidies_entitlement e ON e.person_id = p.id AND e.state <> 'ended' AND e.type = 'living'
WHERE a.current AND a.to_month < DATE '2026-11-01'
UNION ALL
SELECT 'start_living', a.id_number, 'living', p.id, NULL
FROM people_assistancerecord a
JOIN people_person p ON p.id_number = a.id_number AND p.status = 'active'
WHERE a.current AND a.household = 'dibao' AND a.from_month <= DATE '2026-11-01'
  AND (a.to_month IS NULL OR a.to_month >= DATE '2026-11-01')
  AND NOT EXISTS (SELECT 1 FROM subsidies_entitlement e WHERE e.person_id = p.id
                  AND e.type = 'living' AND e.state <> 'ended')
  AND NOT EXISTS (SELECT 1 FROM subsidies_application x WHERE x.person_id = p.id
                  AND x.type = 'living' AND x.status IN ('draft', 'town_review', 'district_review'))
UNION ALL
SELECT 'household', a.id_number, '', p.id, NULL
FROM people_assistancerecord a
JOIN people_person p ON p.id_number = a.id_number AND p.status = 'active'
WHERE a.current AND a.household <> p.household
  AND (a.to_month IS NULL OR a.to_month >= DATE '2026-11-01')
UNION ALL
SELECT 'start_care', p.id_number, 'care', p.id, NULL
FROM people_person p
WHERE p.status = 'active' AND p.level IN (1, 2)
  AND NOT EXISTS (SELECT 1 FROM subsidies_entitlement e WHERE e.person_id = p.id
                  AND e.type = 'care' AND e.state <> 'ended')
  AND NOT EXISTS (SELECT 1 FROM subsidies_application x WHERE x.person_id = p.id
                  AND x.type = 'care' AND x.status IN ('draft', 'town_review', 'district_review'))
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
def test_bench_compare_lists(areas):
    if connection.vendor != "postgresql":
        pytest.skip("the benchmark measures PostgreSQL")
    demo_rates()
    started = time.perf_counter()
    source = ExternalList.objects.create(kind="assistance", filename="bench.csv", row_count=L)
    towns = {
        "town_a": areas["town_a"].pk,
        "town_b": areas["town_b"].pk,
        "community_a": areas["community_a1"].pk,
        "community_b": areas["community_b1"].pk,
    }
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(PEOPLE_SQL, {"n": P, **towns})
        cursor.execute(ENTITLEMENTS_SQL)
        cursor.execute(LIST_SQL, {"source": source.pk, "people": P, "n": L})
        cursor.execute("SELECT count(*) FROM subsidies_entitlement")
        entitlements = cursor.fetchone()[0]
    vacuum_analyze(
        "people_person", "subsidies_entitlement", "people_assistancerecord", "subsidies_finding"
    )
    setup = time.perf_counter() - started

    def reference():
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("SET LOCAL jit = off")
            cursor.execute(REFERENCE_SQL)
            cursor.execute("SELECT count(*) FROM reference_findings")
            reference_rows.append(cursor.fetchone()[0])
            cursor.execute("DROP TABLE reference_findings")

    reference_rows: list[int] = []
    reference_s = min(timed(reference), timed(reference))  # the first also warms the cache

    counts = {}
    statements: list[tuple[float, str]] = []

    def clock(execute, sql, params, many, context):
        start = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            rule = re.search(r"'(\w+)' AS rule", sql)
            statements.append((time.perf_counter() - start, rule[1] if rule else sql[:40]))

    with connection.execute_wrapper(clock):
        compare_s = timed(lambda: counts.update(finding_compare(today=TODAY)))
    slowest = [s for s in sorted(statements, reverse=True) if s[0] >= 0.05]
    rerun_counts = {}
    rerun_s = timed(lambda: rerun_counts.update(finding_compare(today=TODAY)))

    found = Finding.objects.count()
    assert found == reference_rows[0]
    assert Finding.objects.filter(status="open").count() == found  # the re-run resolved nothing
    assert counts["start_living"] > 0
    assert counts["assistance_ended"] > 0
    ratio = compare_s / reference_s
    print(
        f"\n[bench compare] people={P} entitlements={entitlements} list rows={L} "
        f"findings={found} setup={setup:.1f}s\n"
        f"  hand-written join (same matching) : {reference_s:.2f}s\n"
        f"  finding_compare (first run)        : {compare_s:.2f}s  ratio {ratio:.2f}× "
        f"(goal ≤ 2× and ≤ 30 s: {'met' if ratio <= 2 and compare_s <= 30 else 'NOT met'})\n"
        f"  finding_compare (re-run)           : {rerun_s:.2f}s  "
        f"ratio {rerun_s / reference_s:.2f}×\n"
        f"  per rule: { {str(k): v for k, v in counts.items() if v} }\n"
        f"  slowest statements: {[(round(t, 2), sql) for t, sql in slowest]}"
    )
