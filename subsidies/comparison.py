"""The data comparison (数据比对): the registry and the subsidies checked against the current
rows of the external lists, one set-based ``INSERT … SELECT … ON CONFLICT`` per rule (the same
SQL on PostgreSQL and SQLite). Called by ``services.findings.finding_compare``.

Rules (State Council 2015 opinion; the local settings of ``eligibility``):

- stop: died, moved out, serving a sentence (pay through the month of the event, stop from the
  next); 低保 ended (生活补贴: through the list's to-month); level 三级/四级 or certificate
  cancelled (护理补贴; level-3 intellectual/mental kept when
  ``SUBSIDY_CARE_INCLUDES_LEVEL3_MENTAL``: through the month of the re-assessment);
- start: a 低保 (or 低保边缘 when ``SUBSIDY_LIVING_INCLUDES_MARGINAL``) household with no 生活补贴
  and no open application; level 1/2 (by the certificate list where it has the person) with no
  护理补贴; a certificate holder not in the registry (to be invited);
- correct: name, category, level (certificate list) and household type (民政 list) differ.

One finding per (rule, ID number, subsidy type): an open one is refreshed with the latest
evidence, a closed one (acted, dismissed) stays closed, and an open one no rule produces any
more is marked 已消除.
"""

from dataclasses import dataclass, field
from datetime import date, datetime

from django.db import connection

from dfed.core.importing.staging import execute, model_insert_sql
from dfed.people.models import Area, Person
from dfed.people.selectors import list_rows_current

from .eligibility import care_includes_level3_mental, living_includes_marginal
from .models import Application, Entitlement, Finding, SubsidyRate

COLUMNS = (
    "rule",
    "kind",
    "priority",
    "id_number",
    "name",
    "person_id",
    "town_id",
    "type",
    "entitlement_id",
    "source_id",
    "source_row",
    "event_date",
    "list_value",
    "registry_value",
    "effective_month",
    "end_month",
    "monthly_amount",
    "months_overpaid",
)
UPDATED = [c for c in COLUMNS if c not in ("rule", "id_number", "type")]


@dataclass
class Sql:
    """Builds one statement: vendor-specific date functions, and ``rows`` (the registry's
    selector of current list rows as a subquery) collecting its params; each statement uses
    ``rows`` once, so its params are the statement's params."""

    this_month: date
    today: date
    params: list = field(default_factory=list)

    @property
    def pg(self) -> bool:
        return connection.vendor == "postgresql"

    def rows(self, kind: str, *columns: str) -> str:
        sql, params = list_rows_current(kind).values(*columns).query.sql_with_params()
        self.params.extend(params)
        return f"({sql})"

    def month_of(self, expr: str) -> str:
        if self.pg:
            return f"CAST(date_trunc('month', {expr}) AS date)"
        return f"date({expr}, 'start of month')"

    def next_month(self, expr: str) -> str:
        if self.pg:
            return f"CAST(date_trunc('month', {expr}) + interval '1 month' AS date)"
        return f"date({expr}, 'start of month', '+1 month')"

    def month_index(self, expr: str) -> str:
        if self.pg:
            return f"(CAST(EXTRACT(YEAR FROM {expr}) AS integer) * 12 + CAST(EXTRACT(MONTH FROM {expr}) AS integer))"  # noqa: E501
        return f"(CAST(strftime('%%Y', {expr}) AS integer) * 12 + CAST(strftime('%%m', {expr}) AS integer))"  # noqa: E501

    def greatest(self, a: str, b: str) -> str:
        return f"GREATEST({a}, {b})" if self.pg else f"MAX({a}, {b})"

    def text(self, expr: str) -> str:
        return f"CAST({expr} AS {'text' if self.pg else 'TEXT'})"

    def date(self, value: date) -> str:
        """A date literal (ISO digits only, so safe to inline: it keeps ``rows`` the only
        source of params in a statement)."""
        text = date.isoformat(value)
        return f"DATE '{text}'" if self.pg else f"'{text}'"

    def true(self) -> str:
        return "TRUE" if self.pg else "1"


