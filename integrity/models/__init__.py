"""党风廉政建设: departments and staff (staff), the ledgers (records) and the festival reminder
campaigns (campaigns). Every name is re-exported here, so callers import from
``integrity.models``."""

from .campaigns import ReminderCampaign
from .records import (
    Commitment,
    Inspection,
    MajorDecision,
    Rectification,
    ResponsibilityLetter,
    RiskPoint,
    ServiceVisit,
    StudySession,
    Talk,
    check_not_future,
)
from .staff import Department, Staff

__all__ = [
    "Commitment",
    "Department",
    "Inspection",
    "MajorDecision",
    "Rectification",
    "ReminderCampaign",
    "ResponsibilityLetter",
    "RiskPoint",
    "ServiceVisit",
    "Staff",
    "StudySession",
    "Talk",
    "check_not_future",
]
