"""The subsidy summary table equals a direct aggregate of the payments."""

from datetime import date

from django.db.models import Count, Sum
from django_celery_beat.models import PeriodicTask

from subsidies.models import Payment, PaymentSummary
from subsidies.services import (
    payment_batch_confirm,
    payment_batch_generate,
    payment_summary_refresh,
)
from subsidies.tasks import payment_summary_refresh_all

from . import dataset


def summary_table():
    return sorted(
        (r.month, r.town_id, r.type, r.recipients, r.payments, r.amount)
        for r in PaymentSummary.objects.all()
    )


def direct_aggregate():
    rows = (
        Payment.objects.filter(batch__status__in=["confirmed", "exported", "paid"])
        .values("batch__month", "town_id", "type")
        .annotate(people=Count("person", distinct=True), n=Count("pk"), amount=Sum("amount"))
    )
    return sorted(
        (r["batch__month"], r["town_id"], r["type"], r["people"], r["n"], r["amount"]) for r in rows
    )


def test_summary_equals_direct_aggregate_after_batch_confirm(
    registry, reviewer, town_a, town_b, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        dataset.load_subsidies(registry, reviewer)
    assert summary_table() == direct_aggregate()
    jan = {
        (r.town_id, r.type): (r.recipients, r.amount)
        for r in PaymentSummary.objects.filter(month=dataset.JAN)
    }
    assert jan == {
        (town_a.pk, "living"): (1, 300),
        (town_a.pk, "care"): (1, 200),
        (town_b.pk, "living"): (1, 300),
        (town_b.pk, "care"): (1, 300),
    }
    feb = PaymentSummary.objects.get(month=dataset.FEB, town=town_b, type="living")
    assert (feb.recipients, feb.payments, feb.amount) == (2, 2, 600)
    # The March batch is a draft: not in the summary.
    assert not PaymentSummary.objects.filter(month=dataset.MAR).exists()

    with django_capture_on_commit_callbacks(execute=True):
        payment_batch_confirm(batch=dataset_batch(dataset.MAR), by=reviewer)
    assert PaymentSummary.objects.filter(month=dataset.MAR).count() == 4
    assert summary_table() == direct_aggregate()


def dataset_batch(month):
    from subsidies.models import PaymentBatch

    return PaymentBatch.objects.get(month=month)


def test_nightly_refresh_rebuilds_a_stale_table(registry, reviewer):
    dataset.load_subsidies(registry, reviewer)  # on-commit callbacks not run: table stale
    assert PaymentSummary.objects.count() == 0
    # Something the signal would never fix: a stray row for a month with no batch.
    PaymentSummary.objects.create(
        month=date(2020, 1, 1),
        town=registry[0].town,
        type="living",
        recipients=9,
        payments=9,
        amount=9,
        refreshed_at="2020-01-01T00:00Z",
    )
    assert payment_summary_refresh_all.delay().get() == 8
    assert summary_table() == direct_aggregate()


def test_refreshing_one_month_leaves_the_others(registry, reviewer):
    dataset.load_subsidies(registry, reviewer)
    payment_summary_refresh()
    PaymentSummary.objects.filter(month=dataset.FEB).update(amount=1)
    payment_summary_refresh(months=[dataset.JAN])
    assert set(
        PaymentSummary.objects.filter(month=dataset.FEB).values_list("amount", flat=True)
    ) == {1}
    payment_summary_refresh(months=[dataset.FEB])
    assert summary_table() == direct_aggregate()


def test_nightly_refresh_is_scheduled_by_a_migration(db):
    task = PeriodicTask.objects.get(task="subsidies.tasks.payment_summary_refresh_all")
    assert task.enabled
    assert (task.crontab.hour, task.crontab.minute) == ("2", "30")
    assert str(task.crontab.timezone) == "Asia/Shanghai"


def test_generate_alone_does_not_touch_the_summary(
    registry, reviewer, django_capture_on_commit_callbacks
):
    dataset.load_subsidies(registry, reviewer)
    with django_capture_on_commit_callbacks(execute=True):
        payment_batch_generate(month=date(2026, 4, 1), by=reviewer)
    assert PaymentSummary.objects.count() == 0
