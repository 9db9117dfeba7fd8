"""Writes for subsidies (see each module's docstring for its invariants)."""

from .applications import (
    application_approve,
    application_attach,
    application_attachment_delete,
    application_create,
    application_reject,
    application_return,
    application_submit,
    application_town_approve,
    application_update,
)
from .batches import (
    payment_batch_confirm,
    payment_batch_generate,
    payment_batch_mark_exported,
    payment_batch_refresh_totals,
    payment_hold,
)
from .corrections import account_correction_complete
from .entitlements import (
    entitlement_end,
    entitlement_open,
    entitlement_resume,
    entitlement_review_confirm,
    entitlement_sort_key_refresh,
    entitlement_suspend,
    people_changed_receiver,
    person_left_registry_receiver,
    recovery_mark_recovered,
)
from .findings import (
    finding_compare,
    finding_correct,
    finding_dismiss,
    finding_invite,
    finding_start,
    finding_stop,
    invitation_template_update,
)
from .rates import subsidy_rate_create, subsidy_rate_update
from .results import (
    TransferResult,
    payment_batch_mark_paid,
    payment_mark_failed,
    payment_results_record,
)
from .summaries import payment_summary_refresh

__all__ = [
    "TransferResult",
    "account_correction_complete",
    "application_approve",
    "application_attach",
    "application_attachment_delete",
    "application_create",
    "application_reject",
    "application_return",
    "application_submit",
    "application_town_approve",
    "application_update",
    "entitlement_sort_key_refresh",
    "people_changed_receiver",
    "entitlement_end",
    "entitlement_open",
    "entitlement_resume",
    "entitlement_review_confirm",
    "entitlement_suspend",
    "finding_compare",
    "finding_correct",
    "finding_dismiss",
    "finding_invite",
    "finding_start",
    "finding_stop",
    "invitation_template_update",
    "payment_batch_confirm",
    "payment_batch_generate",
    "payment_batch_mark_exported",
    "payment_batch_mark_paid",
    "payment_batch_refresh_totals",
    "payment_hold",
    "payment_summary_refresh",
    "payment_mark_failed",
    "payment_results_record",
    "person_left_registry_receiver",
    "recovery_mark_recovered",
    "subsidy_rate_create",
    "subsidy_rate_update",
]
