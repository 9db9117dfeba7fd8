"""The registry roster importer (残疾人名册): people without subsidy columns, through the engine.

Invariants: all-or-nothing (any row error or a dry run → nothing written, the same statements
rolled back); one person per ID number (a second row of an ID is an error); a blank optional
cell keeps the stored value; every created or changed person gets a history row naming the
user and the file. Registered as ``people`` in ``PeopleConfig.ready()``; run by
``manage.py import_people`` and the import pages."""

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from dfed.core.importing import Column, ImportReport, ImportSpec, ParsedTable, Record
from dfed.core.importing import normalizers as n
from dfed.core.importing.report import CREATED, ERROR, UNCHANGED, UPDATED, RowOutcome
from dfed.core.importing.run import Progress, roster_import_run
from dfed.core.importing.staging import analyze, fetch_all, staging_copy, staging_create
from dfed.core.validators import validate_certificate

from .importing import (
    STAGE_COLUMNS,
    area_ids,
    person_staged_changes,
    person_staged_match,
    person_staged_upsert,
)
from .models import Area, Person

HOUSEHOLDS = {
    **dict.fromkeys(("低保", "低保户", "低保家庭", "城乡低保", "最低生活保障"), "dibao"),
    **dict.fromkeys(("低保边缘", "低保边缘户", "低保边缘家庭", "低边", "边缘户"), "marginal"),
    **dict.fromkeys(("特困", "特困户", "特困供养", "特困人员", "特困供养人员", "五保"), "tekun"),
    **dict.fromkeys(("一般", "一般户", "一般家庭", "普通", "非低保", "其他"), "general"),
}
SEXES = {"男": "male", "男性": "male", "女": "female", "女性": "female"}
SEX_LABELS = {"male": "男", "female": "女"}

NAME = Column(
    "name", ("姓名", "残疾人姓名"), n.person_name, required=True, blank_ok=False, max_length=50
)
ID_NUMBER = Column(
    "id_number",
    ("公民身份号码", "身份证号", "身份证号码", "身份证", "残疾人身份证号"),
    n.id_number,
    required=True,
    blank_ok=False,
)
CERTIFICATE = Column(
    "certificate_number",
    ("残疾人证号", "残疾证号", "残疾人证号码", "残疾证号码", "第二代残疾人证号"),
    n.certificate_number,
)
CATEGORY = Column(
    "category", ("残疾类别", "类别", "残疾种类"), n.category, required=True, blank_ok=False
)
LEVEL = Column("level", ("残疾等级", "等级", "残疾级别"), n.level, required=True, blank_ok=False)
TOWN = Column(
    "town",
    ("镇（街道）", "乡镇（街道）", "镇街道", "乡镇街道", "乡镇"),
    n.compact,
    required=True,
    blank_ok=False,
)
COMMUNITY = Column(
    "community",
    ("村（社区）", "社区（村）", "社区村", "村社区", "村居"),
    n.compact,
    required=True,
    blank_ok=False,
)
PHONE = Column("phone", ("手机号", "联系电话", "手机号码", "电话", "联系方式", "联系手机"), n.phone)
HOUSEHOLD = Column(
    "household", ("家庭类型", "家庭经济状况"), n.choice(HOUSEHOLDS, label=_("家庭类型"))
)
BANK_NAME = Column(
    "bank_name",
    ("开户银行", "开户行", "代发金融机构", "代发银行", "金融机构", "发放银行"),
    max_length=50,
)
BANK_ACCOUNT = Column(
    "bank_account",
    (
        "银行卡号",
        "银行账号",
        "银行卡账号",
        "社会保障卡号",
        "社保卡号",
        "一卡通账号",
        "社会保障卡银行账号",
        "代发账号",
        "收款账号",
    ),
    n.bank_account,
)


def check_sex(record: Record):
    info, sex = record.values.get("id_number"), record.values.get("sex")
    if info and sex and info.sex != sex:
        yield "sex", _("性别与身份证号不符（身份证号为%(s)s性）") % {"s": SEX_LABELS[info.sex]}


def check_certificate(record: Record):
    values = record.values
    info, cert = values.get("id_number"), values.get("certificate_number")
    if not (info and cert) or values.get("category") is None or values.get("level") is None:
        return
    try:
        validate_certificate(
            cert, id_number=info.number, category=values["category"], level=values["level"]
        )
    except Exception as exc:  # noqa: BLE001 - ValidationError carries the reason
        yield "certificate_number", exc.messages[0]


def check_bank(record: Record):
    if record.values.get("bank_account") and not record.values.get("bank_name"):
        yield "bank_name", _("填写银行账号时必须填写开户银行")


