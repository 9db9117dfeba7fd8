from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from dfed.people.services import person_set_status
from subsidies.models import (
    AccountCorrection,
    Entitlement,
    FailureReason,
    Payment,
    PaymentBatch,
    RecoveryItem,
    SubsidyType,
)
from subsidies.selectors import payment_batch_totals, payment_failure_figures
from subsidies.services import (
    TransferResult,
    account_correction_complete,
    entitlement_resume,
    payment_batch_generate,
    payment_batch_mark_paid,
    payment_mark_failed,
    payment_results_record,
)
from subsidies.tests.factories import exported

JAN, FEB, MAR, APR, MAY, JUN = (date(2025, m, 1) for m in range(1, 7))
PAID = TransferResult(Payment.Status.PAID, bank_serial="SN001")


def failed(code, text=""):
    return TransferResult(Payment.Status.FAILED, code, text or FailureReason(code).label)


def pay_all(month, reviewer):
    return payment_batch_mark_paid(batch=exported(month, reviewer), by=reviewer)


def living(person) -> Entitlement:
    return Entitlement.objects.get(person=person, type=SubsidyType.LIVING)


def months_of(person, **filters):
    return list(
        Payment.objects.filter(person=person, **filters)
        .order_by("month", "batch__month")
        .values_list("month", "status", "is_arrears")
    )


def test_three_failures_reconcile_and_are_reissued_once(people, reviewer, caseworker):
    march = exported(MAR, reviewer)
    summary = payment_results_record(
        batch=march,
        results={
            people["ok"].pk: PAID,
            people["account"].pk: failed(FailureReason.ACCOUNT_CLOSED, "账户已销户"),
            people["dead"].pk: failed(FailureReason.DECEASED, "户主已死亡"),
            people["other"].pk: failed(FailureReason.OTHER, "系统繁忙"),
        },
        by=reviewer,
        reason="回盘.xlsx",
    )
    assert (summary.paid, summary.failed, summary.batch_paid) == (2, 3, True)
    march.refresh_from_db()
    assert march.status == PaymentBatch.Status.PAID  # every payment has a result
    results = payment_batch_totals(march)["results"]
    assert {r["status"]: (r["count"], r["amount"]) for r in results} == {
        "pending": (0, Decimal(0)),
        "paid": (2, Decimal("500.00")),
        "failed": (3, Decimal("900.00")),
    }
    assert sum(r["amount"] for r in results) == march.total_amount == Decimal("1400.00")

    # paid_through moves only over paid months, with the reason in history.
    assert living(people["ok"]).paid_through == MAR
    assert living(people["ok"]).history.first().history_change_reason.startswith("银行已发放")
    for key in ("account", "dead", "other"):
        assert living(people[key]).paid_through == FEB

    # The account failure waits for the caseworker; the death stops payment.
    correction = AccountCorrection.objects.get()
    assert (correction.person, correction.status) == (people["account"], "open")
    assert living(people["dead"]).state == Entitlement.State.SUSPENDED

    pay_all(APR, reviewer)
    assert months_of(people["account"]) == [(MAR, "failed", False), (APR, "paid", False)]
    assert months_of(people["other"]) == [
        (MAR, "failed", False),
        (MAR, "paid", True),  # re-issued as arrears at once: the cause was the bank's
        (APR, "paid", False),
    ]
    assert months_of(people["dead"]) == [(MAR, "failed", False)]
    assert living(people["other"]).paid_through == APR
    assert living(people["account"]).paid_through == FEB  # March still unpaid

    account_correction_complete(
        correction=correction,
        by=caseworker,
        bank_name="农业银行",
        bank_account="6228480012345678901",
    )
    people["account"].refresh_from_db()
    assert people["account"].bank_account == "6228480012345678901"
    assert people["account"].history.first().history_change_reason == (
        "银行回盘发放失败，更正银行信息"
    )
    pay_all(MAY, reviewer)
    assert months_of(people["account"]) == [
        (MAR, "failed", False),
        (MAR, "paid", True),
        (APR, "paid", False),
        (MAY, "paid", False),
    ]
    assert living(people["account"]).paid_through == MAY
    assert payment_batch_generate(month=JUN).inserted == 4  # June only: nobody paid twice
    assert Payment.objects.filter(month=MAR).exclude(status="failed").count() == 4

    figures = payment_failure_figures(start=MAR, end=MAR)
    assert (figures["returned"], figures["reissued"], figures["never"]) == (
        Decimal("900.00"),
        Decimal("600.00"),
        Decimal("300.00"),
    )
    assert [(r["code"], r["count"]) for r in figures["by_reason"]] == [
        ("closed", 1),
        ("deceased", 1),
        ("other", 1),
    ]

    # The registry records the death (January): nothing re-issued, February recovered.
    person_set_status(person=people["dead"], status="deceased", on=date(2025, 1, 20), by=caseworker)
    assert months_of(people["dead"]) == [(MAR, "failed", False)]
    assert list(RecoveryItem.objects.values_list("month", "amount")) == [(FEB, Decimal("300.00"))]


