import threading
from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from dfed.people.services import person_set_status
from subsidies.models import (
    Payment,
    PaymentBatch,
    RecoveryItem,
    SubsidyRate,
    SubsidyType,
    Tier,
)
from subsidies.services import (
    entitlement_open,
    entitlement_resume,
    entitlement_suspend,
    payment_batch_confirm,
    payment_batch_generate,
    payment_batch_mark_exported,
    payment_batch_mark_paid,
    payment_hold,
    subsidy_rate_create,
    subsidy_rate_update,
)
from subsidies.signals import payment_batch_confirmed
from subsidies.tests.factories import EntitlementFactory, demo_rates

LIVING, CARE = SubsidyType.LIVING, SubsidyType.CARE
MAR = date(2025, 3, 1)


def months_paid(entitlement):
    return list(
        Payment.objects.filter(entitlement=entitlement)
        .order_by("month")
        .values_list("month", "amount", "is_arrears")
    )


def pay(batch, reviewer):
    payment_batch_confirm(batch=batch, by=reviewer)
    payment_batch_mark_exported(batch=batch, by=reviewer)
    return payment_batch_mark_paid(batch=batch, by=reviewer)


# --- rates -------------------------------------------------------------------------------------


def test_rate_overlap_refused(rates, reviewer):
    with pytest.raises(ValidationError, match="时间重叠"):
        subsidy_rate_create(
            by=reviewer,
            type=LIVING,
            tier=Tier.NONE,
            monthly_amount=Decimal(320),
            effective_from=date(2026, 1, 1),
        )


def test_rate_change_mid_year_after_closing_old_one(rates, reviewer):
    living = rates[0]
    subsidy_rate_update(rate=living, by=reviewer, effective_to=date(2025, 6, 1))
    subsidy_rate_create(
        by=reviewer,
        type=LIVING,
        tier=Tier.NONE,
        monthly_amount=Decimal("330.50"),
        effective_from=date(2025, 7, 1),
    )
    with pytest.raises(ValidationError, match="时间重叠"):
        subsidy_rate_create(
            by=reviewer,
            type=LIVING,
            tier=Tier.NONE,
            monthly_amount=Decimal(1),
            effective_from=date(2025, 6, 1),
            effective_to=date(2025, 6, 1),
        )


def test_rate_tier_must_fit_type(reviewer, db):
    with pytest.raises(ValidationError, match="不能选择档次"):
        subsidy_rate_create(
            by=reviewer,
            type=CARE,
            tier=Tier.NONE,
            monthly_amount=Decimal(1),
            effective_from=date(2025, 1, 1),
        )


def test_rate_overlap_refused_by_database(rates):
    from django.db import IntegrityError

    with pytest.raises(IntegrityError):
        SubsidyRate.objects.create(
            type=LIVING, tier=Tier.NONE, monthly_amount=1, effective_from=date(2030, 1, 1)
        )


def test_rate_used_by_payments_keeps_amount(rates, reviewer, person):
    EntitlementFactory(person=person, start_month=MAR)
    payment_batch_generate(month=MAR)
    with pytest.raises(ValidationError, match="只能修改截止月份"):
        subsidy_rate_update(rate=rates[0], by=reviewer, monthly_amount=Decimal(400))


# --- generation --------------------------------------------------------------------------------


def test_payment_batch_generate_one_payment_per_active_entitlement(rates, person_factory, areas):
    a = EntitlementFactory(person=person_factory(), start_month=MAR)
    care = EntitlementFactory(person=a.person, type=CARE, tier=Tier.LEVEL1, start_month=MAR)
    suspended = EntitlementFactory(person=person_factory(), start_month=MAR, state="suspended")
    ended = EntitlementFactory(
        person=person_factory(),
        start_month=MAR,
        state="ended",
        end_month=MAR,
        end_reason="requested",
    )
    future = EntitlementFactory(person=person_factory(), start_month=date(2025, 4, 1))
    batch = payment_batch_generate(month=MAR)
    assert batch.inserted == 2
    assert months_paid(a) == [(MAR, Decimal("300.00"), False)]
    assert months_paid(care) == [(MAR, Decimal("300.00"), False)]
    for skipped in (suspended, ended, future):
        assert months_paid(skipped) == []
    assert (batch.payment_count, batch.total_amount) == (2, Decimal("600.00"))
    payment = Payment.objects.get(entitlement=a)
    assert payment.town == areas["town_a"]