P, E, A = Person._meta.db_table, Entitlement._meta.db_table, Application._meta.db_table
R, AREA = SubsidyRate._meta.db_table, Area._meta.db_table
OPEN_APPLICATION = "('draft', 'town_review', 'district_review')"
KIND = Finding.KIND_OF_RULE


def _head(q: Sql, rule: str) -> str:
    kind = KIND[rule]
    return f"SELECT '{rule}' AS rule, '{kind}' AS kind, {Finding.PRIORITY[kind]} AS priority"


def _stop(q: Sql, rule: str, rows: str, alias: str, *, event: str, end: str, where: str,
          list_value: str = "''", entitlement_where: str = "") -> str:  # fmt: skip
    """A stop: the person's current entitlements (not ended) and the money at stake."""
    months = f"{q.month_index('e.paid_through')} - {q.month_index(end)}"
    rate = (
        f"(SELECT r.monthly_amount FROM {R} r WHERE r.type = e.type AND r.tier = e.tier "
        f"AND r.effective_from <= {q.date(q.this_month)} AND (r.effective_to IS NULL OR "
        f"r.effective_to >= {q.date(q.this_month)}) ORDER BY r.effective_from DESC LIMIT 1)"
    )
    return (
        f"{_head(q, rule)}, {alias}.id_number, p.name, p.id AS person_id, p.town_id, e.type, "
        f"e.id AS entitlement_id, {alias}.source_id, {alias}.row AS source_row, "
        f"{event} AS event_date, {list_value} AS list_value, '' AS registry_value, "
        f"{q.next_month(end)} AS effective_month, {end} AS end_month, {rate} AS monthly_amount, "
        f"CASE WHEN e.paid_through IS NULL THEN 0 ELSE {q.greatest('0', months)} END "
        "AS months_overpaid "
        f"FROM {rows} {alias} JOIN {P} p ON p.id_number = {alias}.id_number "
        f"JOIN {E} e ON e.person_id = p.id AND e.state <> 'ended' {entitlement_where} "
        f"WHERE {where}"
    )


def _no_current(q: Sql, type_: str) -> str:
    return (
        f"NOT EXISTS (SELECT 1 FROM {E} e WHERE e.person_id = p.id AND e.type = '{type_}' "
        "AND e.state <> 'ended') "
        f"AND NOT EXISTS (SELECT 1 FROM {A} a WHERE a.person_id = p.id AND a.type = '{type_}' "
        f"AND a.status IN {OPEN_APPLICATION})"
    )


def _care_level_ok(level: str, category: str) -> str:
    if care_includes_level3_mental():
        return f"({level} IN (1, 2) OR ({level} = 3 AND {category} IN (5, 6)))"
    return f"{level} IN (1, 2)"


def _start(q: Sql, rule: str, *, id_expr: str, name: str, source: str, row: str, event: str,
           list_value: str, registry_value: str, type_: str, body: str,
           person: str = "p.id", town: str = "p.town_id") -> str:  # fmt: skip
    return (
        f"{_head(q, rule)}, {id_expr} AS id_number, {name} AS name, {person} AS person_id, "
        f"{town} AS town_id, {type_} AS type, CAST(NULL AS bigint) AS entitlement_id, "
        f"{source} AS source_id, "
        f"{row} AS source_row, {event} AS event_date, {list_value} AS list_value, "
        f"{registry_value} AS registry_value, {q.date(q.this_month)} AS effective_month, "
        "CAST(NULL AS date) AS end_month, CAST(NULL AS numeric) AS monthly_amount, "
        "0 AS months_overpaid "
        f"{body}"
    )


def _correct(q: Sql, rule: str, rows: str, alias: str, *, list_expr: str, registry_expr: str,
             where: str) -> str:  # fmt: skip
    return (
        f"{_head(q, rule)}, p.id_number, p.name, p.id AS person_id, p.town_id, '' AS type, "
        f"CAST(NULL AS bigint) AS entitlement_id, {alias}.source_id, {alias}.row AS source_row, "
        f"CAST(NULL AS date) AS event_date, {q.text(list_expr)} AS list_value, "
        f"{q.text(registry_expr)} AS registry_value, {q.date(q.this_month)} AS effective_month, "
        "CAST(NULL AS date) AS end_month, CAST(NULL AS numeric) AS monthly_amount, "
        "0 AS months_overpaid "
        f"FROM {rows} {alias} JOIN {P} p ON p.id_number = {alias}.id_number "
        f"WHERE p.status = 'active' AND {where}"
    )


