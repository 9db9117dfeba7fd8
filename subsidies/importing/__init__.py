"""The subsidy recipient roster (补贴对象花名册) importer.

Invariants: all-or-nothing (any row error → nothing written); one ``Person`` per ID number
(created or updated, the change noted in its history); one current ``Entitlement`` per (person,
subsidy type), active from 发放起始年月 and paid through ``paid_through`` because the old process
already paid those months; ``paid_through`` of an existing entitlement only ever moves forward;
re-importing the same file changes nothing and reports every row unchanged.

The file is parsed by the declarative ``RECIPIENT_SPEC``; the rows are COPYed into a staging
table and checked against the database (towns, communities, people, entitlements, rates) and
written with a few set-based statements, so a 100k-row roster takes seconds.
"""

from .run import default_paid_through, parse_paid_through, recipient_import
from .spec import RECIPIENT_SPEC

__all__ = [
    "RECIPIENT_SPEC",
    "default_paid_through",
    "parse_paid_through",
    "recipient_import",
]
