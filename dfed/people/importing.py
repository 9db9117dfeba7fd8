"""The registry's set-based writes for imports: every importer that names people stages them
(one row per person flagged ``is_first``, in the columns below) and calls these, so only
``dfed.people`` writes ``people_person`` and its history.

Staging table columns read here: ``id_number, name, sex, birth_date, ethnicity,
certificate_number, category, level, household, town_id, community_id, phone, bank_name,
bank_account, is_first``; written here: ``person_id, person_status, person_changed``.
Invariants: one person per ID number; a blank optional cell keeps the stored value; every
created or changed person gets one history row with the user and the reason; the summary rows
of every town a person joins or leaves are rebuilt; the same statements run on PostgreSQL and
SQLite."""

from django.db import connection
from django.db.models.expressions import RawSQL

from dfed.core.importing.staging import (
    execute,
    fetch_all,
    history_insert,
    history_insert_sql,
    model_insert_sql,
)

from .models import Area, Person
from .signals import people_changed
from .summaries import person_counts_refresh

STAGE_COLUMNS = [
    ("id_number", "varchar(18)"),
    ("name", "varchar(50)"),
    ("sex", "varchar(6)"),
    ("birth_date", "date"),
    ("ethnicity", "varchar(20)"),
    ("certificate_number", "varchar(20)"),
    ("category", "smallint"),
    ("level", "smallint"),
    ("household", "varchar(10)"),
    ("town_id", "bigint"),
    ("community_id", "bigint"),
    ("phone", "varchar(20)"),
    ("bank_name", "varchar(50)"),
    ("bank_account", "varchar(30)"),
    ("person_id", "bigint"),
    ("person_status", "varchar(10)"),
    ("person_changed", "boolean"),
]

# Compared to tell a changed person: these always; the optional ones only when filled.
COMPARED = ("name", "category", "level", "household", "community_id")
OPTIONAL = ("ethnicity", "certificate_number", "phone", "bank_name", "bank_account")
NEW = "new"  # person_status of a staged row whose person this import created

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


def person_changed_sql(stage: str = "s", person: str = "p") -> str:
    """SQL: the staged row ``stage`` differs from the person ``person``."""
    return " OR ".join(
        [f"{stage}.{col} IS DISTINCT FROM {person}.{col}" for col in COMPARED]
        + [f"({stage}.{col} IS NOT NULL AND {stage}.{col} <> {person}.{col})" for col in OPTIONAL]
    )


def person_staged_match(*, table: str) -> None:
    """Set each staged row's ``person_id``, ``person_status`` and ``person_changed`` from the
    person registered under its ID number (NULL when nobody is)."""
    execute(
        f"UPDATE {table} AS s SET person_id = p.id, person_status = p.status, "
        f"person_changed = ({person_changed_sql()}) "
        f"FROM {Person._meta.db_table} p WHERE p.id_number = s.id_number"
    )


