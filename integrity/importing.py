"""The federation's staff roster importer (党风廉政: 科室, 职务, phone), on the engine.

Invariants: all-or-nothing (any row error or a dry run → nothing written, the same statements
rolled back); a row matches the staff member of the same name (two staff of one name in the
system, or one name twice in the file, is a row error); a blank optional cell keeps the stored
value; a 科室 not yet in the system is created (and said so in a warning); only integrity's own
tables are written. Registered as ``staff`` in ``IntegrityConfig.ready()``; run by
``manage.py import_staff`` and the import pages."""

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from dfed.core.importing import Column, ImportReport, ImportSpec, ParsedTable
from dfed.core.importing import normalizers as n
from dfed.core.importing.report import CREATED, ERROR, UNCHANGED, UPDATED, RowOutcome
from dfed.core.importing.run import Progress, roster_import_run
from dfed.core.importing.staging import (
    execute,
    fetch_all,
    model_insert_sql,
    staging_copy,
    staging_create,
)
from dfed.core.importing.template import template_workbook
from dfed.core.validators import MOBILE_RE

from .models import Department, Staff

LABEL = gettext_lazy("工作人员名册")
KEY = "staff"

POSTS = {
    **dict.fromkeys(
        ("党组书记/主要负责人", "党组书记", "主要负责人", "理事长", "书记", "主要领导"),
        Staff.Post.SECRETARY,
    ),
    **dict.fromkeys(("分管领导", "副理事长", "副书记", "班子成员"), Staff.Post.DEPUTY),
    **dict.fromkeys(("科室负责人", "科长", "主任", "科室主任"), Staff.Post.HEAD),
    **dict.fromkeys(("工作人员", "科员", "干部", "职员", "办事员"), Staff.Post.STAFF),
}
ACTIVE = {"是": True, "在职": True, "否": False, "离职": False, "调离": False, "退休": False}


def mobile(value) -> str:
    """An 11-digit mainland mobile (the SMS reminders go there); a landline is refused."""
    number = n.phone(value)
    if number and not MOBILE_RE.fullmatch(number):
        raise ValidationError(_("应为11位手机号：%(v)s") % {"v": number}, code="phone")
    return number


SPEC = ImportSpec(
    columns=[
        Column("seq", ("序号",)),
        Column("name", ("姓名",), n.person_name, required=True, blank_ok=False, max_length=50),
        Column("department", ("科室", "部门", "所在科室", "处室"), n.compact, max_length=50),
        Column("post", ("职务", "岗位", "职位"), n.choice(POSTS, label=_("职务"))),
        Column("phone", ("手机号", "手机号码", "联系电话", "联系方式", "电话"), mobile),
        Column("active", ("在职", "是否在职", "在职状态"), n.choice(ACTIVE, label=_("在职"))),
        Column("note", ("备注",)),
    ],
    key="name",
)
TEMPLATE_EXAMPLE = {
    "seq": 1,
    "name": "王芳",
    "department": "办公室",
    "post": "科室负责人",
    "phone": "13800138000",
    "active": "是",
}

STAGE = "import_staff_stage"
STAGE_COLUMNS = [
    ("row_no", "integer"),
    ("name", "varchar(50)"),
    ("department", "varchar(50)"),
    ("post", "varchar(10)"),
    ("phone", "varchar(11)"),
    ("active", "boolean"),
    ("department_id", "bigint"),
    ("staff_id", "bigint"),
    ("staff_count", "integer"),
    ("staff_changed", "boolean"),
]
COPY_COLUMNS = [name for name, _type in STAGE_COLUMNS[:6]]
CHANGED_SQL = (
    "(s.department_id IS NOT NULL AND t.department_id IS DISTINCT FROM s.department_id) "
    "OR (s.post IS NOT NULL AND t.post <> s.post) "
    "OR (s.phone IS NOT NULL AND t.phone <> s.phone) "
    "OR (s.active IS NOT NULL AND t.active <> s.active)"
)


def staff_import(
    *,
    source,
    filename: str = "",
    by=None,
    dry_run: bool = False,
    progress: Progress | None = None,
) -> ImportReport:
    """Check a staff roster and, unless ``dry_run`` or any row is wrong, write it.

    ``source`` is a path, bytes or a binary file; returns the report (``file_error`` set when
    the file cannot be read). The frame is ``roster_import_run`` (the parse reports no
    progress: staff rosters are short)."""
    return roster_import_run(
        spec=SPEC,
        source=source,
        filename=filename,
        dry_run=dry_run,
        progress=progress,
        check=_stage_and_check,
        write=lambda report: staff_staged_write(table=STAGE, now=timezone.now()),
        stage=STAGE,
        parse_span=None,
    )


def _stage_and_check(table: ParsedTable, report: ImportReport, progress: Progress) -> None:
    """Stage the parsed rows (one per name) and match them to the stored staff; row errors go
    to ``table.errors``, new departments to the warnings, counts and outcomes to the report."""
    errors = table.errors
    seen: dict[str, int] = {}
    staged = []
    for record in table.records:
        v = record.values
        if not v["name"]:
            continue
        if v["name"] in seen:
            errors.append(
                table.error(
                    record.row,
                    "name",
                    _("与第%(n)d行重复（同一姓名）") % {"n": seen[v["name"]]},
                )
            )
            continue
        seen[v["name"]] = record.row
        staged.append(
            (record.row, v["name"], v["department"] or None, v["post"], v["phone"] or None,
             v["active"])
        )  # fmt: skip
    del table.records[:]
    progress(0.6, _("正在与系统数据比对……"))
    staging_create(STAGE, STAGE_COLUMNS)
    staging_copy(STAGE, COPY_COLUMNS, staged)
    new_departments = _match(table, errors)
    for name in new_departments:
        report.warnings.append(_("将新增科室：%(d)s") % {"d": name})
    _count_rows(report, errors)


