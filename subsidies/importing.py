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

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from dfed.core.importing import Column, ImportFileError, ImportReport, ImportSpec, Record, RowError
from dfed.core.importing import normalizers as n
from dfed.core.importing.readers import open_rows
from dfed.core.importing.spec import gc_paused
from dfed.core.importing.staging import (
    analyze,
    execute,
    fetch_all,
    history_insert,
    history_insert_sql,
    model_insert_sql,
    staging_copy,
    staging_create,
    staging_drop,
)
from dfed.core.months import month_add, month_label, month_start
from dfed.core.validators import validate_certificate
from dfed.people.models import Area, Person

from .eligibility import eligibility_reasons, tier_for
from .models import Entitlement, SubsidyRate, SubsidyType, subsidy_type_short

HOUSEHOLDS = {
    **dict.fromkeys(("低保", "低保户", "低保家庭", "城乡低保", "最低生活保障"), "dibao"),
    **dict.fromkeys(("低保边缘", "低保边缘户", "低保边缘家庭", "低边", "边缘户"), "marginal"),
    **dict.fromkeys(("特困", "特困户", "特困供养", "特困人员", "特困供养人员", "五保"), "tekun"),
    **dict.fromkeys(("一般", "一般户", "一般家庭", "普通", "非低保", "其他"), "general"),
}
SUBSIDY_TYPES = {
    **dict.fromkeys(
        ("生活补贴", "困难残疾人生活补贴", "残疾人生活补贴", "困难生活补贴"), SubsidyType.LIVING
    ),
    **dict.fromkeys(
        ("护理补贴", "重度残疾人护理补贴", "残疾人护理补贴", "重度护理补贴"), SubsidyType.CARE
    ),
}
SEXES = {"男": "male", "男性": "male", "女": "female", "女性": "female"}
SEX_LABELS = {"male": "男", "female": "女"}


def _check_sex(record: Record):
    info, sex = record.values.get("id_number"), record.values.get("sex")
    if info and sex and info.sex != sex:
        yield "sex", _("性别与身份证号不符（身份证号为%(s)s性）") % {"s": SEX_LABELS[info.sex]}


def _check_certificate(record: Record):
    values = record.values
    info, cert = values.get("id_number"), values.get("certificate_number")
    if not (info and cert):
        return
    if cert == f"{info.number}{values['category']}{values['level']}":
        return  # the usual case, already in the stored form
    try:
        validate_certificate(
            cert, id_number=info.number, category=values["category"], level=values["level"]
        )
    except ValidationError as exc:
        yield "certificate_number", exc.messages[0]


def _check_bank(record: Record):
    if record.values.get("bank_account") and not record.values.get("bank_name"):
        yield "bank_name", _("填写银行账号时必须填写开户银行")


RECIPIENT_SPEC = ImportSpec(
    columns=[
        Column("seq", ("序号",)),
        Column("name", ("姓名",), required=True, blank_ok=False),
        Column("sex", ("性别",), n.choice(SEXES, label=_("性别"))),
        Column(
            "id_number",
            ("公民身份号码", "身份证号", "身份证号码", "身份证"),
            n.id_number,
            required=True,
            blank_ok=False,
        ),
        Column("certificate_number", ("残疾人证号", "残疾证号"), n.certificate_number),
        Column("category", ("残疾类别",), n.category, required=True, blank_ok=False),
        Column("level", ("残疾等级",), n.level, required=True, blank_ok=False),
        Column("ethnicity", ("民族",)),
        Column(
            "town",
            ("镇（街道）", "乡镇（街道）", "镇街道", "乡镇街道", "乡镇"),
            n.compact,
            required=True,
            blank_ok=False,
        ),
        Column(
            "community",
            ("村（社区）", "社区（村）", "社区村", "村社区", "村居"),
            n.compact,
            required=True,
            blank_ok=False,
        ),
        Column("phone", ("手机号", "联系电话", "手机号码", "电话"), n.phone),
        Column(
            "household",
            ("家庭类型", "家庭经济状况"),
            n.choice(HOUSEHOLDS, label=_("家庭类型")),
            required=True,
            blank_ok=False,
        ),
        Column(
            "type",
            ("补贴类型",),
            n.choice(SUBSIDY_TYPES, label=_("补贴类型")),
            required=True,
            blank_ok=False,
        ),
        Column(
            "start_month",
            ("发放起始年月", "起始年月", "享受起始年月"),
            n.month,
            required=True,
            blank_ok=False,
        ),
        Column(
            "amount", ("月标准（元）", "月标准", "补贴标准（元）", "月补贴金额（元）"), n.amount
        ),
        Column("bank_name", ("开户银行", "开户行")),
        Column("bank_account", ("银行卡号", "银行账号", "银行卡账号"), n.bank_account),
        Column("note", ("备注",)),
    ],
    checks=[_check_sex, _check_certificate, _check_bank],
)

