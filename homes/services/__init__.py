"""Writes for 残疾人之家.

Invariants: a home's town is its community's town, and a home closes only without members;
one assessment per home and year, scored against that year's template (copied from the latest
earlier year when first needed), moving 草稿 → 已提交 → 已审定 or 退回 → 已提交, never
approved by a user who created, scored or submitted it, its total and star level recomputed
from the scores on every change; a person is a member of at most one home at a time, and only
members present on a day can be marked present or served; attendance is one row per person and
day; a person leaving the registry ends their membership.
"""

from .assessments import (
    assessment_approve,
    assessment_create,
    assessment_result,
    assessment_return,
    assessment_score,
    assessment_submit,
    star_template_ensure,
)
from .homes import HOME_FIELDS, home_create, home_update, service_type_catalogue_ensure
from .members import (
    attendance_save,
    membership_end_for_person,
    membership_join,
    membership_leave,
    on_person_left_registry,
    service_record_create,
)

__all__ = [
    "service_type_catalogue_ensure",
    "HOME_FIELDS",
    "assessment_approve",
    "assessment_create",
    "assessment_result",
    "assessment_return",
    "assessment_score",
    "assessment_submit",
    "attendance_save",
    "home_create",
    "home_update",
    "membership_end_for_person",
    "membership_join",
    "membership_leave",
    "on_person_left_registry",
    "service_record_create",
    "star_template_ensure",
]
