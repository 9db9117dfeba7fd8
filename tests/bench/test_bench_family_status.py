"""Benchmark: the family status page (/service/status/) under 50 concurrent lookups.

Same run: a registry of BENCH_PEOPLE people, half of them receiving a subsidy paid for 24 months
(set-based SQL), and BENCH_CLIENTS verified families, each with an approved application and its
timeline. The reference is the page's own database work (the verified-visit read, the view log
row, the applications with their timeline, the entitlements with the rate in force and the last
12 payments) timed alone, one family at a time, in this process. Then the page is served by
gunicorn with 2 workers on loopback (test settings: DEBUG off) and BENCH_CLIENTS threads each
request their own status page BENCH_ROUNDS times at once. Goal (issue 17): p95 ≤ 300 ms.

    make bench PYTEST_ARGS="-k family"
    BENCH_PEOPLE=5000 make bench PYTEST_ARGS="-k family"      # a quick run
"""

import http.client
import os
import statistics
import threading
import time
from datetime import date, timedelta

import pytest
from django.core import signing
from django.db import connection
from django.utils import timezone

from dfed.accounts.roles import Role
from dfed.people.models import Area, Person
from subsidies.models import Application, ApplicationEvent, ServiceChallenge
from subsidies.selectors import family_overview
from subsidies.services.family import digest, service_challenge_active, service_view_log
from subsidies.tests.factories import demo_rates
from subsidies.views.family import SALT, VERIFIED_COOKIE

from .harness import free_port, p95, start_gunicorn, stop_gunicorn

PEOPLE = int(os.environ.get("BENCH_PEOPLE", "50000"))
CLIENTS = int(os.environ.get("BENCH_CLIENTS", "50"))
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "20"))
P95_TARGET_MS = 300

PEOPLE_SQL = """
INSERT INTO people_person
    (created_at, updated_at, name, id_number, sex, birth_date, ethnicity, certificate_number,
     category, level, household, address, phone, bank_name, bank_account, guardian_name,
     guardian_phone, status, status_date, note, community_id, town_id)
SELECT now(), now(), '测试' || i, lpad(i::text, 18, '0'), 'male', DATE '1970-01-01', '汉族', '',
       1 + i %% 7, 1 + i %% 2, 'dibao', '', '13800138000', '农商银行',
       '622848' || lpad(i::text, 12, '0'), '', '', 'active', NULL, '', %(community)s, %(town)s
FROM generate_series(1, %(people)s) AS i
"""

ENTITLEMENT_SQL = """
INSERT INTO subsidies_entitlement
    (created_at, updated_at, type, tier, start_month, end_month, state, end_reason, state_note,
     paid_through, confirmed_household, person_id)
SELECT now(), now(), 'living', 'none', DATE '2025-01-01', NULL, 'active', '', '', NULL, '', p.id
FROM people_person p WHERE p.id %% 2 = 1 OR p.id <= %(subjects)s
"""

PAYMENT_SQL = """
INSERT INTO subsidies_payment
    (batch_id, entitlement_id, person_id, town_id, type, tier, month, amount, rate_id,
     is_arrears, held, held_reason, created_at)
SELECT b.id, e.id, e.person_id, %(town)s, e.type, e.tier, b.month, r.monthly_amount, r.id,
       b.month = DATE '2025-01-01', FALSE, '', now()
FROM subsidies_entitlement e
JOIN subsidies_subsidyrate r ON r.type = e.type AND r.tier = e.tier
CROSS JOIN subsidies_paymentbatch b
"""


