"""``home_members_import``: read, check against the database (set-based, on a staging table)
and, unless dry-run or any error, write a member roster."""

from django.utils import timezone
from django.utils.translation import gettext as _

from dfed.core.importing import ImportReport, ParsedTable
from dfed.core.importing.report import CREATED, ERROR, UNCHANGED, UPDATED, RowOutcome
from dfed.core.importing.run import Progress, roster_import_run
from dfed.core.importing.staging import analyze, execute, fetch_all, staging_copy, staging_create
from dfed.people.importing import person_staged_find
from dfed.people.models import Person

from ..models import Attendance, Home, Membership
from .spec import SPEC
from .write import memberships_staged_write

STAGE = "import_home_member_stage"
STAGE_COLUMNS = [
    ("row_no", "integer"),
    ("id_number", "varchar(18)"),
    ("name", "varchar(50)"),
    ("home_id", "bigint"),
    ("joined_on", "date"),
    ("left_on", "date"),
    ("leave_reason", "varchar(200)"),
    ("person_id", "bigint"),
    ("person_status", "varchar(10)"),
    ("person_name", "varchar(50)"),
    ("mem_id", "bigint"),
    ("mem_home_id", "bigint"),
    ("mem_state", "varchar(10)"),  # 'open' / 'closed' / 'new' (created by this import)
    ("mem_changed", "boolean"),
]
COPY_COLUMNS = [name for name, _type in STAGE_COLUMNS[:7]]


def _homes() -> tuple[dict[str, list[tuple[int, str, str]]], dict[int, str]]:
    """Home name → [(id, town name, status)], and id → name: the whole (small) home table."""
    by_name: dict[str, list[tuple[int, str, str]]] = {}
    names = {}
    for pk, name, town, status in Home.objects.values_list("pk", "name", "town__name", "status"):
        by_name.setdefault(name, []).append((pk, town, status))
        names[pk] = name
    return by_name, names


def home_members_import(
    *,
    source,
    filename: str = "",
    by=None,
    dry_run: bool = False,
    progress: Progress | None = None,
) -> ImportReport:
    """Check a member roster and, unless ``dry_run`` or any row is wrong, write it.

    ``source`` is a path, bytes or a binary file; returns the report (``file_error`` set when
    the file cannot be read). The frame is ``roster_import_run``."""

    def write(report: ImportReport) -> None:
        reason = _("导入残疾人之家成员名册：%(f)s") % {"f": report.filename}
        memberships_staged_write(table=STAGE, by=by, reason=reason, now=timezone.now())

    return roster_import_run(
        spec=SPEC,
        source=source,
        filename=filename,
        dry_run=dry_run,
        progress=progress,
        check=_stage_and_check,
        write=write,
        stage=STAGE,
    )


def _stage_and_check(table: ParsedTable, report: ImportReport, progress: Progress) -> None:
    """Stage the parsed rows and check them against the database; row errors go to
    ``table.errors``, counts and outcomes to the report."""
    errors = table.errors
    staged = list(_staged_rows(table, errors))
    del table.records[:]
    progress(0.6, _("正在与系统数据比对……"))
    staging_create(STAGE, STAGE_COLUMNS)
    staging_copy(STAGE, COPY_COLUMNS, staged)
    analyze(STAGE, columns=("id_number",))
    _check_against_database(table, errors)
    _count_rows(report, errors)


def _staged_rows(table, errors):
    """Staging tuples of the parsed records: resolves homes (by name, and town when several
    homes share it) and reports an ID given twice."""
    by_name, _names = _homes()
    seen: dict[str, int] = {}
    for record in table.records:
        v = record.values
        home_id = None
        if v["home"] is not None:
            found = by_name.get(v["home"], [])
            if v["town"]:
                found = [h for h in found if h[1] == v["town"]]
            if not found:
                where = f"{v['town']} " if v["town"] else ""
                errors.append(
                    table.error(
                        record.row,
                        "home",
                        _("残疾人之家不存在：%(v)s") % {"v": where + v["home"]},
                    )
                )
            elif len(found) > 1:
                errors.append(
                    table.error(
                        record.row,
                        "home",
                        _("有多个名为“%(v)s”的残疾人之家，请填写镇（街道）") % {"v": v["home"]},
                    )
                )
            else:
                home_id = found[0][0]
                if found[0][2] != Home.Status.OPEN and v["left_on"] is None:
                    errors.append(
                        table.error(
                            record.row,
                            "home",
                            _("%(h)s 不在运营中，不能接收成员") % {"h": v["home"]},
                        )
                    )
        info = v["id_number"]
        if info is None:
            continue
        if info.number in seen:
            errors.append(
                table.error(
                    record.row,
                    "id_number",
                    _("与第%(n)d行重复（同一身份证号）") % {"n": seen[info.number]},
                )
            )
            continue
        seen[info.number] = record.row
        yield (
            record.row,
            info.number,
            v["name"],
            home_id,
            v["joined_on"],
            v["left_on"],
            v["leave_reason"] or None,
        )


