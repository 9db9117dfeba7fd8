"""Checks of a parsed roster: within the file (duplicates, rows of one ID agreeing, eligibility),
then on a COPYed staging table against the database (towns, communities, people, current
entitlements, rates), set-based."""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.utils.translation import gettext as _

from dfed.core.importing import ImportReport, Record, RowError
from dfed.core.importing.report import CREATED, ERROR, UNCHANGED, UPDATED, RowOutcome
from dfed.core.importing.staging import analyze, execute, fetch_all, staging_copy, staging_create
from dfed.core.months import month_add, month_label
from dfed.people.importing import area_ids, person_staged_changes, person_staged_match
from dfed.people.models import Person

from ..eligibility import eligibility_reasons, tier_for
from ..models import Entitlement, SubsidyRate, subsidy_type_short
from .spec import PERSON_KEYS

STAGE = "import_recipient_stage"
STAGE_COLUMNS = [
    ("row_no", "integer"),
    ("is_first", "boolean"),
    ("id_number", "varchar(18)"),
    ("name", "varchar(50)"),
    ("sex", "varchar(6)"),
    ("birth_date", "date"),
    ("ethnicity", "varchar(20)"),
    ("certificate_number", "varchar(20)"),
    ("category", "smallint"),
    ("level", "smallint"),
    ("household", "varchar(10)"),
    ("town_name", "varchar(100)"),
    ("community_name", "varchar(100)"),
    ("phone", "varchar(20)"),
    ("bank_name", "varchar(50)"),
    ("bank_account", "varchar(30)"),
    ("type", "varchar(10)"),
    ("tier", "varchar(10)"),
    ("start_month", "date"),
    ("amount", "numeric(12,2)"),
    ("town_id", "bigint"),
    ("community_id", "bigint"),
    ("person_id", "bigint"),
    ("person_status", "varchar(10)"),
    ("person_changed", "boolean"),
    ("ent_id", "bigint"),
    ("ent_state", "varchar(10)"),
    ("ent_changed", "boolean"),
]
COPY_COLUMNS = [name for name, _type in STAGE_COLUMNS[:22]]


@dataclass
class Context:
    report: ImportReport
    errors: list[RowError]
    headers: dict[str, str]
    order: dict[str, int]

    def error(self, row: int, key: str, reason: str) -> None:
        self.errors.append(
            RowError(row, self.order.get(key, 999), self.headers.get(key, key), reason)
        )


class WithinFile:
    """The checks within the file, one record at a time in row order: the same ID with the same
    type twice (the later row is the error), rows of one ID agreeing on the person (a blank cell
    takes the other row's value), eligibility by the rules. ``firsts`` collects the row numbers
    that carry each person's data. Every check runs on every row, so a row with an unreadable ID
    still gets its eligibility errors in the same pass."""

    def __init__(self, context: Context):
        self.context = context
        self.seen_type: dict[tuple[str, str], int] = {}
        self.first_of_id: dict[str, Record] = {}
        self.firsts: set[int] = set()
        self.eligibility: dict[tuple, list[str]] = {}

    def add(self, record: Record) -> int:
        """Check ``record``; returns the row number of its ID's first row (its own when it is
        the first; 0 without a readable ID)."""
        context, values = self.context, record.values
        info, subsidy_type = values["id_number"], values["type"]
        self._check_eligibility(record)
        if info is None:
            return 0
        if subsidy_type is not None:
            key = (info.number, subsidy_type)
            if key in self.seen_type:
                context.error(
                    record.row,
                    "id_number",
                    _("与第%(n)d行重复（同一身份证号、同一补贴类型）") % {"n": self.seen_type[key]},
                )
                record.failed.add("id_number")
            else:
                self.seen_type[key] = record.row
        first = self.first_of_id.get(info.number)
        if first is None:
            first = self.first_of_id[info.number] = record
            self.firsts.add(record.row)
        elif "id_number" not in record.failed:
            for key in PERSON_KEYS:
                if key in first.failed or key in record.failed or values[key] is None:
                    continue
                if first.values[key] is None:  # a blank cell takes the other row's value
                    first.values[key] = values[key]
                elif values[key] != first.values[key]:
                    context.error(
                        record.row,
                        key,
                        _("与第%(n)d行（同一身份证号）不一致") % {"n": first.row},
                    )
                    record.failed.add(key)
        return first.row

    def _check_eligibility(self, record: Record) -> None:
        context, values = self.context, record.values
        facts = (values["household"], values["category"], values["level"], values["type"])
        if None not in facts:
            reasons = self.eligibility.get(facts)
            if reasons is None:
                reasons = self.eligibility[facts] = eligibility_reasons(
                    status="active",
                    household=facts[0],
                    category=facts[1],
                    level=facts[2],
                    type=facts[3],
                )
            if reasons:
                context.error(
                    record.row, "type", _("不符合条件：%(r)s") % {"r": "；".join(reasons)}
                )
                record.failed.add("type")