# Person fields that must agree between two rows of one ID (one per subsidy type).
PERSON_KEYS = (
    "name",
    "category",
    "level",
    "household",
    "town",
    "community",
    "ethnicity",
    "certificate_number",
    "phone",
    "bank_name",
    "bank_account",
)

STAGE = "import_recipient_stage"
NEW_PEOPLE = "import_recipient_new_people"
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


def default_paid_through(today: date | None = None) -> date:
    """The month before the import: the old process paid up to there."""
    return month_add(month_start(today or timezone.localdate()), -1)


@dataclass
class _Context:
    report: ImportReport
    errors: list[RowError]
    headers: dict[str, str]
    order: dict[str, int]

    def error(self, row: int, key: str, reason: str) -> None:
        self.errors.append(
            RowError(row, self.order.get(key, 999), self.headers.get(key, key), reason)
        )


def recipient_import(
    *,
    source,
    filename: str = "",
    paid_through: date | str | None = None,
    by=None,
    dry_run: bool = False,
    progress: Callable[[float, str], None] | None = None,
) -> ImportReport:
    """Check a recipient roster and, unless ``dry_run`` or any row is wrong, write it.

    ``source`` is a path, bytes or a binary file. Returns the report; a file that cannot be read
    comes back with ``file_error`` set and nothing written."""
    progress = progress or (lambda fraction, message="": None)
    filename = filename or str(getattr(source, "name", source))
    if isinstance(paid_through, str):
        paid_through = date.fromisoformat(paid_through)
    paid_through = month_start(paid_through) if paid_through else default_paid_through()
    report = ImportReport(filename=filename.rsplit("/", 1)[-1])
    report.extra["paid_through"] = paid_through.isoformat()
    with gc_paused():
        try:
            progress(0.02, _("正在读取文件……"))
            rows = open_rows(source, name=filename)
            progress(0.1, _("正在逐行检查……"))
            table = RECIPIENT_SPEC.parse(rows, progress=lambda f: progress(0.1 + 0.4 * f, ""))
        except ImportFileError as exc:
            report.file_error = str(exc)
            return report
        del rows
        context = _Context(report, table.errors, table.headers, table.order)
        report.rows = len(table.records)
        firsts = _check_within_file(table.records, context)
    with transaction.atomic():
        progress(0.5, _("正在与系统数据比对……"))
        if connection.vendor == "postgresql":
            # Compiling these large INSERT … SELECTs costs more than it saves (2× slower).
            execute("SET LOCAL jit = off")
        with gc_paused():
            _stage(table.records, firsts, context)
        del table.records[:]
        _check_against_database(context, paid_through=paid_through)
        _count(context)
        if context.errors or dry_run:
            staging_drop(STAGE)
            transaction.set_rollback(True)
        else:
            progress(0.8, _("正在写入……"))
            _write(report=report, paid_through=paid_through, by=by)
            staging_drop(STAGE)
            report.written = True
    report.errors = sorted(context.errors)
    progress(1.0, _("完成"))
    return report


def _check_within_file(records: list[Record], context: _Context) -> set[int]:
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


def _area_ids() -> tuple[dict[str, int], dict[tuple[int, str], int]]:
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


def _stage(records: list[Record], firsts: set[int], context: _Context) -> None:
    """Resolve towns and communities, and COPY every row with a readable ID into the staging
    table (rows without one cannot be matched to a person)."""
    staging_create(STAGE, STAGE_COLUMNS)
    tiers: dict[tuple, str] = {}
    towns, communities = _area_ids()

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
    analyze(STAGE)


def _check_against_database(context: _Context, *, paid_through: date) -> None:
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


def _count(context: _Context) -> None:
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


