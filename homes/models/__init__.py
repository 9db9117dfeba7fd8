"""残疾人之家: day centres, their yearly star assessments, members, services and attendance.

The star rules (score-sheet items, maxima, mandatory items that cap the level, thresholds) are
rows of :class:`StarAssessmentTemplate` per year, edited by admins; code only applies them.
"""

from .assessments import ItemScore, StarAssessment, StarAssessmentTemplate, TemplateItem
from .homes import SERVICE_TYPES, STAR_CHOICES, STAR_LABELS, Home, ServiceType, star_validators
from .members import Attendance, Membership, ServiceRecord

__all__ = [
    "SERVICE_TYPES",
    "Attendance",
    "Home",
    "ItemScore",
    "Membership",
    "STAR_CHOICES",
    "STAR_LABELS",
    "ServiceRecord",
    "ServiceType",
    "StarAssessment",
    "StarAssessmentTemplate",
    "TemplateItem",
    "star_validators",
]