def test_payment_batch_generate_is_idempotent(rates, person):
    EntitlementFactory(person=person, start_month=date(2025, 1, 1))
    first = payment_batch_generate(month=MAR)
    assert first.inserted == 3
    again = payment_batch_generate(month=MAR)
    assert again.inserted == 0
    assert PaymentBatch.objects.count() == 1
    assert Payment.objects.count() == 3
    assert again.total_amount == Decimal("900.00")


def test_payment_batch_generate_arrears_for_backdated_start(rates, person):
    entitlement = EntitlementFactory(person=person, start_month=date(2025, 1, 1))
    payment_batch_generate(month=MAR)
    assert months_paid(entitlement) == [
        (date(2025, 1, 1), Decimal("300.00"), True),
        (date(2025, 2, 1), Decimal("300.00"), True),
        (MAR, Decimal("300.00"), False),
    ]


def test_payment_batch_generate_taken_over_paid_only_after_paid_through(rates, person):
    entitlement = EntitlementFactory(
        person=person, start_month=date(2024, 6, 1), paid_through=date(2025, 2, 1)
    )
    payment_batch_generate(month=MAR)
    assert months_paid(entitlement) == [(MAR, Decimal("300.00"), False)]
    nothing = EntitlementFactory(
        person=entitlement.person,
        type=CARE,
        tier=Tier.LEVEL2,
        start_month=date(2024, 1, 1),
        paid_through=date(2025, 5, 1),
    )
    payment_batch_generate(month=MAR)
    assert months_paid(nothing) == []


def test_payment_batch_generate_rate_in_force_each_month(rates, reviewer, person):
    subsidy_rate_update(rate=rates[0], by=reviewer, effective_to=date(2025, 1, 1))
    subsidy_rate_create(
        by=reviewer,
        type=LIVING,
        tier=Tier.NONE,
        monthly_amount=Decimal("350.00"),
        effective_from=date(2025, 2, 1),
    )
    entitlement = EntitlementFactory(person=person, start_month=date(2025, 1, 1))
    payment_batch_generate(month=MAR)
    assert [amount for _m, amount, _a in months_paid(entitlement)] == [
        Decimal("300.00"),
        Decimal("350.00"),
        Decimal("350.00"),
    ]


def test_payment_batch_generate_next_month_pays_only_new_month(rates, person, reviewer):
    entitlement = EntitlementFactory(person=person, start_month=date(2025, 2, 1))
    pay(payment_batch_generate(month=MAR), reviewer)
    entitlement.refresh_from_db()
    assert entitlement.paid_through == MAR
    april = payment_batch_generate(month=date(2025, 4, 1))
    assert april.inserted == 1
    assert months_paid(entitlement)[-1] == (date(2025, 4, 1), Decimal("300.00"), False)


def test_suspended_then_resumed_pays_missed_months(rates, person, reviewer):
    entitlement = EntitlementFactory(person=person, start_month=MAR)
    payment_batch_generate(month=MAR)
    entitlement_suspend(entitlement=entitlement, by=reviewer, note="核查")
    assert payment_batch_generate(month=date(2025, 4, 1)).inserted == 0
    entitlement_resume(entitlement=entitlement, by=reviewer)
    may = payment_batch_generate(month=date(2025, 5, 1))
    assert may.inserted == 2  # April as arrears, May


