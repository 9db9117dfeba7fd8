"""Pages of the accessibility app: thin views over selectors and services."""

from .communities import (
    CommunityCheckView,
    CommunityCreateView,
    CommunityDecideView,
    CommunityDetailView,
    CommunityListView,
    CommunityStartView,
    EvidenceFileView,
)
from .figures import FiguresView
from .photos import PhotoFileView, PhotoUploadView
from .projects import (
    IndexView,
    ProjectAcceptView,
    ProjectApproveView,
    ProjectAssessView,
    ProjectConstructionView,
    ProjectCreateView,
    ProjectDetailView,
    ProjectIntakeView,
    ProjectListView,
    ProjectReopenView,
    ProjectReturnView,
)

__all__ = [
    "CommunityCheckView",
    "CommunityCreateView",
    "CommunityDecideView",
    "CommunityDetailView",
    "CommunityListView",
    "CommunityStartView",
    "EvidenceFileView",
    "FiguresView",
    "IndexView",
    "PhotoFileView",
    "PhotoUploadView",
    "ProjectAcceptView",
    "ProjectApproveView",
    "ProjectAssessView",
    "ProjectConstructionView",
    "ProjectCreateView",
    "ProjectDetailView",
    "ProjectIntakeView",
    "ProjectListView",
    "ProjectReopenView",
    "ProjectReturnView",
]
