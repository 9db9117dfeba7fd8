"""Checks of a parsed roster: within the file (duplicates, rows of one ID agreeing, eligibility),
then on a COPYed staging table against the database (towns, communities, people, current
entitlements, rates), set-based."""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.utils.translation import gettext as _

from dfed.core.importing import ImportReport, Record, RowError
from dfed.core.importing.staging import analyze, execute, fetch_all, staging_copy, staging_create
from dfed.core.months import month_add, month_label
from dfed.people.models import Area, Person

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


def check_within_file(records: list[Record], context: Context) -> set[int]:
    """Same ID + same type twice: the later row is the error. Rows of one ID must agree on the
    person. Eligibility by the rules. Returns the row numbers that carry each person's data."""
    seen_type: dict[tuple[str, str], int] = {}
    first_of_id: dict[str, Record] = {}
    firsts: set[int] = set()
    eligibility: dict[tuple, list[str]] = {}
    for record in records:
        values = record.values
        info, subsidy_type = values["id_number"], values["type"]
        if info is None:
            continue
        if subsidy_type is not None:
            key = (info.number, subsidy_type)
            if key in seen_type:
                context.error(
                    record.row,
                    "id_number",
                    _("与第%(n)d行重复（同一身份证号、同一补贴类型）") % {"n": seen_type[key]},
                )
                record.failed.add("id_number")
            else:
                seen_type[key] = record.row
        first = first_of_id.get(info.number)
        if first is None:
            first_of_id[info.number] = record
            firsts.add(record.row)
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
        facts = (values["household"], values["category"], values["level"], subsidy_type)
        if None not in facts:
            if facts not in eligibility:
                eligibility[facts] = eligibility_reasons(
                    status="active",
                    household=facts[0],
                    category=facts[1],
                    level=facts[2],
                    type=facts[3],
                )
            if eligibility[facts]:
                context.error(
                    record.row,
                    "type",
                    _("不符合条件：%(r)s") % {"r": "；".join(eligibility[facts])},
                )
                record.failed.add("type")
    return firsts


def area_ids() -> tuple[dict[str, int], dict[tuple[int, str], int]]:
    """Town name → id and (town id, community name) → id: the whole (small) area table."""
    towns, communities = {}, {}
    for pk, name, level, parent_id in Area.objects.filter(
        level__in=[Area.Level.TOWN, Area.Level.COMMUNITY]
    ).values_list("pk", "name", "level", "parent_id"):
        if level == Area.Level.TOWN:
            towns[name] = pk
        else:
            communities[(parent_id, name)] = pk
    return towns, communities


def stage_rows(records: list[Record], firsts: set[int], context: Context) -> None:
    """Resolve towns and communities, and COPY every row with a readable ID into the staging
    table (rows without one cannot be matched to a person)."""
    staging_create(STAGE, STAGE_COLUMNS)
    tiers: dict[tuple, str] = {}
    towns, communities = area_ids()

    def rows():
        for record in records:
            v = record.values
            town_id = community_id = None
            if v["town"] is not None:
                town_id = towns.get(v["town"])
                if town_id is None:
                    reason = _("镇（街道）不存在：%(v)s") % {"v": v["town"]}
                    context.error(record.row, "town", reason)
                elif v["community"] is not None:
                    community_id = communities.get((town_id, v["community"]))
                    if community_id is None:
                        context.error(
                            record.row,
                            "community",
                            _("“%(c)s”不是%(t)s下的村（社区）")
                            % {"c": v["community"], "t": v["town"]},
                        )
            info = v["id_number"]
            if info is None:
                continue
            tier_key = (v["type"], v["level"])
            if tier_key not in tiers:
                tiers[tier_key] = (
                    tier_for(type=v["type"], level=v["level"]) if None not in tier_key else ""
                )
            yield (
                record.row,
                record.row in firsts,
                info.number,
                (v["name"] or "")[:50] or None,
                info.sex,
                info.birth_date,
                (v["ethnicity"] or "")[:20] or None,
                v["certificate_number"] or None,
                v["category"],
                v["level"],
                v["household"],
                v["town"],
                v["community"],
                v["phone"] or None,
                (v["bank_name"] or "")[:50] or None,
                v["bank_account"] or None,
                v["type"],
                tiers[tier_key] or None,
                v["start_month"],
                v["amount"],
                town_id,
                community_id,
            )

    staging_copy(STAGE, COPY_COLUMNS, rows())
    analyze(STAGE, columns=("id_number", "type", "tier"))


def check_against_database(context: Context, *, paid_through: date) -> None:
    """Towns, communities, people (status), current entitlements and rates: set-based."""
    optional = ("ethnicity", "certificate_number", "phone", "bank_name", "bank_account")
    changed = " OR ".join(
        [
            f"s.{col} IS DISTINCT FROM p.{col}"
            for col in ("name", "category", "level", "household", "community_id")
        ]
        + [f"(s.{col} IS NOT NULL AND s.{col} <> p.{col})" for col in optional]
    )
    execute(
        f"UPDATE {STAGE} AS s SET person_id = p.id, person_status = p.status, "
        f"person_changed = ({changed}) FROM people_person p WHERE p.id_number = s.id_number"
    )
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

    execute(
        f"UPDATE {STAGE} AS s SET ent_id = e.id, ent_state = e.state, ent_changed = ("
        "e.tier IS DISTINCT FROM s.tier OR e.start_month IS DISTINCT FROM s.start_month "
        "OR e.paid_through IS NULL OR e.paid_through < %s) "
        "FROM subsidies_entitlement e "
        "WHERE e.person_id = s.person_id AND e.type = s.type AND e.state <> %s",
        [paid_through, Entitlement.State.ENDED],
    )
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

    first_month = month_add(paid_through, 1)
    for row, subsidy_type, amount, rate in fetch_all(
        f"SELECT s.row_no, s.type, s.amount, r.monthly_amount FROM {STAGE} s "
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


def count_rows(context: Context) -> None:
    """Rows without errors: to create (new person or entitlement), to update, unchanged."""
    bad = {e.row for e in context.errors}
    report = context.report
    for row, person_id, person_changed, ent_id, ent_changed in fetch_all(
        f"SELECT row_no, person_id, person_changed, ent_id, ent_changed FROM {STAGE}"
    ):
        if row in bad:
            continue
        if person_id is None or ent_id is None:
            report.created += 1
        elif person_changed or ent_changed:
            report.updated += 1
        else:
            report.unchanged += 1
    # Rows whose ID did not parse were not staged; they are all in ``bad``.