ROW = ("id_number", "name", "source_id", "row")


def rule_selects(this_month: date, today: date) -> dict[str, tuple[str, list]]:
    """Each rule's SELECT (``COLUMNS`` in order) with its params."""
    out: dict[str, tuple[str, list]] = {}

    def add(rule: str, build) -> None:
        q = Sql(this_month, today)
        sql = build(q)
        out[rule] = (sql, q.params)

    Rule = Finding.Rule
    add(Rule.DIED, lambda q: _stop(
        q, Rule.DIED, q.rows("death", *ROW, "death_date", "death_source"), "d",
        event="d.death_date", end=q.month_of("d.death_date"), where="1 = 1",
        list_value="d.death_source",
    ))  # fmt: skip
    add(Rule.MOVED_OUT, lambda q: _stop(
        q, Rule.MOVED_OUT, q.rows("move", *ROW, "direction", "move_date", "area_code"), "m",
        event="m.move_date", end=q.month_of("m.move_date"), where="m.direction = 'out'",
        list_value="m.area_code",
    ))  # fmt: skip
    add(Rule.SENTENCED, lambda q: _stop(
        q, Rule.SENTENCED, q.rows("sentence", *ROW, "from_date", "to_date"), "s",
        event="s.from_date", end=q.month_of("s.from_date"),
        where=f"s.from_date <= {q.date(today)} AND (s.to_date IS NULL OR "
        f"s.to_date >= {q.date(today)})",
    ))  # fmt: skip
    add(Rule.ASSISTANCE_ENDED, lambda q: _stop(
        q, Rule.ASSISTANCE_ENDED, q.rows("assistance", *ROW, "household", "to_month"), "a",
        event="a.to_month", end="a.to_month", list_value="a.household",
        entitlement_where="AND e.type = 'living'",
        where=f"a.to_month IS NOT NULL AND a.to_month < {q.date(this_month)}",
    ))  # fmt: skip
    care_lost = (
        f"(c.cancelled = {Sql(this_month, today).true()} OR NOT "
        + _care_level_ok("c.level", "c.category")
        + ")"
    )
    add(Rule.CARE_INELIGIBLE, lambda q: _stop(
        q, Rule.CARE_INELIGIBLE,
        q.rows("certificate", *ROW, "level", "category", "cancelled", "issue_date"), "c",
        event="c.issue_date", end=q.month_of("c.issue_date"),
        list_value=f"CASE WHEN c.cancelled = {q.true()} THEN 'cancelled' ELSE "
        f"{q.text('c.level')} END",
        entitlement_where="AND e.type = 'care'", where=care_lost,
    ))  # fmt: skip
    households = "('dibao', 'marginal')" if living_includes_marginal() else "('dibao')"
    add(Rule.START_LIVING, lambda q: _start(
        q, Rule.START_LIVING, id_expr="p.id_number", name="p.name", source="a.source_id",
        row="a.row", event="a.from_month", list_value="a.household",
        registry_value="p.household", type_="'living'",
        body=f"FROM {q.rows('assistance', *ROW, 'household', 'from_month', 'to_month')} a "
        f"JOIN {P} p ON p.id_number = a.id_number WHERE p.status = 'active' "
        f"AND a.household IN {households} AND a.from_month <= {q.date(this_month)} "
        f"AND (a.to_month IS NULL OR a.to_month >= {q.date(this_month)}) "
        f"AND {_no_current(q, 'living')}",
    ))  # fmt: skip
    add(Rule.START_CARE, lambda q: _start(
        q, Rule.START_CARE, id_expr="p.id_number", name="p.name", source="c.source_id",
        row="c.row", event="c.issue_date", list_value=q.text("COALESCE(c.level, p.level)"),
        registry_value=q.text("p.level"), type_="'care'",
        body=f"FROM {P} p LEFT JOIN "
        f"{q.rows('certificate', *ROW, 'level', 'category', 'cancelled', 'issue_date')} c "
        f"ON c.id_number = p.id_number WHERE p.status = 'active' "
        f"AND (c.cancelled IS NULL OR c.cancelled <> {q.true()}) "
        f"AND {_care_level_ok('COALESCE(c.level, p.level)', 'COALESCE(c.category, p.category)')} "
        f"AND {_no_current(q, 'care')}",
    ))  # fmt: skip
    add(Rule.INVITE_NEW, lambda q: _start(
        q, Rule.INVITE_NEW, id_expr="c.id_number", name="c.name", source="c.source_id",
        row="c.row", event="c.issue_date", list_value=q.text("c.level"), registry_value="''",
        person="CAST(NULL AS bigint)", town="CASE ar.level WHEN 'town' THEN ar.id "
        "WHEN 'community' THEN ar.parent_id END",
        type_=f"CASE WHEN {_care_level_ok('c.level', 'c.category')} THEN 'care' ELSE '' END",
        body=f"FROM {q.rows('certificate', *ROW, 'level', 'category', 'cancelled', 'issue_date', 'area_code')} c "  # noqa: E501
        f"LEFT JOIN {AREA} ar ON ar.code = c.area_code "
        f"WHERE c.cancelled <> {q.true()} "
        f"AND NOT EXISTS (SELECT 1 FROM {P} p WHERE p.id_number = c.id_number)",
    ))  # fmt: skip
    add(Rule.NAME, lambda q: _correct(
        q, Rule.NAME, q.rows("certificate", *ROW), "c", list_expr="c.name",
        registry_expr="p.name", where="c.name <> '' AND c.name <> p.name",
    ))  # fmt: skip
    add(Rule.HOUSEHOLD, lambda q: _correct(
        q, Rule.HOUSEHOLD, q.rows("assistance", *ROW, "household", "to_month"), "a",
        list_expr="a.household", registry_expr="p.household",
        where=f"a.household <> p.household AND (a.to_month IS NULL OR "
        f"a.to_month >= {q.date(this_month)})",
    ))  # fmt: skip
    add(Rule.CATEGORY, lambda q: _correct(
        q, Rule.CATEGORY, q.rows("certificate", *ROW, "category", "cancelled"), "c",
        list_expr="c.category", registry_expr="p.category",
        where=f"c.cancelled <> {q.true()} AND c.category <> p.category",
    ))  # fmt: skip
    add(Rule.LEVEL, lambda q: _correct(
        q, Rule.LEVEL, q.rows("certificate", *ROW, "level", "cancelled"), "c",
        list_expr="c.level", registry_expr="p.level",
        where=f"c.cancelled <> {q.true()} AND c.level <> p.level",
    ))  # fmt: skip
    return out


