"""The 残疾人之家 member roster importer, on the engine: a home, a registered person (by ID
number), the join date and, optionally, the leave date and reason.

Invariants: all-or-nothing (any row error or a dry run → nothing written, the same statements
rolled back); the people named must already be registered (the registry roster imports them:
this importer never writes ``dfed.people``'s tables, it only looks people up through
``dfed.people.importing``); one person once per file; a person belongs to one home at a time
(an open membership elsewhere, or a closed one overlapping the new join date, is a row error,
as in ``membership_join``); a row matches the person's open membership at that home, or their
membership there with the same join date, and updates its dates and reason; every created or
changed membership gets a history row naming the user and the file. Registered as
``home_members`` in ``HomesConfig.ready()``; run by ``manage.py import_home_members`` and the
import pages."""

from .run import home_members_import
from .spec import KEY, LABEL, SPEC, TEMPLATE_EXAMPLE, home_members_template
from .write import memberships_staged_write

__all__ = [
    "KEY",
    "LABEL",
    "SPEC",
    "TEMPLATE_EXAMPLE",
    "home_members_import",
    "home_members_template",
    "memberships_staged_write",
]