def _check_against_database(table, errors) -> None:
    """People (registered, same name, active for a new open membership), each person's
    memberships (one home at a time) and attendance after a new leave date: set-based."""
    person_staged_find(table=STAGE)
    for row, name, registered, status, left_on in fetch_all(
        f"SELECT row_no, name, person_name, person_status, left_on FROM {STAGE} ORDER BY row_no"
    ):
        if registered is None:
            errors.append(table.error(row, "id_number", _("该身份证号未登记，请先导入残疾人名册")))
        elif name and name != registered:
            errors.append(
                table.error(row, "name", _("与登记的姓名不一致（登记为%(n)s）") % {"n": registered})
            )
        elif status != Person.Status.ACTIVE and left_on is None:
            label = dict(Person.Status.choices).get(status, status)
            errors.append(
                table.error(row, "id_number", _("该人员状态为“%(s)s”，不能加入") % {"s": label})
            )
    membership = Membership._meta.db_table
    # The person's open membership, else their membership at this home with this join date.
    execute(
        f"UPDATE {STAGE} AS s SET mem_id = m.id, mem_home_id = m.home_id, mem_state = 'open' "
        f"FROM {membership} m WHERE m.person_id = s.person_id AND m.left_on IS NULL"
    )
    execute(
        f"UPDATE {STAGE} AS s SET mem_id = m.id, mem_home_id = m.home_id, mem_state = 'closed' "
        f"FROM {membership} m WHERE s.mem_id IS NULL AND m.person_id = s.person_id "
        "AND m.home_id = s.home_id AND m.joined_on = s.joined_on"
    )
    execute(
        f"UPDATE {STAGE} AS s SET mem_changed = (m.joined_on <> s.joined_on "
        "OR (s.left_on IS NOT NULL AND m.left_on IS DISTINCT FROM s.left_on) "
        "OR (s.leave_reason IS NOT NULL AND m.leave_reason <> s.leave_reason)) "
        f"FROM {membership} m WHERE m.id = s.mem_id"
    )
    _by_name, names = _homes()
    for row, home_id, joined in fetch_all(
        f"SELECT s.row_no, m.home_id, m.joined_on FROM {STAGE} s "
        f"JOIN {membership} m ON m.id = s.mem_id "
        "WHERE s.mem_state = 'open' AND s.home_id IS NOT NULL AND m.home_id <> s.home_id "
        "ORDER BY s.row_no"
    ):
        errors.append(
            table.error(
                row,
                "home",
                _("已是“%(h)s”的成员（%(d)s 加入），一人只能加入一个残疾人之家，请先办理退出")
                % {"h": names.get(home_id, ""), "d": joined.isoformat()},
            )
        )
    overlapping: dict[int, tuple] = {}
    for row, home_id, joined, left in fetch_all(
        f"SELECT s.row_no, m.home_id, m.joined_on, m.left_on FROM {STAGE} s "
        f"JOIN {membership} m ON m.person_id = s.person_id "
        "WHERE s.mem_id IS NULL AND m.left_on > s.joined_on ORDER BY s.row_no, m.joined_on"
    ):
        overlapping.setdefault(row, (home_id, joined, left))
    for row, (home_id, joined, left) in overlapping.items():
        errors.append(
            table.error(
                row,
                "joined_on",
                _("与已有的成员记录（%(h)s，%(a)s 至 %(b)s）时间重叠")
                % {"h": names.get(home_id, ""), "a": joined.isoformat(), "b": left.isoformat()},
            )
        )
    for row, last in fetch_all(
        f"SELECT s.row_no, MAX(a.date) FROM {STAGE} s "
        f"JOIN {Attendance._meta.db_table} a ON a.person_id = s.person_id "
        "AND a.home_id = s.home_id AND a.date > s.left_on "
        "WHERE s.mem_id IS NOT NULL AND s.left_on IS NOT NULL GROUP BY s.row_no ORDER BY s.row_no"
    ):
        errors.append(
            table.error(
                row,
                "left_on",
                _("%(d)s 还有出勤记录，退出日期不能早于最后一次出勤") % {"d": last.isoformat()},
            )
        )


def _count_rows(report: ImportReport, errors) -> None:
    """Each staged row's outcome, and an update's changed fields (old → new), from the flags
    the write acts on, read before it."""
    bad = {e.row for e in errors}
    fields = {f.name: f for f in Membership._meta.concrete_fields}
    for row, name, id_number, mem_id, changed, old in _rows_with_old():
        if row in bad:
            report.outcomes.append(RowOutcome(row, ERROR, name or "", id_number))
            continue
        if mem_id is None:
            report.created += 1
            report.outcomes.append(RowOutcome(row, CREATED, name or "", id_number))
        elif changed:
            report.updated += 1
            changes = []
            for field, was, now in old:
                changes.append((field, str(fields[field].verbose_name), _text(was), _text(now)))
            report.outcomes.append(RowOutcome(row, UPDATED, name or "", id_number, tuple(changes)))
        else:
            report.unchanged += 1
            report.outcomes.append(RowOutcome(row, UNCHANGED, name or "", id_number))


def _text(value) -> str:
    if value is None:
        return ""
    return value.isoformat() if hasattr(value, "isoformat") else str(value)


def _rows_with_old():
    """(row, name, id, mem_id, changed, [(field, old, new) that differ]) per staged row."""
    for (
        row,
        name,
        id_number,
        mem_id,
        changed,
        joined,
        left,
        reason,
        s_joined,
        s_left,
        s_reason,
    ) in fetch_all(
        f"SELECT s.row_no, s.name, s.id_number, s.mem_id, s.mem_changed, m.joined_on, "
        "m.left_on, m.leave_reason, s.joined_on, s.left_on, s.leave_reason "
        f"FROM {STAGE} s LEFT JOIN {Membership._meta.db_table} m ON m.id = s.mem_id "
        "ORDER BY s.row_no"
    ):
        old = []
        if changed:
            if joined != s_joined:
                old.append(("joined_on", joined, s_joined))
            if s_left is not None and left != s_left:
                old.append(("left_on", left, s_left))
            if s_reason is not None and reason != s_reason:
                old.append(("leave_reason", reason, s_reason))
        yield row, name, id_number, mem_id, changed, old