def compare_run(*, this_month: date, today: date, now: datetime) -> dict[str, int]:
    """Run every rule (inside the caller's transaction); returns rows touched per rule, plus
    ``resolved`` (open findings no rule produces any more)."""
    table = Finding._meta.db_table
    counts: dict[str, int] = {}
    values = {c: f"s.{c}" for c in COLUMNS} | {"seen_at": "%s", "status": "'open'"}
    updates = ", ".join(f"{c} = excluded.{c}" for c in UPDATED)
    for rule, (select, params) in rule_selects(this_month, today).items():
        insert, insert_params = model_insert_sql(
            Finding, values | {"seen_at": ("%s", [now])}, source=f"({select}) s", now=now
        )
        # model_insert_sql puts its own params before the source's.
        sql = (
            f"{insert} WHERE 1 = 1 ON CONFLICT (rule, id_number, type) DO UPDATE SET {updates}, "
            f"seen_at = excluded.seen_at, status = 'open', updated_at = CASE WHEN "
            f"{table}.status = 'resolved' THEN excluded.updated_at ELSE {table}.updated_at END "
            f"WHERE {table}.status IN ('open', 'resolved')"
        )
        counts[rule] = execute(sql, [*insert_params, *params])
    counts["resolved"] = execute(
        f"UPDATE {table} SET status = 'resolved', updated_at = %s "
        "WHERE status = 'open' AND seen_at < %s",
        [now, now],
    )
    return counts
