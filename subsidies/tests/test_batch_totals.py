"""The batch page's totals: from the batch row and the month's summary once the batch counts,
equal to the figures computed from the payments; its payments paged with CappedPaginator."""

from datetime import date
from decimal import Decimal

from django.urls import reverse

from dfed.core.pagination import CappedPaginator
from subsidies.models import Payment, PaymentSummary
from subsidies.selectors import payment_batch_totals
from subsidies.selectors.payments import _payment_batch_totals_computed
from subsidies.services import (
    TransferResult,
    payment_batch_confirm,
    payment_batch_generate,
    payment_batch_mark_exported,
    payment_hold,
    payment_results_record,
    payment_summary_refresh,
)

MAR = date(2025, 3, 1)


def _plain(totals: dict) -> dict:
    """Totals with amounts as Decimals of 2 places, for comparing the two paths."""

    def money(value):
        return Decimal(value or 0).quantize(Decimal("0.01"))

    rows = [
        {k: money(v) if k in ("arrears", "amount") else v for k, v in row.items()}
        for row in totals["rows"]
    ]
    by_type = [{**row, "amount": money(row["amount"])} for row in totals["by_type"]]
    total = {k: money(v) if k in ("arrears", "amount") else v for k, v in totals["total"].items()}
    return {**totals, "rows": rows, "by_type": by_type, "total": total}


def test_counted_batch_totals_come_from_the_summary_and_equal_the_payments(
    people, reviewer, django_assert_max_num_queries
):
    batch = payment_batch_generate(month=MAR)
    held = Payment.objects.filter(batch=batch, person=people["other"]).get()
    payment_hold(payment=held, by=reviewer, held=True, reason="核实中")
    draft = payment_batch_totals(batch)
    assert draft["held"]["count"] == 1
    assert draft["total"]["people"] == 3

    payment_batch_confirm(batch=batch, by=reviewer)
    payment_summary_refresh(months=[MAR])
    batch.refresh_from_db()
    assert batch.recipient_count == 3
    payment_batch_mark_exported(batch=batch, by=reviewer)
    payment_results_record(
        batch=batch,
        results={people["ok"].pk: TransferResult(Payment.Status.PAID, bank_serial="SN1")},
        by=reviewer,
        reason="回盘",
    )
    batch.refresh_from_db()
    with django_assert_max_num_queries(2):  # the summary rows, the unpaid payments
        from_summary = payment_batch_totals(batch)
    computed = _payment_batch_totals_computed(batch)
    assert _plain(from_summary) == _plain(computed)
    assert from_summary["total"]["count"] == 4  # ok: living + care; account; dead
    results = {r["status"]: (r["count"], r["amount"]) for r in from_summary["results"]}
    assert results == {
        "pending": (2, Decimal("600.00")),
        "paid": (2, Decimal("500.00")),
        "failed": (0, Decimal("0.00")),
    }


def test_counted_batch_without_summary_rows_is_computed(people, reviewer):
    batch = payment_batch_generate(month=MAR)
    payment_batch_confirm(batch=batch, by=reviewer)
    PaymentSummary.objects.all().delete()  # not refreshed yet
    batch.refresh_from_db()
    totals = payment_batch_totals(batch)
    assert (totals["total"]["count"], totals["total"]["people"]) == (5, 4)
    assert len(totals["rows"]) == 2  # town A: living, care


def test_batch_page_pages_its_payments(client, people, reviewer):
    batch = payment_batch_generate(month=MAR)
    payment_batch_confirm(batch=batch, by=reviewer)
    payment_summary_refresh(months=[MAR])
    client.force_login(reviewer)
    response = client.get(reverse("subsidies:batch-detail", args=[batch.pk]))
    assert response.status_code == 200
    assert isinstance(response.context["paginator"], CappedPaginator)
    assert len(response.context["object_list"]) == 5
    assert response.context["totals"]["total"]["people"] == 4
