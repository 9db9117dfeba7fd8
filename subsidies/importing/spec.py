"""The recipient roster's columns (header variants, parsers) and row checks: ``RECIPIENT_SPEC``."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from dfed.core.importing import Column, ImportSpec, Record
from dfed.core.importing import normalizers as n
from dfed.core.validators import validate_certificate
from dfed.people.importers import HOUSEHOLDS, SEX_LABELS, SEXES

from ..models import SubsidyType

SUBSIDY_TYPES = {
    **dict.fromkeys(
        ("生活补贴", "困难残疾人生活补贴", "残疾人生活补贴", "困难生活补贴"), SubsidyType.LIVING
    ),
    **dict.fromkeys(
        ("护理补贴", "重度残疾人护理补贴", "残疾人护理补贴", "重度护理补贴"), SubsidyType.CARE
    ),
}


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


def _warn_zeroed_id(record: Record):
    info = record.values.get("id_number")
    if info and n.looks_zeroed(info.number):
        yield (
            "id_number",
            _("身份证号末三位是000，可能被Excel当作数字截断了末几位，请对照原始证件核对"),
        )


def _check_bank(record: Record):
    if record.values.get("bank_account") and not record.values.get("bank_name"):
        yield "bank_name", _("填写银行账号时必须填写开户银行")


RECIPIENT_SPEC = ImportSpec(
    columns=[
        Column("seq", ("序号",)),
        Column(
            "name",
            ("姓名", "残疾人姓名"),
            n.person_name,
            required=True,
            blank_ok=False,
            max_length=50,
        ),
        Column("sex", ("性别",), n.choice(SEXES, label=_("性别"))),
        Column(
            "id_number",
            ("公民身份号码", "身份证号", "身份证号码", "身份证", "残疾人身份证号"),
            n.id_number,
            required=True,
            blank_ok=False,
        ),
        Column(
            "certificate_number",
            ("残疾人证号", "残疾证号", "残疾人证号码", "残疾证号码", "第二代残疾人证号"),
            n.certificate_number,
        ),
        Column(
            "category", ("残疾类别", "类别", "残疾种类"), n.category, required=True, blank_ok=False
        ),
        Column("level", ("残疾等级", "等级", "残疾级别"), n.level, required=True, blank_ok=False),
        Column("ethnicity", ("民族",), max_length=20),
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
        Column(
            "phone", ("手机号", "联系电话", "手机号码", "电话", "联系方式", "联系手机"), n.phone
        ),
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
            "amount",
            (
                "月标准（元）",
                "月标准",
                "补贴标准（元）",
                "补贴标准（元/月）",
                "补贴标准",
                "月补贴金额（元）",
                "发放标准（元/月）",
                "发放标准",
            ),
            n.amount,
        ),
        Column(
            "bank_name",
            ("开户银行", "开户行", "代发金融机构", "代发银行", "金融机构", "发放银行"),
            max_length=50,
        ),
        Column(
            "bank_account",
            (
                "银行卡号",
                "银行账号",
                "银行卡账号",
                "社会保障卡号",
                "社保卡号",
                "一卡通账号",
                "一卡通账号（社保卡号）",
                "社会保障卡银行账号",
                "代发账号",
                "收款账号",
            ),
            n.bank_account,
        ),
        Column("note", ("备注",)),
    ],
    checks=[_check_sex, _check_certificate, _check_bank],
    warns=[_warn_zeroed_id],
    key="id_number",
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
    "type": "生活补贴",
    "start_month": "2025-01",
    "amount": "",
    "bank_name": "示范农商银行",
    "bank_account": "6231000000000000123",
}
