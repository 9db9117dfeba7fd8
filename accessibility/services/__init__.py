"""Writes of the accessibility app.

Invariants:
- A project moves only along ``RetrofitProject.TRANSITIONS``; each move is one transaction on the
  row taken ``select_for_update`` and leaves a ``ProjectStep`` (who, when, comment). 退回 needs a
  comment and reopens later to the stage before the one it was returned from.
- Every move checks who may make it with ``dfed.core.permissions.require``: the step's
  permission, and for users who serve towns, that the project lies in one of their towns
  (``PermissionDenied`` otherwise).
- At application the person is 在册, of an eligible household type (``conf``), and the household
  has no other project that year (the error names the existing one; a unique constraint backs it).
- The estimate is the sum of quantity × unit price; a price above the item's cap carries a reason.
- Approval never takes a town past its year's budget unless the approver holds
  ``override_retrofitbudget`` and gives a reason, kept on the project and in the timeline.
- Completion needs the acceptance form and at least one 改造后 photo; photos are JPG/PNG checked by
  content and size, then decoded with Pillow (dimension limits against decompression bombs)
  before anything is written; each gets an EXIF-free JPEG thumbnail stored next to it.
- When the household's person leaves the registry (死亡/迁出, ``person_left_registry``, in the
  same transaction), open projects before 施工 become 已终止 with the reason, recorded as done
  by whoever changed the person; projects in 施工/验收 stay open with a timeline entry for the
  reviewer.
- A community creation gets one check per active standard item; 验收通过 needs every item done.
"""

from .catalogue import retrofit_budget_set, retrofit_item_copy_year
from .communities import (
    community_check_update,
    community_decide,
    community_declare,
    community_start,
)
from .departures import on_person_left_registry, project_close_for_person
from .photos import photo_add, photo_thumbnail_refresh, project_accept
from .projects import (
    project_apply,
    project_approve,
    project_assess,
    project_check_eligibility,
    project_intake,
    project_record_construction,
    project_reopen,
    project_return,
)

__all__ = [
    "community_check_update",
    "community_declare",
    "community_decide",
    "community_start",
    "photo_add",
    "photo_thumbnail_refresh",
    "project_accept",
    "project_apply",
    "project_approve",
    "project_assess",
    "project_check_eligibility",
    "project_close_for_person",
    "on_person_left_registry",
    "project_intake",
    "project_record_construction",
    "project_reopen",
    "project_return",
    "retrofit_budget_set",
    "retrofit_item_copy_year",
]