def check_within_file(records: list[Record], context: Context) -> set[int]:
    """``WithinFile`` over every record; returns the row numbers of each ID's first row."""
    within = WithinFile(context)
    for record in records:
        within.add(record)
    return within.firsts


class RowValues:
    """Staging tuples of parsed records (``COPY_COLUMNS`` order): resolves towns and
    communities (an unknown one is reported through ``error``) and subsidy tiers."""

    def __init__(self, error, areas=None):
        self.error = error
        self.towns, self.communities = areas or area_ids()
        self.tiers: dict[tuple, str] = {}

    def rows(self, records, flags):
        """One tuple per record with a readable ID: row_no, the record's ``flags`` (a tuple
        each: is_first, and whatever else the staging table takes there), then the values."""
        towns, communities, tiers, error = self.towns, self.communities, self.tiers, self.error
        for record, flag in zip(records, flags, strict=True):
            v = record.values
            town_id = community_id = None
            if v["town"] is not None:
                town_id = towns.get(v["town"])
                if town_id is None:
                    error(record.row, "town", _("镇（街道）不存在：%(v)s") % {"v": v["town"]})
                elif v["community"] is not None:
                    community_id = communities.get((town_id, v["community"]))
                    if community_id is None:
                        error(
                            record.row,
                            "community",
                            _("“%(c)s”不是%(t)s下的村（社区）")
                            % {"c": v["community"], "t": v["town"]},
                        )
            info = v["id_number"]
            if info is None:
                continue  # without an ID the row cannot be matched to a person
            tier_key = (v["type"], v["level"])
            tier = tiers.get(tier_key)
            if tier is None:
                tier = tiers[tier_key] = (
                    tier_for(type=v["type"], level=v["level"]) if None not in tier_key else ""
                )
            yield (
                record.row,
                *flag,
                info.number,
                v["name"] or None,
                info.sex,
                info.birth_date,
                v["ethnicity"] or None,
                v["certificate_number"] or None,
                v["category"],
                v["level"],
                v["household"],
                v["town"],
                v["community"],
                v["phone"] or None,
                v["bank_name"] or None,
                v["bank_account"] or None,
                v["type"],
                tier or None,
                v["start_month"],
                v["amount"],
                town_id,
                community_id,
            )


def stage_rows(records: list[Record], firsts: set[int], context: Context) -> None:
    """COPY every row with a readable ID into the staging table."""
    staging_create(STAGE, STAGE_COLUMNS)
    values = RowValues(context.error)
    flags = ((r.row in firsts,) for r in records)
    staging_copy(STAGE, COPY_COLUMNS, values.rows(records, flags))
    analyze(STAGE, columns=("id_number", "type", "tier"))


def check_against_database(context: Context, *, paid_through: date) -> None:
    """Towns, communities, people (status), current entitlements and rates: set-based."""
    person_staged_match(table=STAGE)
    eligibility: dict[tuple, list[str]] = {}
    for row, status, household, category, level, subsidy_type in fetch_all(
        f"SELECT row_no, person_status, household, category, level, type FROM {STAGE} "
        "WHERE person_status <> %s AND household IS NOT NULL AND category IS NOT NULL "
        "AND level IS NOT NULL AND type IS NOT NULL",
        [Person.Status.ACTIVE],
    ):
        facts = (status, household, category, level, subsidy_type)
        if facts not in eligibility:
            # The status reason comes first; the others were reported by the row checks.
            eligibility[facts] = eligibility_reasons(
                status=status,
                household=household,
                category=category,
                level=level,
                type=subsidy_type,
            )[:1]
        if eligibility[facts]:
            context.error(row, "id_number", eligibility[facts][0])

    match_entitlements(paid_through=paid_through)
    for row, subsidy_type in fetch_all(
        f"SELECT row_no, type FROM {STAGE} WHERE ent_state = %s",
        [Entitlement.State.SUSPENDED],
    ):
        context.error(
            row,
            "type",
            _("该人员的%(t)s已暂停发放，请先在补贴模块恢复或终止后再导入")
            % {"t": subsidy_type_short(subsidy_type)},
        )

    rate_warnings(context, paid_through=paid_through)