def test_results_recorded_again_change_nothing_and_others_are_refused(people, reviewer):
    march = exported(MAR, reviewer)
    results = {people["account"].pk: failed(FailureReason.NAME_MISMATCH)}
    payment_results_record(batch=march, results=results, by=reviewer, reason="a")
    again = payment_results_record(batch=march, results=results, by=reviewer, reason="a")
    assert (again.paid, again.failed, again.unchanged) == (0, 0, 1)
    assert AccountCorrection.objects.count() == 1
    with pytest.raises(ValidationError, match="已登记为“发放失败”"):
        payment_results_record(
            batch=march, results={people["account"].pk: PAID}, by=reviewer, reason="b"
        )
    march.refresh_from_db()
    assert march.status == PaymentBatch.Status.EXPORTED  # four transfers still without a result


def test_manual_failure_fails_the_whole_transfer_and_rest_paid(people, reviewer, official):
    march = exported(MAR, reviewer)
    care = Payment.objects.get(person=people["ok"], type=SubsidyType.CARE)
    with pytest.raises(PermissionDenied):
        payment_mark_failed(payment=care, by=official, failure_code=FailureReason.OTHER)
    with pytest.raises(ValidationError):
        payment_mark_failed(payment=care, by=reviewer, failure_code="")
    payment_mark_failed(
        payment=care, by=reviewer, failure_code=FailureReason.ACCOUNT_FROZEN, failure_text="冻结"
    )
    assert set(Payment.objects.filter(person=people["ok"]).values_list("status", flat=True)) == {
        "failed"
    }
    payment_batch_mark_paid(batch=march, by=reviewer)
    march.refresh_from_db()
    assert march.status == PaymentBatch.Status.PAID
    assert Payment.objects.filter(batch=march, status="paid").count() == 3
    with pytest.raises(ValidationError):
        payment_batch_mark_paid(batch=march, by=reviewer)


def test_results_only_after_export(people, reviewer):
    batch = payment_batch_generate(month=MAR)
    with pytest.raises(ValidationError, match="导出银行文件后"):
        payment_results_record(
            batch=batch, results={people["ok"].pk: PAID}, by=reviewer, reason="x"
        )


def test_correction_is_scoped_to_the_caseworkers_towns(people, reviewer, make_user, town_b):
    from dfed.accounts.roles import Role

    march = exported(MAR, reviewer)
    payment_results_record(
        batch=march,
        results={people["account"].pk: failed(FailureReason.ACCOUNT_INVALID)},
        by=reviewer,
        reason="x",
    )
    other_town = make_user("cw-b", Role.CASEWORKER, towns=[town_b])
    with pytest.raises(PermissionDenied):
        account_correction_complete(
            correction=AccountCorrection.objects.get(),
            by=other_town,
            bank_name="农业银行",
            bank_account="6228480012345678901",
        )


def test_resuming_after_a_wrong_death_report_reissues_the_month(people, reviewer):
    march = exported(MAR, reviewer)
    payment_results_record(
        batch=march,
        results={people["dead"].pk: failed(FailureReason.DECEASED, "户主死亡")},
        by=reviewer,
        reason="x",
    )
    entitlement = living(people["dead"])
    assert entitlement.state == Entitlement.State.SUSPENDED
    entitlement_resume(entitlement=entitlement, by=reviewer, note="本人健在，银行信息有误")
    payment_batch_mark_paid(batch=march, by=reviewer)
    pay_all(APR, reviewer)
    assert months_of(people["dead"]) == [
        (MAR, "failed", False),
        (MAR, "paid", True),
        (APR, "paid", False),
    ]


def test_a_payment_recovered_after_death_but_failed_at_the_bank_is_not_recovered(
    people, reviewer, caseworker
):
    march = exported(MAR, reviewer)
    person_set_status(person=people["dead"], status="deceased", on=date(2025, 2, 10), by=caseworker)
    assert RecoveryItem.objects.filter(person=people["dead"], month=MAR).exists()
    payment_results_record(
        batch=march,
        results={people["dead"].pk: failed(FailureReason.DECEASED, "户主死亡")},
        by=reviewer,
        reason="x",
    )
    assert not RecoveryItem.objects.filter(person=people["dead"], month=MAR).exists()
