"""Models of the accessibility app (re-exported here for migrations and imports)."""

from .budgets import RetrofitBudget
from .communities import AccessibleCommunity, ChecklistItem, CommunityCheck, evidence_upload_to
from .retrofits import (
    Photo,
    ProjectItem,
    ProjectStep,
    RetrofitItem,
    RetrofitProject,
    photo_upload_to,
    thumbnail_upload_to,
)

__all__ = [
    "AccessibleCommunity",
    "ChecklistItem",
    "CommunityCheck",
    "Photo",
    "ProjectItem",
    "ProjectStep",
    "RetrofitBudget",
    "RetrofitItem",
    "RetrofitProject",
    "evidence_upload_to",
    "photo_upload_to",
    "thumbnail_upload_to",
]
