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
from .entitlements import Entitlement
from .payments import Payment, PaymentBatch, RecoveryItem
from .rates import SubsidyRate
from .summaries import PaymentSummary

__all__ = [
    "Application",
    "ApplicationAttachment",
    "ApplicationEvent",
    "Entitlement",
    "Payment",
    "PaymentBatch",
    "PaymentSummary",
    "RecoveryItem",
    "SUBSIDY_TYPE_SHORT",
    "SubsidyRate",
    "SubsidyType",
    "TIERS_BY_TYPE",
    "Tier",
    "attachment_path",
    "new_token",
    "subsidy_type_short",
]
