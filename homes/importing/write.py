"""Homes' set-based write of a checked member roster, from the staging table."""

from dfed.core.importing.staging import execute, history_insert, model_insert_sql

from ..models import Membership


def memberships_staged_write(*, table: str, by, reason: str, now) -> None:
    """Homes' set-based write of a checked member roster: create the staged memberships not
    matched (``mem_id`` NULL), update the changed ones, each with a history row (``by``,
    ``reason``). Call inside the import's transaction, after the checks."""
    membership = Membership._meta.db_table
    history = {"reason": reason, "user_id": getattr(by, "pk", None), "now": now}
    values = {
        "home_id": "s.home_id",
        "person_id": "s.person_id",
        "joined_on": "s.joined_on",
        "left_on": "s.left_on",
        "leave_reason": "COALESCE(s.leave_reason, '')",
    }
    sql, params = model_insert_sql(
        Membership, values, source=f"{table} s WHERE s.mem_id IS NULL", now=now
    )
    execute(sql, params)
    execute(
        f"UPDATE {table} SET mem_id = m.id, mem_state = 'new' FROM {membership} m "
        f"WHERE {table}.mem_id IS NULL AND m.person_id = {table}.person_id "
        f"AND m.home_id = {table}.home_id AND m.joined_on = {table}.joined_on"
    )
    history_insert(
        Membership,
        source=f"{membership} t JOIN {table} s ON s.mem_id = t.id WHERE s.mem_state = 'new'",
        history_type="'+'",
        **history,
    )
    execute(
        f"UPDATE {membership} SET joined_on = s.joined_on, "
        f"left_on = COALESCE(s.left_on, {membership}.left_on), "
        f"leave_reason = COALESCE(s.leave_reason, {membership}.leave_reason), updated_at = %s "
        f"FROM {table} s WHERE s.mem_id = {membership}.id AND s.mem_changed "
        "AND s.mem_state <> 'new'",
        [now],
    )
    history_insert(
        Membership,
        source=f"{membership} t JOIN {table} s ON s.mem_id = t.id "
        "WHERE s.mem_changed AND s.mem_state <> 'new'",
        history_type="'~'",
        **history,
    )
