"""The two disability subsidies: rates, applications, entitlements, payment batches, recovery.

Months are ``DateField`` values holding the first day of the month. Money is yuan with 2 places.
"""

from .applications import (
    Application,
    ApplicationAttachment,
    ApplicationEvent,
    attachment_path,
    new_token,
)
from .choices import SUBSIDY_TYPE_SHORT, TIERS_BY_TYPE, SubsidyType, Tier, subsidy_type_short
from .corrections import AccountCorrection, BatchAccount
from .entitlements import Entitlement, entitlement_sort_key
from .family import ServiceChallenge, ServiceLog
from .findings import Finding, InvitationTemplate
from .payments import (
    ACCOUNT_FAILURES,
    FailureReason,
    Payment,
    PaymentBatch,
    RecoveryItem,
)
from .rates import SubsidyRate
from .summaries import PaymentSummary, PaymentYearSummary

__all__ = [
    "ACCOUNT_FAILURES",
    "AccountCorrection",
    "FailureReason",
    "Application",
    "ApplicationAttachment",
    "ApplicationEvent",
    "Entitlement",
    "entitlement_sort_key",
    "Finding",
    "InvitationTemplate",
    "Payment",
    "PaymentBatch",
    "BatchAccount",
    "PaymentSummary",
    "PaymentYearSummary",
    "RecoveryItem",
    "SUBSIDY_TYPE_SHORT",
    "ServiceChallenge",
    "ServiceLog",
    "SubsidyRate",
    "SubsidyType",
    "TIERS_BY_TYPE",
    "Tier",
    "attachment_path",
    "new_token",
    "subsidy_type_short",
]