def test_batch_confirmed_is_left_alone(rates, person, reviewer):
    EntitlementFactory(person=person, start_month=MAR)
    batch = payment_batch_generate(month=MAR)
    payment_batch_confirm(batch=batch, by=reviewer)
    EntitlementFactory(person=person, type=CARE, tier=Tier.LEVEL2, start_month=MAR)
    assert payment_batch_generate(month=MAR).inserted == 0
    assert Payment.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_payment_batch_generate_concurrent_runs_write_once(person_factory, areas):
    demo_rates()
    for _i in range(20):
        EntitlementFactory(person=person_factory(), start_month=date(2025, 1, 1))
    barrier = threading.Barrier(2)
    results, errors = [], []

    def run():
        try:
            barrier.wait()
            results.append(payment_batch_generate(month=MAR).inserted)
        except Exception as exc:  # noqa: BLE001
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _i in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert sorted(results) == [0, 60]
    assert PaymentBatch.objects.count() == 1
    assert Payment.objects.count() == 60


# --- hold, confirm, paid -----------------------------------------------------------------------


def test_payment_hold_and_confirm_withdraws_held(rates, person_factory, reviewer):
    kept = EntitlementFactory(person=person_factory(), start_month=MAR)
    held = EntitlementFactory(person=person_factory(), start_month=MAR)
    batch = payment_batch_generate(month=MAR)
    payment = Payment.objects.get(entitlement=held)
    with pytest.raises(ValidationError):
        payment_hold(payment=payment, by=reviewer, held=True, reason="")
    payment_hold(payment=payment, by=reviewer, held=True, reason="账号冻结")
    batch.refresh_from_db()
    assert batch.total_amount == Decimal("300.00")
    received = []

    def receiver(sender, batch, by, **kwargs):
        received.append((sender, batch.pk, batch.status, by))

    payment_batch_confirmed.connect(receiver)
    try:
        payment_batch_confirm(batch=batch, by=reviewer)
    finally:
        payment_batch_confirmed.disconnect(receiver)
    assert received == [(PaymentBatch, batch.pk, "confirmed", reviewer)]
    assert list(Payment.objects.values_list("entitlement", flat=True)) == [kept.pk]
    with pytest.raises(ValidationError, match="只有草稿批次"):
        payment_hold(payment=Payment.objects.get(), by=reviewer, held=True, reason="x")
    april = payment_batch_generate(month=date(2025, 4, 1))
    assert months_paid(held) == [
        (MAR, Decimal("300.00"), True),
        (date(2025, 4, 1), Decimal("300.00"), False),
    ]
    assert april.inserted == 3


def test_batch_transitions_in_order(rates, person, reviewer):
    EntitlementFactory(person=person, start_month=MAR)
    batch = payment_batch_generate(month=MAR)
    with pytest.raises(ValidationError):
        payment_batch_mark_paid(batch=batch, by=reviewer)
    with pytest.raises(ValidationError):
        payment_batch_mark_exported(batch=batch, by=reviewer)
    pay(batch, reviewer)
    batch.refresh_from_db()
    assert batch.status == "paid"
    assert batch.history.count() >= 4


def test_batch_steps_need_permission(rates, person, caseworker, official):
    from django.core.exceptions import PermissionDenied

    EntitlementFactory(person=person, start_month=MAR)
    with pytest.raises(PermissionDenied):
        payment_batch_generate(month=MAR, by=caseworker)
    batch = payment_batch_generate(month=MAR)
    with pytest.raises(PermissionDenied):
        payment_batch_confirm(batch=batch, by=official)


# --- death and recovery ------------------------------------------------------------------------


