"""Write a checked roster from the staging table: new and changed people and current
entitlements, each with its simple-history row, in a few INSERT/UPDATE … SELECT statements."""

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
from dfed.people.models import Person

from ..models import Entitlement
from .checks import STAGE

PERSON_VALUES = {
    "name": "s.name",
    "id_number": "s.id_number",
    "sex": "s.sex",
    "birth_date": "s.birth_date",
    "ethnicity": "COALESCE(s.ethnicity, '汉族')",
    "certificate_number": "COALESCE(s.certificate_number, '')",
    "category": "s.category",
    "level": "s.level",
    "household": "s.household",
    "town_id": "s.town_id",
    "community_id": "s.community_id",
    "phone": "COALESCE(s.phone, '')",
    "bank_name": "COALESCE(s.bank_name, '')",
    "bank_account": "COALESCE(s.bank_account, '')",
}
ENTITLEMENT_VALUES = {
    "person_id": "s.person_id",
    "type": "s.type",
    "tier": "s.tier",
    "start_month": "s.start_month",
    "state": "'active'",
    "confirmed_household": "s.household",
    "confirmed_category": "s.category",
    "confirmed_level": "s.level",
}


def write_roster(
    *,
    report: ImportReport,
    paid_through: date,
    by,
    table: str = STAGE,
    now=None,
    registered: bool = True,
) -> None:
    """Write the staged rows of ``table`` (the whole file, or one chunk of it); ``now`` stamps
    the history (one time for every chunk of an import). ``registered=False``: no row names a
    person already registered, so there is nothing to update."""
    now = now or timezone.now()
    user_id = getattr(by, "pk", None)
    reason = _("导入补贴名册：%(f)s") % {"f": report.filename}
    history = {"reason": reason, "user_id": user_id, "now": now}
    person_table, ent_table = Person._meta.db_table, Entitlement._meta.db_table
    fast = connection.vendor == "postgresql"

    # New people and their entitlements, each with its history. On PostgreSQL one statement:
    # INSERT … RETURNING feeds the history INSERTs and gives the new people's ids to the
    # entitlements. Elsewhere: insert, look the ids up, then write history.
    person_sql, person_params = model_insert_sql(
        Person,
        PERSON_VALUES,
        source=f"{table} s WHERE s.is_first AND s.person_id IS NULL",
        now=now,
    )
    ent_values = {
        **ENTITLEMENT_VALUES,
        "paid_through": ("%s", [paid_through]),
        "created_by_id": ("%s", [user_id]),
        "state_note": ("%s", [reason[:200]]),
    }
    if fast:
        person_hist_sql, person_hist_params = history_insert_sql(
            Person, source="new_people t", history_type="'+'", **history
        )
        # A later chunk's row of a person created by an earlier chunk finds the person by ID.
        ent_values["person_id"] = (
            f"COALESCE(s.person_id, np.id, (SELECT x.id FROM {person_table} x "
            "WHERE x.id_number = s.id_number))"
        )
        source = (
            f"{table} s LEFT JOIN new_people np ON s.person_id IS NULL "
            "AND np.id_number = s.id_number WHERE s.ent_id IS NULL"
        )
        ent_sql, ent_params = model_insert_sql(Entitlement, ent_values, source=source, now=now)
        ent_hist_sql, ent_hist_params = history_insert_sql(
            Entitlement, source="new_ents t", history_type="'+'", **history
        )
        execute(
            f"WITH new_people AS ({person_sql} RETURNING *), "
            f"people_history AS ({person_hist_sql}), "
            f"new_ents AS ({ent_sql} RETURNING *) {ent_hist_sql}",
            person_params + person_hist_params + ent_params + ent_hist_params,
        )
    else:
        execute(person_sql, person_params)
        execute(
            f"UPDATE {table} SET person_changed = TRUE, person_status = 'new', person_id = p.id "
            f"FROM {person_table} p WHERE {table}.person_id IS NULL "
            f"AND p.id_number = {table}.id_number"
        )
        history_insert(
            Person,
            source=f"{person_table} t JOIN {table} s ON s.person_id = t.id "
            "WHERE s.is_first AND s.person_status = 'new'",
            history_type="'+'",
            **history,
        )

    if not fast:  # new entitlements, with their history
        ent_sql, ent_params = model_insert_sql(
            Entitlement, ent_values, source=f"{table} s WHERE s.ent_id IS NULL", now=now
        )
        execute(ent_sql, ent_params)
        execute(
            f"UPDATE {table} SET ent_changed = TRUE, ent_state = 'new', ent_id = e.id "
            f"FROM {ent_table} e WHERE {table}.ent_id IS NULL "
            f"AND e.person_id = {table}.person_id AND e.type = {table}.type AND e.state = %s",
            [Entitlement.State.ACTIVE],
        )
        history_insert(
            Entitlement,
            source=f"{ent_table} t JOIN {table} s ON s.ent_id = t.id WHERE s.ent_state = 'new'",
            history_type="'+'",
            **history,
        )

    if registered:
        update_registered(table=table, paid_through=paid_through, now=now, history=history)


def update_registered(*, table: str, paid_through: date, now, history: dict) -> None:
    """People already registered whose data changed, and current entitlements whose tier or
    start changed or that were paid through an earlier month, each with its history row."""
    person_table, ent_table = Person._meta.db_table, Entitlement._meta.db_table
    execute(
        f"UPDATE {person_table} SET name = s.name, category = s.category, level = s.level, "
        "household = s.household, town_id = s.town_id, community_id = s.community_id, "
        f"ethnicity = COALESCE(s.ethnicity, {person_table}.ethnicity), "
        f"certificate_number = COALESCE(s.certificate_number, {person_table}.certificate_number), "
        f"phone = COALESCE(s.phone, {person_table}.phone), "
        f"bank_name = COALESCE(s.bank_name, {person_table}.bank_name), "
        f"bank_account = COALESCE(s.bank_account, {person_table}.bank_account), updated_at = %s "
        f"FROM {table} s WHERE s.person_id = {person_table}.id AND s.is_first "
        "AND s.person_changed AND s.person_status <> 'new'",
        [now],
    )
    history_insert(
        Person,
        source=f"{person_table} t JOIN {table} s ON s.person_id = t.id "
        "WHERE s.is_first AND s.person_changed AND s.person_status <> 'new'",
        history_type="'~'",
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
