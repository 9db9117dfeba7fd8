"""Write a checked roster from the staging table: people through the registry's upsert, new and
changed current entitlements with their simple-history rows, in a few INSERT/UPDATE … SELECT
statements."""

from datetime import date

from django.db import connection
from django.utils import timezone
from django.utils.translation import gettext as _

from dfed.core.importing import ImportReport
from dfed.core.importing.staging import (
    execute,
    history_insert,
    history_insert_sql,
    model_insert_sql,
)
from dfed.people.importing import person_staged_upsert

from ..models import Entitlement
from .checks import STAGE

ENTITLEMENT_VALUES = {
    "person_id": "s.person_id",
    "type": "s.type",
    "tier": "s.tier",
    "start_month": "s.start_month",
    "state": "'active'",
    "confirmed_household": "s.household",
    "confirmed_category": "s.category",
    "confirmed_level": "s.level",
    # entitlement_sort_key: "<town code> <name>" of the (already upserted) person, joined in
    # ENTITLEMENT_SOURCE (one join, not a subquery per row)
    "sort_key": "a.code || ' ' || p.name",
}
ENTITLEMENT_SOURCE = (
    "{table} s LEFT JOIN people_person p ON p.id = s.person_id "
    "LEFT JOIN people_area a ON a.id = p.town_id WHERE s.ent_id IS NULL"
)


def write_roster(*, report: ImportReport, paid_through: date, by, table: str = STAGE, now=None):
    """Write the staged rows of ``table``: people through the registry's set-based upsert
    (``dfed.people.importing``), then new and changed current entitlements, each with its
    history row. The same statements on PostgreSQL and SQLite."""
    now = now or timezone.now()
    user_id = getattr(by, "pk", None)
    reason = _("导入补贴名册：%(f)s") % {"f": report.filename}
    history = {"reason": reason, "user_id": user_id, "now": now}
    ent_table = Entitlement._meta.db_table

    person_staged_upsert(table=table, by=by, reason=reason, now=now)

    ent_values = {
        **ENTITLEMENT_VALUES,
        "paid_through": ("%s", [paid_through]),
        "created_by_id": ("%s", [user_id]),
        "state_note": ("%s", [reason[:200]]),
    }
    ent_sql, ent_params = model_insert_sql(
        Entitlement, ent_values, source=ENTITLEMENT_SOURCE.format(table=table), now=now
    )
    if connection.vendor == "postgresql":
        # One statement: the history rows read the entitlements just created (RETURNING).
        logged, logged_params = history_insert_sql(
            Entitlement, source="created t", history_type="'+'", **history
        )
        execute(f"WITH created AS ({ent_sql} RETURNING *) {logged}", [*ent_params, *logged_params])
    else:  # SQLite has no data-modifying WITH
        execute(ent_sql, ent_params)
        # A staged row without ent_id had no current entitlement of its type
        # (match_entitlements), so the active one it has now is the one just created.
        history_insert(
            Entitlement,
            source=f"{ent_table} t JOIN {table} s ON t.person_id = s.person_id "
            f"AND t.type = s.type WHERE s.ent_id IS NULL "
            f"AND t.state = '{Entitlement.State.ACTIVE}'",
            history_type="'+'",
            **history,
        )

    # Current entitlements whose tier or start changed, or paid through an earlier month.
    execute(
        f"UPDATE {ent_table} SET tier = s.tier, start_month = s.start_month, "
        f"paid_through = CASE WHEN {ent_table}.paid_through IS NULL "
        f"OR {ent_table}.paid_through < %s THEN %s ELSE {ent_table}.paid_through END, "
        "confirmed_household = s.household, confirmed_category = s.category, "
        "confirmed_level = s.level, updated_at = %s "
        f"FROM {table} s WHERE {ent_table}.id = s.ent_id AND s.ent_changed "
        "AND s.ent_state <> 'new'",
        [paid_through, paid_through, now],
    )
    history_insert(
        Entitlement,
        source=f"{ent_table} t JOIN {table} s ON s.ent_id = t.id "
        "WHERE s.ent_changed AND s.ent_state <> 'new'",
        history_type="'~'",
        **history,
    )