def test_death_ends_entitlement_and_recovers_later_payments(rates, person, reviewer, caseworker):
    entitlement = entitlement_open(
        person=person, type=LIVING, tier=Tier.NONE, start_month=date(2025, 1, 1), by=reviewer
    )
    care = entitlement_open(
        person=person, type=CARE, tier=Tier.LEVEL2, start_month=date(2025, 1, 1), by=reviewer
    )
    pay(payment_batch_generate(month=MAR), reviewer)  # Jan–Mar paid
    april = payment_batch_generate(month=date(2025, 4, 1))  # draft
    assert april.payment_count == 2
    person_set_status(person=person, status="deceased", on=date(2025, 2, 14), by=caseworker)
    entitlement.refresh_from_db()
    assert (entitlement.state, entitlement.end_reason, entitlement.end_month) == (
        "ended",
        "death",
        date(2025, 2, 1),
    )
    items = RecoveryItem.objects.order_by("entitlement__type", "month")
    assert [(i.entitlement_id, i.month, i.amount) for i in items] == [
        (care.pk, MAR, Decimal("200.00")),
        (entitlement.pk, MAR, Decimal("300.00")),
    ]
    assert sum(i.amount for i in items) == Decimal("500.00")
    april.refresh_from_db()
    assert (april.payment_count, april.total_amount) == (0, 0)  # draft payments withdrawn
    assert payment_batch_generate(month=date(2025, 5, 1)).inserted == 0


def test_moving_away_recovers_months_paid_by_old_process(rates, person, reviewer, caseworker):
    entitlement = entitlement_open(
        person=person,
        type=LIVING,
        tier=Tier.NONE,
        start_month=date(2024, 1, 1),
        paid_through=date(2025, 3, 1),
        by=reviewer,
    )
    person_set_status(person=person, status="moved", on=date(2025, 1, 20), by=caseworker)
    entitlement.refresh_from_db()
    assert entitlement.end_reason == "moved"
    assert list(RecoveryItem.objects.values_list("month", "amount", "payment")) == [
        (MAR, Decimal("300.00"), None),
        (date(2025, 2, 1), Decimal("300.00"), None),
    ]


def test_python_fallback_writes_the_same_rows_as_the_sql(rates, person_factory, reviewer):
    from subsidies.services.batches import _generate_rows_python

    EntitlementFactory(person=person_factory(), start_month=date(2025, 1, 1))
    EntitlementFactory(
        person=person_factory(), start_month=date(2024, 6, 1), paid_through=date(2025, 1, 1)
    )
    EntitlementFactory(person=person_factory(), type=CARE, tier=Tier.LEVEL1, start_month=MAR)
    EntitlementFactory(person=person_factory(), start_month=MAR, state="suspended")
    batch = payment_batch_generate(month=MAR)
    columns = (
        "entitlement_id",
        "person_id",
        "town_id",
        "type",
        "tier",
        "month",
        "amount",
        "rate_id",
        "is_arrears",
    )
    from_sql = sorted(Payment.objects.values_list(*columns))
    Payment.objects.all().delete()
    assert _generate_rows_python(batch, MAR) == len(from_sql) == 6
    assert sorted(Payment.objects.values_list(*columns)) == from_sql
    assert _generate_rows_python(batch, MAR) == 0


def test_rate_level3_only_when_enabled(reviewer, settings, db):
    kwargs = {
        "by": reviewer,
        "type": CARE,
        "tier": Tier.LEVEL3,
        "monthly_amount": Decimal(100),
        "effective_from": date(2025, 1, 1),
    }
    with pytest.raises(ValidationError, match="未启用三级"):
        subsidy_rate_create(**kwargs)
    settings.SUBSIDY_CARE_INCLUDES_LEVEL3_MENTAL = True
    assert subsidy_rate_create(**kwargs).tier == Tier.LEVEL3


def test_mark_paid_writes_history_with_reason(areas, person_factory, rates, reviewer):
    from dfed.core.history import history_entries

    person = person_factory()
    entitlement = EntitlementFactory(person=person, start_month=MAR)
    before = entitlement.history.count()
    batch = payment_batch_generate(month=MAR)
    pay(batch, reviewer)
    entitlement.refresh_from_db()
    assert entitlement.paid_through == MAR
    assert entitlement.history.count() == before + 1
    entry = history_entries(entitlement, viewer=reviewer)[0]
    assert entry.user == reviewer
    assert entry.reason == "2025年3月 批次已发放"
    assert [(c.old, c.new) for c in entry.changes if c.label == "已发放至"] == [("—", "2025-03-01")]