def build_registry(make_user) -> list[ServiceChallenge]:
    district = Area.objects.create(code="330199000000", name="示范区", level="district")
    town = Area.objects.create(code="330199001000", name="镇1", level="town", parent=district)
    community = Area.objects.create(
        code="330199001001", name="镇1社区", level="community", parent=town
    )
    demo_rates()
    with connection.cursor() as cursor:
        cursor.execute(PEOPLE_SQL, {"community": community.pk, "town": town.pk, "people": PEOPLE})
        cursor.execute(
            "INSERT INTO subsidies_paymentbatch (created_at, updated_at, month, status,"
            " payment_count, total_amount) SELECT now(), now(), m::date, 'paid', 0, 0"
            " FROM generate_series(DATE '2025-01-01', DATE '2026-12-01', INTERVAL '1 month') m"
        )
        cursor.execute("SELECT min(id) FROM people_person")
        first = cursor.fetchone()[0]
        cursor.execute(ENTITLEMENT_SQL, {"subjects": first + CLIENTS})
        cursor.execute(PAYMENT_SQL, {"town": town.pk})
        payments = cursor.rowcount
        for table in ("people_person", "subsidies_entitlement", "subsidies_payment"):
            cursor.execute(f"ANALYZE {table}")
    caseworker = make_user("bench-cw", Role.CASEWORKER, towns=[town])
    subjects = list(Person.objects.order_by("pk")[:CLIENTS])
    applications = Application.objects.bulk_create(
        Application(
            person=person,
            type="living",
            status="approved",
            created_by=caseworker,
            submitted_at=timezone.now(),
            approved_from=date(2025, 1, 1),
            decided_at=timezone.now(),
        )
        for person in subjects
    )
    ApplicationEvent.objects.bulk_create(
        ApplicationEvent(application=application, action=action, to_status=status, by=caseworker)
        for application in applications
        for action, status in [
            ("create", "draft"),
            ("submit", "town_review"),
            ("town_approve", "district_review"),
            ("approve", "approved"),
        ]
    )
    now = timezone.now()
    challenges = [
        ServiceChallenge.objects.create(
            id_digest=digest("id", person.id_number),
            phone_digest=digest("phone", person.phone),
            person=person,
            phone=person.phone,
            expires_at=now + timedelta(minutes=10),
            sent_at=now,
            verified_at=now,
        )
        for person in subjects
    ]
    print(f"\n== registry: {PEOPLE:,} people, {payments:,} payments, {CLIENTS} verified families")
    return challenges


def reference_timings(challenges) -> list[float]:
    """The page's database work alone, one family after another, in this process."""
    timings = []
    for _round in range(max(ROUNDS // 4, 3)):
        for challenge in challenges:
            started = time.perf_counter()
            active = service_challenge_active(challenge_id=challenge.pk)
            service_view_log(challenge=active, ip="127.0.0.1", page="status")
            overview = family_overview(person=active.person)
            assert len(overview["payments"]) == 12
            timings.append((time.perf_counter() - started) * 1000)
    return timings


def load(port: int, challenges) -> tuple[list[float], float]:
    """Every family requests its status page ROUNDS times, all at once; returns (ms, seconds)."""
    signer = signing.get_cookie_signer(salt=VERIFIED_COOKIE + SALT)
    timings: list[float] = []
    errors: list[str] = []
    lock = threading.Lock()
    barrier = threading.Barrier(len(challenges))

    def family(challenge) -> None:
        cookie = f"{VERIFIED_COOKIE}={signer.sign(str(challenge.pk))}"
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        conn.request("GET", "/service/status/", headers={"Cookie": cookie})  # warm
        conn.getresponse().read()
        barrier.wait()
        mine = []
        for _round in range(ROUNDS):
            started = time.perf_counter()
            conn.request("GET", "/service/status/", headers={"Cookie": cookie})
            response = conn.getresponse()
            body = response.read()
            mine.append((time.perf_counter() - started) * 1000)
            if response.status != 200 or "最近12次发放".encode() not in body:
                errors.append(f"{response.status}")
        with lock:
            timings.extend(mine)

    threads = [threading.Thread(target=family, args=(c,)) for c in challenges]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors, errors[:5]
    return timings, time.perf_counter() - started


@pytest.mark.bench
@pytest.mark.django_db(transaction=True)
def test_bench_family_status_page_50_concurrent(make_user):
    challenges = build_registry(make_user)
    reference = reference_timings(challenges)
    ref_p95 = p95(reference)
    print(
        f"== reference (DB work alone): p50 {statistics.median(reference):.1f} ms"
        f"   p95 {ref_p95:.1f} ms   ({len(reference)} lookups)"
    )
    port = free_port()
    process = start_gunicorn(port)
    try:
        alone, _seconds = load(port, challenges[:1])
        timings, seconds = load(port, challenges)
    finally:
        stop_gunicorn(process)
    page_p95 = p95(timings)
    print(
        f"== /service/status/ one family at a time: p50 {statistics.median(alone):.1f} ms"
        f"   p95 {p95(alone):.1f} ms"
    )
    print(
        f"== /service/status/ with {CLIENTS} concurrent families, 2 gunicorn workers: "
        f"p50 {statistics.median(timings):.1f} ms   p95 {page_p95:.1f} ms   "
        f"{len(timings) / seconds:.0f} pages/s   (goal p95 ≤ {P95_TARGET_MS} ms; "
        f"{page_p95 / ref_p95:.1f} × the DB work alone)"
    )
    assert page_p95 <= P95_TARGET_MS