def _match(table, errors) -> list[str]:
    """Departments by name (returns the names to create) and staff by name, set-based."""
    staff, department = Staff._meta.db_table, Department._meta.db_table
    execute(
        f"UPDATE {STAGE} AS s SET department_id = d.id FROM {department} d "
        "WHERE d.name = s.department"
    )
    new = [
        name
        for (name,) in fetch_all(
            f"SELECT DISTINCT department FROM {STAGE} WHERE department IS NOT NULL "
            "AND department_id IS NULL ORDER BY department"
        )
    ]
    execute(
        f"UPDATE {STAGE} AS s SET staff_count = c.n, staff_id = c.id FROM "
        f"(SELECT name, COUNT(*) AS n, MIN(id) AS id FROM {staff} GROUP BY name) c "
        "WHERE c.name = s.name"
    )
    for (row,) in fetch_all(f"SELECT row_no FROM {STAGE} WHERE staff_count > 1 ORDER BY row_no"):
        errors.append(table.error(row, "name", _("系统中有多名同名工作人员，请在系统中逐一修改")))
    execute(
        f"UPDATE {STAGE} AS s SET staff_changed = ({CHANGED_SQL} "
        "OR (s.department IS NOT NULL AND s.department_id IS NULL)) "
        f"FROM {staff} t WHERE t.id = s.staff_id"
    )
    return new


def _count_rows(report: ImportReport, errors) -> None:
    """Each staged row's outcome, and an update's changed fields (old → new), read from the
    flags the write acts on, before it."""
    bad = {e.row for e in errors}
    fields = {f.name: f for f in Staff._meta.concrete_fields}
    posts = dict(Staff.Post.choices)
    yes_no = {True: _("是"), False: _("否"), None: ""}
    for row, name, staff_id, changed, *pairs in fetch_all(
        f"SELECT s.row_no, s.name, s.staff_id, s.staff_changed, "
        "d.name, s.department, t.post, s.post, t.phone, s.phone, t.active, s.active "
        f"FROM {STAGE} s LEFT JOIN {Staff._meta.db_table} t ON t.id = s.staff_id "
        f"LEFT JOIN {Department._meta.db_table} d ON d.id = t.department_id ORDER BY s.row_no"
    ):
        if row in bad:
            report.outcomes.append(RowOutcome(row, ERROR, name))
        elif staff_id is None:
            report.created += 1
            report.outcomes.append(RowOutcome(row, CREATED, name))
        elif changed:
            report.updated += 1
            changes = []
            shown = {"post": posts.get, "active": yes_no.get}
            for index, field in enumerate(("department", "post", "phone", "active")):
                old, new = pairs[2 * index], pairs[2 * index + 1]
                if new is None or old == new:
                    continue
                show = shown.get(field, lambda v: v or "")
                label = str(fields[field].verbose_name)
                changes.append((field, label, str(show(old) or ""), str(show(new) or "")))
            report.outcomes.append(RowOutcome(row, UPDATED, name, "", tuple(changes)))
        else:
            report.unchanged += 1
            report.outcomes.append(RowOutcome(row, UNCHANGED, name))


def staff_staged_write(*, table: str, now) -> None:
    """Integrity's set-based write of a checked staff roster: create the missing departments,
    the staff not matched, and update the changed ones (a blank cell keeps the stored value).
    Call inside the import's transaction, after the checks."""
    staff, department = Staff._meta.db_table, Department._meta.db_table
    execute(
        f"INSERT INTO {department} (name, {_quoted('order')}) SELECT DISTINCT s.department, 0 "
        f"FROM {table} s WHERE s.department IS NOT NULL AND s.department_id IS NULL"
    )
    execute(
        f"UPDATE {table} SET department_id = d.id FROM {department} d "
        f"WHERE {table}.department_id IS NULL AND d.name = {table}.department"
    )
    values = {
        "name": "s.name",
        "department_id": "s.department_id",
        "post": ("COALESCE(s.post, %s)", [Staff.Post.STAFF]),
        "phone": "COALESCE(s.phone, '')",
        "active": "COALESCE(s.active, TRUE)",
    }
    sql, params = model_insert_sql(
        Staff, values, source=f"{table} s WHERE s.staff_id IS NULL", now=now
    )
    execute(sql, params)
    execute(
        f"UPDATE {staff} SET department_id = COALESCE(s.department_id, {staff}.department_id), "
        f"post = COALESCE(s.post, {staff}.post), phone = COALESCE(s.phone, {staff}.phone), "
        f"active = COALESCE(s.active, {staff}.active), updated_at = %s "
        f"FROM {table} s WHERE s.staff_id = {staff}.id AND s.staff_changed",
        [now],
    )


def _quoted(name: str) -> str:
    from django.db import connection

    return connection.ops.quote_name(name)


def staff_template() -> bytes:
    """The staff roster template: header, one example row, drop-down lists (科室, 职务, 在职)."""
    choices = {
        "department": list(Department.objects.values_list("name", flat=True)),
        "post": [str(label) for label in Staff.Post.labels],
        "active": ["是", "否"],
    }
    return template_workbook(
        spec=SPEC,
        title=str(LABEL),
        example=TEMPLATE_EXAMPLE,
        choices={key: values for key, values in choices.items() if values},
    )
