"""External lists (外部比对名单): the five kinds other departments send, imported through the
import engine (``dfed.core.importing``: declarative columns, ``第N行 <列名> <原因>`` errors,
COPY on PostgreSQL, all-or-nothing, the dry run rolls back the same statements).

Invariants: a list with any row error writes nothing; every list is kept (who, when, which
file); for each kind the newest row of an ID number is the current one, older rows stay as
evidence; the same ID twice in one file is accepted only with the same values. After a list is
written, ``external_list_imported`` is sent on commit so other apps (subsidies) compare.
"""

import re
from collections.abc import Callable
from datetime import date, datetime, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from dfed.core.importing import Column, ImportFileError, ImportReport, ImportSpec, Record
from dfed.core.importing import normalizers as n
from dfed.core.importing.readers import open_rows
from dfed.core.importing.staging import analyze, execute, fetch_all, staging_copy
from dfed.core.validators import validate_certificate

from .models import LIST_ROW_MODELS, ExternalList, Person
from .signals import external_list_imported

Kind = ExternalList.Kind
LIST_IMPORTER = "external_list"  # the key registered with dfed.imports (option: ``kind``)
_DATE_RE = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$")


def day(value) -> date:
    """2025-03-04, 2025/3/4, 2025.3.4, 2025年3月4日, 20250304, an Excel date or serial → date."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool) and float(value).is_integer():
        number = int(value)
        if 1 <= number <= 99999:
            return n.EXCEL_EPOCH + timedelta(days=number)
        value = str(number)
    raw = n.compact(value)
    match = _DATE_RE.match(raw)
    parts = match.groups() if match else None
    if parts is None and len(raw) == 8 and raw.isdigit():
        parts = (raw[:4], raw[4:6], raw[6:])
    try:
        if parts is None:
            raise ValueError
        return date(int(parts[0]), int(parts[1]), int(parts[2]))
    except ValueError:
        raise ValidationError(
            _("日期无效：%(v)s（应为如 2025-03-04）") % {"v": raw or _("（空）")}, code="date"
        ) from None


def area_code(value) -> str:
    code = n.compact(value)
    if isinstance(value, float) and value.is_integer():
        code = str(int(value))
    if not (code.isdigit() and len(code) in (6, 9, 12)):
        raise ValidationError(_("区划代码应为6、9或12位数字：%(v)s") % {"v": code})
    return code


HOUSEHOLDS = {
    **dict.fromkeys(("低保", "低保户", "城乡低保", "最低生活保障", "低保对象"), "dibao"),
    **dict.fromkeys(("低保边缘", "低保边缘户", "低边", "边缘户", "低保边缘家庭"), "marginal"),
    **dict.fromkeys(("特困", "特困户", "特困供养", "特困人员", "特困供养人员", "五保"), "tekun"),
}
DIRECTIONS = {
    **dict.fromkeys(("迁出", "户籍迁出", "迁出本区", "出"), "out"),
    **dict.fromkeys(("迁入", "户籍迁入", "迁入本区", "入"), "in"),
}
CANCELLED = {
    **dict.fromkeys(("是", "注销", "已注销", "Y", "1", "作废"), True),
    **dict.fromkeys(("否", "正常", "有效", "N", "0", "新办", "换领", "换证"), False),
}

ID = Column(
    "id_number",
    ("公民身份号码", "身份证号", "身份证号码", "身份证"),
    n.id_number,
    required=True,
    blank_ok=False,
    memo=False,
)
NAME = Column("name", ("姓名",), n.compact, memo=False)
NAME_REQUIRED = Column("name", ("姓名",), n.compact, required=True, blank_ok=False, memo=False)


def _check_order(first: str, last: str, label: str):
    def check(record: Record):
        start, end = record.values.get(first), record.values.get(last)
        if start and end and end < start:
            yield last, _("不能早于%(label)s") % {"label": label}

    return check


def _check_not_future(key: str):
    def check(record: Record):
        value = record.values.get(key)
        if value and value > timezone.localdate():
            yield key, _("不能晚于今天（%(d)s）") % {"d": timezone.localdate().isoformat()}

    return check


def _check_certificate(record: Record):
    values = record.values
    info, cert = values.get("id_number"), values.get("certificate_number")
    if info and cert and values.get("category") and values.get("level"):
        try:
            validate_certificate(
                cert, id_number=info.number, category=values["category"], level=values["level"]
            )
        except ValidationError as exc:
            yield "certificate_number", exc.messages[0]


SPECS: dict[str, ImportSpec] = {
    Kind.ASSISTANCE: ImportSpec(
        columns=[
            ID,
            NAME_REQUIRED,
            Column(
                "household",
                ("救助类型", "家庭类型", "救助类别", "保障类型"),
                n.choice(HOUSEHOLDS, label=_("救助类型")),
                required=True,
                blank_ok=False,
            ),
            Column(
                "from_month",
                ("起始年月", "享受起始年月", "开始年月"),
                n.month,
                required=True,
                blank_ok=False,
            ),
            Column("to_month", ("终止年月", "享受终止年月", "结束年月"), n.month),
        ],
        checks=[_check_order("from_month", "to_month", _("起始年月"))],
    ),
    Kind.DEATH: ImportSpec(
        columns=[
            ID,
            NAME_REQUIRED,
            Column(
                "death_date",
                ("死亡日期", "注销日期", "火化日期"),
                day,
                required=True,
                blank_ok=False,
            ),
            Column("death_source", ("信息来源", "来源", "数据来源"), n.compact),
        ],
        checks=[_check_not_future("death_date")],
    ),
    Kind.MOVE: ImportSpec(
        columns=[
            ID,
            NAME,
            Column(
                "direction",
                ("迁移类型", "迁移方向", "变动类型"),
                n.choice(DIRECTIONS, label=_("迁移类型")),
                required=True,
                blank_ok=False,
            ),
            Column("move_date", ("迁移日期", "变动日期"), day, required=True, blank_ok=False),
            Column(
                "area_code",
                ("迁往/迁自区划代码", "迁往地区划代码", "迁自地区划代码", "区划代码"),
                area_code,
            ),
        ],
        checks=[_check_not_future("move_date")],
    ),
    Kind.CERTIFICATE: ImportSpec(
        columns=[
            ID,
            NAME_REQUIRED,
            Column(
                "certificate_number", ("残疾人证号", "残疾证号"), n.certificate_number, memo=False
            ),
            Column("category", ("残疾类别",), n.category, required=True, blank_ok=False),
            Column("level", ("残疾等级",), n.level, required=True, blank_ok=False),
            Column(
                "issue_date",
                ("发证日期", "评定日期", "发证/评定日期", "变动日期"),
                day,
                required=True,
                blank_ok=False,
            ),
            Column(
                "cancelled",
                ("是否注销", "证件状态", "注销"),
                n.choice(CANCELLED, label=_("是否注销")),
            ),
            Column("area_code", ("户籍地区划代码", "区划代码", "户籍地代码"), area_code),
        ],
        checks=[_check_certificate, _check_not_future("issue_date")],
    ),
    Kind.SENTENCE: ImportSpec(
        columns=[
            ID,
            NAME,
            Column(
                "from_date",
                ("服刑起始日期", "刑期起始日期", "起始日期"),
                day,
                required=True,
                blank_ok=False,
            ),
            Column("to_date", ("服刑截止日期", "刑期截止日期", "截止日期"), day),
        ],
        checks=[_check_order("from_date", "to_date", _("服刑起始日期"))],
    ),
}

# What a template shows under its header: one example row per kind.
EXAMPLES = {
    Kind.ASSISTANCE: ["110101199003071233", "张三", "低保", "2025-01", ""],
    Kind.DEATH: ["110101199003071233", "张三", "2025-03-04", "公安"],
    Kind.MOVE: ["110101199003071233", "张三", "迁出", "2025-03-04", "330106"],
    Kind.CERTIFICATE: [
        "110101199003071233",
        "张三",
        "11010119900307123342",
        "肢体",
        "二级",
        "2025-03-04",
        "否",
        "",
    ],
    Kind.SENTENCE: ["110101199003071233", "张三", "2025-03-04", "2027-03-03"],
}


def list_template_rows(kind: str) -> tuple[list[str], list[str]]:
    """The downloadable template of ``kind``: its headers (the first spelling) and an example."""
    return [column.label for column in SPECS[kind].columns], EXAMPLES[kind]


def _stored(key: str, value):
    if key == "id_number":
        return value.number
    if value is None:
        return "" if key in ("name", "death_source", "area_code", "certificate_number") else None
    return value


def _check_duplicates(table, records: list[Record]) -> list[Record]:
    """The same ID twice: identical rows collapse to the first, different ones are errors."""
    seen: dict[str, Record] = {}
    keep = []
    for record in records:
        info = record.values.get("id_number")
        if info is None or record.failed:
            keep.append(record)
            continue
        first = seen.get(info.number)
        if first is None:
            seen[info.number] = record
            keep.append(record)
            continue
        differ = [k for k, v in record.values.items() if k != "id_number" and first.values[k] != v]
        if differ:
            table.errors.append(
                table.error(
                    record.row,
                    "id_number",
                    _("与第%(row)d行重复且%(cols)s不一致")
                    % {
                        "row": first.row,
                        "cols": "、".join(table.headers.get(k, k) for k in differ),
                    },
                )
            )
    return keep


def external_list_import(
    *,
    kind: str,
    source,
    filename: str = "",
    by=None,
    dry_run: bool = False,
    progress: Callable[[float, str], None] | None = None,
) -> ImportReport:
    """Check a list of ``kind`` (``ExternalList.Kind``) and, unless ``dry_run`` or any row is
    wrong, keep it. Returns the engine's ``ImportReport``: ``created`` rows, ``extra`` with the
    list id and how many rows name someone registered; a file that cannot be read comes back
    with ``file_error`` set. Nothing is written on any error."""
    if kind not in SPECS:
        raise ValueError(f"unknown list kind {kind!r}")
    progress = progress or (lambda fraction, message="": None)
    filename = (filename or str(getattr(source, "name", source))).rsplit("/", 1)[-1]
    report = ImportReport(filename=filename)
    spec = SPECS[kind]
    try:
        rows = open_rows(source, name=filename)
        progress(0.1, _("正在逐行检查……"))
        table = spec.parse(rows, progress=lambda f: progress(0.1 + 0.5 * f, ""))
    except ImportFileError as exc:
        report.file_error = str(exc)
        return report
    records = _check_duplicates(table, table.records)
    report.rows = len(table.records)
    report.errors = sorted(table.errors)
    if report.errors:
        return report
    with transaction.atomic():
        written = _write(kind, spec, records, filename=filename, by=by, report=report)
        report.created = len(records)
        report.unchanged = report.rows - len(records)
        if dry_run:
            transaction.set_rollback(True)
        else:
            report.written = True
            transaction.on_commit(
                lambda: external_list_imported.send(
                    sender=ExternalList, external_list=written, by=by
                )
            )
    progress(1.0, _("完成"))
    return report


def _write(kind, spec, records, *, filename, by, report) -> ExternalList:
    model = LIST_ROW_MODELS[kind]
    table = model._meta.db_table
    external = ExternalList.objects.create(
        kind=kind, filename=filename[:200], row_count=len(records), imported_by=by
    )
    keys = [c.key for c in spec.columns]
    columns = ["source_id", "row", "current", *keys]
    staging_copy(
        table,
        columns,
        ([external.pk, r.row, True, *(_stored(k, r.values.get(k)) for k in keys)] for r in records),
    )
    analyze(table, ["id_number", "current"])
    # The newest row of an ID number is the current one; earlier lists keep theirs as evidence.
    execute(
        f"UPDATE {table} SET current = %s WHERE current AND source_id <> %s "
        f"AND id_number IN (SELECT id_number FROM {table} WHERE source_id = %s)",
        [False, external.pk, external.pk],
    )
    person = Person._meta.db_table
    [(registered,)] = fetch_all(
        f"SELECT COUNT(*) FROM {table} t JOIN {person} p ON p.id_number = t.id_number "
        "WHERE t.source_id = %s",
        [external.pk],
    )
    report.extra.update(list_id=external.pk, kind=kind, registered=registered)
    report.warnings.append(
        _("其中%(n)d行是本区在册残疾人，%(m)d行不在册。")
        % {"n": registered, "m": len(records) - registered}
    )
    return external
