"""The admin shows code columns (SMS purpose, importer key, subsidy type) by their labels, in the
list and in its filter, not the stored codes."""

from datetime import date

import pytest
from django.urls import reverse
from django.utils import timezone

from dfed.imports.models import ImportJob
from dfed.notifications.models import SmsMessage
from subsidies.models import PaymentSummary


@pytest.mark.parametrize(
    ("changelist", "label", "code", "query"),
    [
        (
            "admin:notifications_smsmessage_changelist",
            "补贴办理进度通知",
            "subsidy_notice",
            {"purpose": "subsidy_notice"},
        ),
        (
            "admin:imports_importjob_changelist",
            "补贴对象花名册",
            "recipients",
            {"importer": "recipients"},
        ),
        (
            "admin:subsidies_paymentsummary_changelist",
            "重度残疾人护理补贴",
            ">care<",
            {"type": "care"},
        ),
    ],
)
def test_admin_lists_and_filters_show_labels_not_codes(
    client, admin_user, areas, changelist, label, code, query
):
    SmsMessage.objects.create(
        phone="13900000001", body="x", purpose="subsidy_notice", idempotency_key="k1"
    )
    ImportJob.objects.create(importer="recipients", filename="r.xlsx", path="r.xlsx")
    PaymentSummary.objects.create(
        month=date(2026, 1, 1),
        town=areas["town_a"],
        type="care",
        recipients=1,
        payments=1,
        amount=100,
        refreshed_at=timezone.now(),
    )
    client.force_login(admin_user)

    page = client.get(reverse(changelist)).content.decode()

    assert page.count(label) >= 2  # the row and the filter
    assert code not in page.replace(f"={code}", "")  # only as a filter's query value
    filtered = client.get(reverse(changelist), query)
    assert filtered.status_code == 200  # an unknown lookup would redirect to ?e=1