PEOPLE_SPEC = ImportSpec(
    columns=[
        Column("seq", ("序号",)),
        NAME,
        Column("sex", ("性别",), n.choice(SEXES, label=_("性别"))),
        ID_NUMBER,
        CERTIFICATE,
        CATEGORY,
        LEVEL,
        Column("ethnicity", ("民族",), max_length=20),
        TOWN,
        COMMUNITY,
        PHONE,
        HOUSEHOLD,
        BANK_NAME,
        BANK_ACCOUNT,
        Column("note", ("备注",)),
    ],
    checks=[check_sex, check_certificate, check_bank],
    key="id_number",
)
TEMPLATE_EXAMPLE = {
    "seq": 1,
    "name": "王芳",
    "sex": "女",
    "id_number": "330199197003090028",
    "certificate_number": "33019919700309002842",
    "category": "肢体",
    "level": "二级",
    "ethnicity": "汉族",
    "town": "东湖街道",
    "community": "东湖社区",
    "phone": "13800138000",
    "household": "低保",
    "bank_name": "示范农商银行",
    "bank_account": "6231000000000000123",
}

STAGE = "import_people_stage"
COPY_COLUMNS = ["row_no", "is_first", *[name for name, _type in STAGE_COLUMNS[:14]]]


def people_import(
    *,
    source,
    filename: str = "",
    by=None,
    dry_run: bool = False,
    progress: Progress | None = None,
) -> ImportReport:
    """Check a registry roster and, unless ``dry_run`` or any row is wrong, write it.

    ``source`` is a path, bytes or a binary file; returns the report (``file_error`` set when
    the file cannot be read). The frame is ``roster_import_run``."""

    def write(report: ImportReport) -> None:
        reason = _("导入残疾人名册：%(f)s") % {"f": report.filename}
        person_staged_upsert(table=STAGE, by=by, reason=reason, now=timezone.now())

    return roster_import_run(
        spec=PEOPLE_SPEC,
        source=source,
        filename=filename,
        dry_run=dry_run,
        progress=progress,
        check=_stage_and_check,
        write=write,
        stage=STAGE,
    )


def _stage_and_check(table: ParsedTable, report: ImportReport, progress: Progress) -> None:
    """Stage the parsed rows (towns and communities resolved, one row per ID number) and
    match them to the stored people; row errors go to ``table.errors``."""
    errors = table.errors
    towns, communities = area_ids()
    seen: dict[str, int] = {}
    staged = []
    for record in table.records:
        v = record.values
        town_id = community_id = None
        if v["town"] is not None:
            town_id = towns.get(v["town"])
            if town_id is None:
                errors.append(
                    table.error(record.row, "town", _("镇（街道）不存在：%(v)s") % {"v": v["town"]})
                )
            elif v["community"] is not None:
                community_id = communities.get((town_id, v["community"]))
                if community_id is None:
                    errors.append(
                        table.error(
                            record.row,
                            "community",
                            _("“%(c)s”不是%(t)s下的村（社区）")
                            % {"c": v["community"], "t": v["town"]},
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
        staged.append(
            (
                record.row,
                True,
                info.number,
                v["name"],
                info.sex,
                info.birth_date,
                v["ethnicity"] or None,
                v["certificate_number"] or None,
                v["category"],
                v["level"],
                v["household"] or Person.Household.GENERAL,
                town_id,
                community_id,
                v["phone"] or None,
                v["bank_name"] or None,
                v["bank_account"] or None,
            )
        )
    del table.records[:]
    progress(0.6, _("正在与系统数据比对……"))
    staging_create(STAGE, [("row_no", "integer"), ("is_first", "boolean"), *STAGE_COLUMNS])
    staging_copy(STAGE, COPY_COLUMNS, staged)
    analyze(STAGE, columns=("id_number",))
    person_staged_match(table=STAGE)
    count_rows(report, errors)


def count_rows(report: ImportReport, errors) -> None:
    """Each staged row's outcome (and an update's changed fields, old → new) from the flags
    ``person_staged_match`` set, which the write acts on: the preview is what the write does."""
    bad = {e.row for e in errors}
    changes = person_staged_changes(table=STAGE)
    for row, name, id_number, person_id, changed in fetch_all(
        f"SELECT row_no, name, id_number, person_id, person_changed FROM {STAGE} ORDER BY row_no"
    ):
        if row in bad:
            report.outcomes.append(RowOutcome(row, ERROR, name or "", id_number))
            continue
        if person_id is None:
            report.created += 1
            outcome = CREATED
        elif changed:
            report.updated += 1
            outcome = UPDATED
        else:
            report.unchanged += 1
            outcome = UNCHANGED
        report.outcomes.append(
            RowOutcome(row, outcome, name or "", id_number, tuple(changes.get(row, ())))
        )


PEOPLE_LABEL = gettext_lazy("残疾人名册")


def people_template() -> bytes:
    """The registry roster template: header, one example row, drop-down lists (sex, category,
    level, household type, town)."""
    from dfed.core.importing.normalizers import CATEGORY_NAMES
    from dfed.core.importing.template import template_workbook

    return template_workbook(
        spec=PEOPLE_SPEC,
        title=str(PEOPLE_LABEL),
        example=TEMPLATE_EXAMPLE,
        choices={
            "sex": ["男", "女"],
            "category": list(CATEGORY_NAMES.values()),
            "level": ["一级", "二级", "三级", "四级"],
            "household": ["低保", "低保边缘", "特困", "一般"],
            "town": list(
                Area.objects.filter(level=Area.Level.TOWN)
                .order_by("code")
                .values_list("name", flat=True)
            ),
        },
    )
