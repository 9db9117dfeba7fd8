"""Reads for subsidies; every user-facing read is scoped by the person's town.

One module per area; this package re-exports every public name, so callers import from
``subsidies.selectors``.
"""

from .applications import (
    application_get_visible,
    application_list_drafts_of,
    application_list_visible_to,
    application_list_waiting_for,
    attachment_get_visible,
    entitlement_count_missing_payment,
    entitlement_get_visible,
    entitlement_list_review_due,
    entitlement_list_visible_to,
    rate_for,
    rates_in_force,
    subsidy_rate_list,
)
from .dashboards import (
    PaymentSummaryRow,
    SubsidiesWorkQueue,
    SubsidyYearFigures,
    payment_summary_grouped,
    payment_summary_list,
    payment_year_figures_compute,
    subsidies_figures_for_year,
    subsidies_work_queue,
    subsidy_type_choices,
)
from .family import (
    FAMILY_STEP_TEXT,
    family_application_get,
    family_overview,
)
from .findings import (
    FindingFigures,
    finding_figures,
    finding_get_visible,
    finding_list_visible_to,
)
from .payments import (
    account_correction_get_visible,
    account_correction_list_visible_to,
    bank_rows,
    payment_batch_get,
    payment_batch_latest_month,
    payment_batch_list,
    payment_batch_totals,
    payment_failure_figures,
    payment_list_counted,
    payment_list_paid,
    payment_list_visible_to,
    recovery_list_visible_to,
)

__all__ = [
    "rate_for",
    "rates_in_force",
    "application_list_visible_to",
    "application_get_visible",
    "application_list_drafts_of",
    "application_list_waiting_for",
    "attachment_get_visible",
    "entitlement_list_visible_to",
    "entitlement_get_visible",
    "entitlement_list_review_due",
    "subsidy_rate_list",
    "entitlement_count_missing_payment",
    "payment_batch_list",
    "payment_batch_get",
    "payment_list_counted",
    "payment_list_visible_to",
    "payment_batch_totals",
    "bank_rows",
    "recovery_list_visible_to",
    "account_correction_list_visible_to",
    "account_correction_get_visible",
    "payment_list_paid",
    "payment_failure_figures",
    "payment_batch_latest_month",
    "payment_summary_grouped",
    "payment_year_figures_compute",
    "FAMILY_STEP_TEXT",
    "family_overview",
    "family_application_get",
    "finding_list_visible_to",
    "finding_get_visible",
    "FindingFigures",
    "finding_figures",
    "subsidy_type_choices",
    "SubsidyYearFigures",
    "subsidies_figures_for_year",
    "PaymentSummaryRow",
    "payment_summary_list",
    "SubsidiesWorkQueue",
    "subsidies_work_queue",
]
