"""A temporary staging table filled with PostgreSQL COPY (executemany elsewhere), so a large
import is validated and written with a handful of set-based statements instead of one query
per row. The table lives for the current transaction only."""

from collections.abc import Iterable, Sequence

from django.db import connection


def staging_create(name: str, columns: Sequence[tuple[str, str]]) -> None:
    """CREATE TEMP TABLE ``name`` (columns as (name, SQL type) pairs), dropped at commit."""
    cols = ", ".join(f"{col} {sqltype}" for col, sqltype in columns)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(f"DROP TABLE IF EXISTS pg_temp.{name}")
            cursor.execute(f"CREATE TEMP TABLE {name} ({cols}) ON COMMIT DROP")
        else:
            cursor.execute(f"DROP TABLE IF EXISTS temp.{name}")
            cursor.execute(f"CREATE TEMP TABLE {name} ({cols})")


def staging_drop(name: str) -> None:
    schema = "pg_temp" if connection.vendor == "postgresql" else "temp"
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE IF EXISTS {schema}.{name}")


def staging_copy(name: str, columns: Sequence[str], rows: Iterable[Sequence]) -> None:
    """Load rows into the staging table: COPY on PostgreSQL, executemany elsewhere."""
    cols = ", ".join(columns)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {name} ({cols}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
        else:
            marks = ", ".join(["%s"] * len(columns))
            cursor.executemany(f"INSERT INTO {name} ({cols}) VALUES ({marks})", list(rows))


def fetch_all(sql: str, params: Sequence = ()) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def execute(sql: str, params: Sequence = ()) -> int:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.rowcount


HISTORY_FIELDS = {"history_id", "history_date", "history_change_reason", "history_type"}


def model_insert_sql(
    model, values: dict[str, str | tuple[str, list]], *, source: str, now
) -> tuple[str, list]:
    """``INSERT INTO <model table> (...) SELECT ... FROM <source>``.

    ``values`` maps column names to SQL expressions over ``source`` (or to ``(expression,
    params)`` when the expression has placeholders); every other column gets its
    field default (``now`` for auto_now fields, NULL when nullable), so a field added to the
    model later does not break the import. Returns (sql, params)."""
    columns, exprs, params = [], [], []
    for field in model._meta.concrete_fields:
        column = field.column
        if column in values:
            expr = values[column]
            if isinstance(expr, tuple):
                expr, expr_params = expr
                params.extend(expr_params)
            columns.append(column)
            exprs.append(expr)
            continue
        if field.primary_key:
            continue
        if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
            value = now
        elif field.has_default() or (field.empty_strings_allowed and not field.null):
            value = field.get_db_prep_save(field.get_default(), connection)
        elif field.null:
            value = None
        else:
            raise ValueError(f"{model.__name__}.{field.name} needs a value in the import")
        columns.append(column)
        exprs.append("%s")
        params.append(value)
    sql = (
        f"INSERT INTO {model._meta.db_table} ({', '.join(columns)}) "
        f"SELECT {', '.join(exprs)} FROM {source}"
    )
    return sql, params


def history_insert_sql(model, *, source: str, history_type: str, reason: str, user_id, now):
    """``INSERT INTO <history table> ... SELECT ... FROM <source>``: one simple-history row
    for every ``model`` row selected by ``source``, which names those rows ``t`` (a table with
    joins and WHERE, or a CTE of ``INSERT ... RETURNING *``). Returns (sql, params)."""
    history_model = model.history.model
    columns, exprs = [], []
    for field in history_model._meta.concrete_fields:
        if field.name in HISTORY_FIELDS or field.name == "history_user":
            continue
        columns.append(field.column)
        exprs.append(f"t.{field.column}")
    columns += ["history_date", "history_change_reason", "history_type", "history_user_id"]
    exprs += ["%s", "%s", history_type, "%s"]
    sql = (
        f"INSERT INTO {history_model._meta.db_table} ({', '.join(columns)}) "
        f"SELECT {', '.join(exprs)} FROM {source}"
    )
    return sql, [now, reason[:100], user_id]


def history_insert(model, **kwargs) -> int:
    """Run ``history_insert_sql``; returns the number of history rows written."""
    return execute(*history_insert_sql(model, **kwargs))


def analyze(name: str, columns: Sequence[str] = ()) -> None:
    """Give the planner row counts for a freshly filled temp table (PostgreSQL), and statistics
    for ``columns`` (all columns when empty: slower on a wide table)."""
    if connection.vendor == "postgresql":
        execute(f"ANALYZE {name} ({', '.join(columns)})" if columns else f"ANALYZE {name}")