def match_entitlements(*, paid_through: date, table: str = STAGE) -> None:
    """Each staged row's current (not ended) entitlement of its type, and whether the import
    changes it (tier, start, or paid through an earlier month)."""
    execute(
        f"UPDATE {table} AS s SET ent_id = e.id, ent_state = e.state, ent_changed = ("
        "e.tier IS DISTINCT FROM s.tier OR e.start_month IS DISTINCT FROM s.start_month "
        "OR e.paid_through IS NULL OR e.paid_through < %s) "
        "FROM subsidies_entitlement e "
        "WHERE e.person_id = s.person_id AND e.type = s.type AND e.state <> %s",
        [paid_through, Entitlement.State.ENDED],
    )


def rate_warnings(context: Context, *, paid_through: date, table: str = STAGE) -> None:
    """A warning for every filled 月标准 that differs from the rate table, in row order."""
    first_month = month_add(paid_through, 1)
    for row, subsidy_type, amount, rate in fetch_all(
        f"SELECT s.row_no, s.type, s.amount, r.monthly_amount FROM {table} s "
        f"JOIN {SubsidyRate._meta.db_table} r ON r.type = s.type AND r.tier = s.tier "
        "AND r.effective_from <= %s AND (r.effective_to IS NULL OR r.effective_to >= %s) "
        "WHERE s.amount IS NOT NULL AND s.amount <> r.monthly_amount ORDER BY s.row_no",
        [first_month, first_month],
    ):
        context.report.warnings.append(
            _(
                "%(col)s与补贴标准不一致：第%(n)d行填写%(a)s元，"
                "%(month)s%(type)s标准为%(r)s元（以标准为准）"
            )
            % {
                "col": context.headers.get("amount", "月标准（元）"),
                "n": row,
                "a": f"{Decimal(str(amount)):.2f}",
                "month": month_label(first_month),
                "type": subsidy_type_short(subsidy_type),
                "r": f"{Decimal(str(rate)):.2f}",
            }
        )


def count_rows(context: Context, *, paid_through: date) -> None:
    """Rows without errors: to create (new person or entitlement), to update, unchanged, each
    with its outcome and, for an update, the fields it changes (old → new) in the report. Read
    from the staging table the checks just matched, before the write: the same flags the write
    acts on, so the preview is what the write does."""
    bad = {e.row for e in context.errors}
    report = context.report
    person_changes = person_staged_changes(table=STAGE)
    # Rows of one person share its changes; show them on the person's first row only.
    entitlement_changes = _entitlement_changes(paid_through=paid_through)
    outcomes = report.outcomes
    for row, name, id_number, person_id, person_changed, ent_id, ent_changed in fetch_all(
        f"SELECT row_no, name, id_number, person_id, person_changed, ent_id, ent_changed "
        f"FROM {STAGE} ORDER BY row_no"
    ):
        if row in bad:
            outcomes.append(RowOutcome(row, ERROR, name or "", id_number))
            continue
        if person_id is None or ent_id is None:
            report.created += 1
            outcome, changes = CREATED, ()
        elif person_changed or ent_changed:
            report.updated += 1
            outcome = UPDATED
            changes = (*person_changes.get(row, ()), *entitlement_changes.get(row, ()))
        else:
            report.unchanged += 1
            outcome, changes = UNCHANGED, ()
        outcomes.append(RowOutcome(row, outcome, name or "", id_number, tuple(changes)))
    # Rows whose ID did not parse were not staged; they are all in ``bad``.


def _entitlement_changes(*, paid_through: date) -> dict[int, list[tuple[str, str, str, str]]]:
    """(field, label, old, new) of each staged row whose current entitlement the write changes
    (``ent_changed`` from ``match_entitlements``), as the UPDATE in ``write_roster`` sets it."""
    fields = {f.name: f for f in Entitlement._meta.concrete_fields}
    tiers = dict(fields["tier"].flatchoices)
    changes: dict[int, list[tuple[str, str, str, str]]] = {}
    for row, old_tier, new_tier, old_start, new_start, old_paid in fetch_all(
        f"SELECT s.row_no, e.tier, s.tier, e.start_month, s.start_month, e.paid_through "
        f"FROM {STAGE} s JOIN {Entitlement._meta.db_table} e ON e.id = s.ent_id "
        "WHERE s.ent_changed"
    ):
        found = []
        if (old_tier or "") != (new_tier or ""):
            found.append(
                (
                    "tier",
                    str(fields["tier"].verbose_name),
                    str(tiers.get(old_tier, old_tier or "")),
                    str(tiers.get(new_tier, new_tier or "")),
                )
            )
        if old_start != new_start:
            found.append(
                (
                    "start_month",
                    str(fields["start_month"].verbose_name),
                    month_label(old_start),
                    month_label(new_start),
                )
            )
        if old_paid is None or old_paid < paid_through:
            found.append(
                (
                    "paid_through",
                    str(fields["paid_through"].verbose_name),
                    month_label(old_paid),
                    month_label(paid_through),
                )
            )
        changes[row] = found
    return changes