def person_staged_upsert(*, table: str, by, reason: str, now) -> None:
    """Create the staged people nobody registered yet and update the changed ones, each with a
    history row (``by``, ``reason``); afterwards every staged row has its ``person_id`` and
    the created ones ``person_status = 'new'``. Call inside the import's transaction, after
    ``person_staged_match`` and the importer's checks."""
    person_table = Person._meta.db_table
    history = {"reason": reason, "user_id": getattr(by, "pk", None), "now": now}
    # The towns whose summary rows change: those the staged people join or leave.
    towns = {
        town
        for (town,) in fetch_all(
            f"SELECT DISTINCT s.town_id FROM {table} s WHERE s.is_first "
            "AND (s.person_id IS NULL OR s.person_changed) "
            f"UNION SELECT DISTINCT p.town_id FROM {person_table} p "
            f"JOIN {table} s ON s.person_id = p.id WHERE s.is_first AND s.person_changed"
        )
    }
    sql, params = model_insert_sql(
        Person, PERSON_VALUES, source=f"{table} s WHERE s.is_first AND s.person_id IS NULL", now=now
    )

    def mark_created(people: str) -> str:
        return (
            f"UPDATE {table} SET person_changed = TRUE, person_status = '{NEW}', "
            f"person_id = p.id FROM {people} p "
            f"WHERE {table}.person_id IS NULL AND p.id_number = {table}.id_number"
        )

    if connection.vendor == "postgresql":
        # One statement: the history rows and the staged rows read the people just created
        # (RETURNING), not the whole registry.
        logged, logged_params = history_insert_sql(
            Person, source="created t", history_type="'+'", **history
        )
        execute(
            f"WITH created AS ({sql} RETURNING *), logged AS ({logged}) {mark_created('created')}",
            [*params, *logged_params],
        )
    else:  # SQLite has no data-modifying WITH: the same INSERT, UPDATE and history rows
        execute(sql, params)
        execute(mark_created(person_table))
        history_insert(
            Person,
            source=f"{person_table} t JOIN {table} s ON s.person_id = t.id "
            f"WHERE s.is_first AND s.person_status = '{NEW}'",
            history_type="'+'",
            **history,
        )
    execute(
        f"UPDATE {person_table} SET name = s.name, category = s.category, level = s.level, "
        "household = s.household, town_id = s.town_id, community_id = s.community_id, "
        f"ethnicity = COALESCE(s.ethnicity, {person_table}.ethnicity), "
        f"certificate_number = COALESCE(s.certificate_number, {person_table}.certificate_number), "
        f"phone = COALESCE(s.phone, {person_table}.phone), "
        f"bank_name = COALESCE(s.bank_name, {person_table}.bank_name), "
        f"bank_account = COALESCE(s.bank_account, {person_table}.bank_account), updated_at = %s "
        f"FROM {table} s WHERE s.person_id = {person_table}.id AND s.is_first "
        f"AND s.person_changed AND s.person_status <> '{NEW}'",
        [now],
    )
    history_insert(
        Person,
        source=f"{person_table} t JOIN {table} s ON s.person_id = t.id "
        f"WHERE s.is_first AND s.person_changed AND s.person_status <> '{NEW}'",
        history_type="'~'",
        **history,
    )
    people_changed.send(
        sender=Person,
        people=Person.objects.filter(
            pk__in=RawSQL(
                f"SELECT person_id FROM {table} WHERE is_first AND person_changed "
                f"AND person_status <> '{NEW}'",
                [],
            )
        ),
    )
    person_counts_refresh(town_ids=towns)


def _display(field, value) -> str:
    if value is None or value == "":
        return ""
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    return str(value)


def person_staged_changes(*, table: str) -> dict[int, list[tuple[str, str, str, str]]]:
    """For every staged first row whose person exists and changes (``person_changed``, set by
    ``person_staged_match`` with the same comparison), each changed field as ``(field name,
    label, old, new)`` in display form (choices as labels, communities by name; identifiers in
    full, for the caller to mask). Call before ``person_staged_upsert``: it reads the stored
    values the write replaces. Keyed by ``row_no``."""
    area_table = Area._meta.db_table
    columns = [*COMPARED, *OPTIONAL]
    selected = ", ".join(
        f"p.{col}, s.{col}" if col != "community_id" else "pa.name, sa.name" for col in columns
    )
    rows = fetch_all(
        f"SELECT s.row_no, {selected} FROM {table} s "
        f"JOIN {Person._meta.db_table} p ON p.id = s.person_id "
        f"LEFT JOIN {area_table} pa ON pa.id = p.community_id "
        f"LEFT JOIN {area_table} sa ON sa.id = s.community_id "
        "WHERE s.is_first AND s.person_changed"
    )
    fields = {f.column: f for f in Person._meta.concrete_fields}
    changes: dict[int, list[tuple[str, str, str, str]]] = {}
    for row_no, *values in rows:
        found = []
        for index, col in enumerate(columns):
            old, new = values[2 * index], values[2 * index + 1]
            if col in OPTIONAL and new is None:
                continue  # a blank optional cell keeps the stored value
            if old == new:
                continue
            field = fields[col]
            found.append(
                (field.name, str(field.verbose_name), _display(field, old), _display(field, new))
            )
        changes[row_no] = found
    return changes


def person_staged_find(*, table: str) -> None:
    """Set each staged row's ``person_id``, ``person_status`` and ``person_name`` from the
    person registered under its ``id_number`` (NULL when nobody is): for importers that name
    existing people without writing them (homes' members)."""
    execute(
        f"UPDATE {table} AS s SET person_id = p.id, person_status = p.status, "
        f"person_name = p.name FROM {Person._meta.db_table} p WHERE p.id_number = s.id_number"
    )


def area_ids() -> tuple[dict[str, int], dict[tuple[int, str], int]]:
    """Town name → id and (town id, community name) → id: the whole (small) area table, for
    importers resolving the 镇（街道） and 村（社区） columns."""
    towns, communities = {}, {}
    for pk, name, level, parent_id in Area.objects.filter(
        level__in=[Area.Level.TOWN, Area.Level.COMMUNITY]
    ).values_list("pk", "name", "level", "parent_id"):
        if level == Area.Level.TOWN:
            towns[name] = pk
        else:
            communities[(parent_id, name)] = pk
    return towns, communities
