"""The registry (areas and people), the sensitive-access log, the external lists the comparison
reads, the registry's derived counts and 区内迁移. One module each; every name is re-exported
here, so callers import from ``dfed.people.models``."""

from .access_log import SensitiveAccessLog
from .counts import PersonCount, PersonYearCount
from .lists import (
    LIST_ROW_MODELS,
    AssistanceRecord,
    CertificateRecord,
    DeathRecord,
    ExternalList,
    ListRow,
    MoveRecord,
    SentenceRecord,
)
from .registry import Area, Person
from .transfers import PersonTransfer

__all__ = [
    "LIST_ROW_MODELS",
    "Area",
    "AssistanceRecord",
    "CertificateRecord",
    "DeathRecord",
    "ExternalList",
    "ListRow",
    "MoveRecord",
    "Person",
    "PersonCount",
    "PersonTransfer",
    "PersonYearCount",
    "SensitiveAccessLog",
    "SentenceRecord",
]
