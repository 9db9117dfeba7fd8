"""The registry's views: people (persons), 区内迁移 (transfers), external lists (lists) and the
sensitive-access log (access_log). Every view is re-exported here for ``people.urls``."""

from .access_log import AccessLogListView
from .lists import (
    ExternalListListView,
    ExternalListPreviewView,
    ExternalListTemplateView,
    ListImportMixin,
    ListUploadForm,
)
from .persons import (
    CommunityOptionsView,
    PersonCreateView,
    PersonDetailView,
    PersonListView,
    PersonStatusView,
    PersonUpdateView,
    person_fields,
)
from .transfers import PersonTransferCreateView, PersonTransferDecideView, PersonTransferListView

__all__ = [
    "AccessLogListView",
    "CommunityOptionsView",
    "ExternalListListView",
    "ExternalListPreviewView",
    "ExternalListTemplateView",
    "ListImportMixin",
    "ListUploadForm",
    "PersonCreateView",
    "PersonDetailView",
    "PersonListView",
    "PersonStatusView",
    "PersonTransferCreateView",
    "PersonTransferDecideView",
    "PersonTransferListView",
    "PersonUpdateView",
    "person_fields",
]