def _write(*, report: ImportReport, paid_through: date, by) -> None:
    now = timezone.now()
    user_id = getattr(by, "pk", None)
    reason = _("导入补贴名册：%(f)s") % {"f": report.filename}
    history = {"reason": reason, "user_id": user_id, "now": now}
    person_table, ent_table = Person._meta.db_table, Entitlement._meta.db_table
    fast = connection.vendor == "postgresql"

    # New people, with their history: on PostgreSQL one statement (INSERT … RETURNING feeding
    # the history INSERT and a map of the new ids); elsewhere insert, then look the ids up.
    person_sql, person_params = model_insert_sql(
        Person,
        PERSON_VALUES,
        source=f"{STAGE} s WHERE s.is_first AND s.person_id IS NULL",
        now=now,
    )
    if fast:
        staging_create(NEW_PEOPLE, [("id", "bigint"), ("id_number", "varchar(18)")])
        hist_sql, hist_params = history_insert_sql(
            Person, source="ins t", history_type="'+'", **history
        )
        execute(
            f"WITH ins AS ({person_sql} RETURNING *), hist AS ({hist_sql}) "
            f"INSERT INTO {NEW_PEOPLE} (id, id_number) SELECT id, id_number FROM ins",
            person_params + hist_params,
        )
        analyze(NEW_PEOPLE)
    else:
        execute(person_sql, person_params)
        execute(
            f"UPDATE {STAGE} SET person_changed = TRUE, person_status = 'new', person_id = p.id "
            f"FROM {person_table} p WHERE {STAGE}.person_id IS NULL "
            f"AND p.id_number = {STAGE}.id_number"
        )
        history_insert(
            Person,
            source=f"{person_table} t JOIN {STAGE} s ON s.person_id = t.id "
            "WHERE s.is_first AND s.person_status = 'new'",
            history_type="'+'",
            **history,
        )

    # People already registered whose data changed.
    execute(
        f"UPDATE {person_table} SET name = s.name, category = s.category, level = s.level, "
        "household = s.household, town_id = s.town_id, community_id = s.community_id, "
        f"ethnicity = COALESCE(s.ethnicity, {person_table}.ethnicity), "
        f"certificate_number = COALESCE(s.certificate_number, {person_table}.certificate_number), "
        f"phone = COALESCE(s.phone, {person_table}.phone), "
        f"bank_name = COALESCE(s.bank_name, {person_table}.bank_name), "
        f"bank_account = COALESCE(s.bank_account, {person_table}.bank_account), updated_at = %s "
        f"FROM {STAGE} s WHERE s.person_id = {person_table}.id AND s.is_first "
        "AND s.person_changed AND s.person_status <> 'new'",
        [now],
    )
    history_insert(
        Person,
        source=f"{person_table} t JOIN {STAGE} s ON s.person_id = t.id "
        "WHERE s.is_first AND s.person_changed AND s.person_status <> 'new'",
        history_type="'~'",
        **history,
    )

    # New entitlements, with their history.
    ent_values = {
        **ENTITLEMENT_VALUES,
        "paid_through": ("%s", [paid_through]),
        "created_by_id": ("%s", [user_id]),
        "state_note": ("%s", [reason[:200]]),
    }
    if fast:
        ent_values["person_id"] = "COALESCE(s.person_id, np.id)"
        source = (
            f"{STAGE} s LEFT JOIN {NEW_PEOPLE} np ON s.person_id IS NULL "
            "AND np.id_number = s.id_number WHERE s.ent_id IS NULL"
        )
        ent_sql, ent_params = model_insert_sql(Entitlement, ent_values, source=source, now=now)
        hist_sql, hist_params = history_insert_sql(
            Entitlement, source="ins t", history_type="'+'", **history
        )
        execute(f"WITH ins AS ({ent_sql} RETURNING *) {hist_sql}", ent_params + hist_params)
        staging_drop(NEW_PEOPLE)
    else:
        ent_sql, ent_params = model_insert_sql(
            Entitlement, ent_values, source=f"{STAGE} s WHERE s.ent_id IS NULL", now=now
        )
        execute(ent_sql, ent_params)
        execute(
            f"UPDATE {STAGE} SET ent_changed = TRUE, ent_state = 'new', ent_id = e.id "
            f"FROM {ent_table} e WHERE {STAGE}.ent_id IS NULL "
            f"AND e.person_id = {STAGE}.person_id AND e.type = {STAGE}.type AND e.state = %s",
            [Entitlement.State.ACTIVE],
        )
        history_insert(
            Entitlement,
            source=f"{ent_table} t JOIN {STAGE} s ON s.ent_id = t.id WHERE s.ent_state = 'new'",
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
        f"FROM {STAGE} s WHERE {ent_table}.id = s.ent_id AND s.ent_changed "
        "AND s.ent_state <> 'new'",
        [paid_through, paid_through, now],
    )
    history_insert(
        Entitlement,
        source=f"{ent_table} t JOIN {STAGE} s ON s.ent_id = t.id "
        "WHERE s.ent_changed AND s.ent_state <> 'new'",
        history_type="'~'",
        **history,
    )


def parse_paid_through(value: str) -> date:
    """YYYY-MM (or any month format the roster accepts) → the first of that month."""
    return n.month(value)


__all__ = [
    "RECIPIENT_SPEC",
    "default_paid_through",
    "parse_paid_through",
    "recipient_import",
]
