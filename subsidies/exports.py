"""The bank's xlsx for a batch: one transfer per person, ID and account as text, a totals row,
formula characters neutralised (dfed.core.xlsx), and a per-town summary sheet."""

from decimal import Decimal

from django.utils.translation import gettext as _

from dfed.core.xlsx import XlsxWriter

from .models import PaymentBatch, SubsidyType, subsidy_type_short
from .selectors import bank_rows, payment_batch_totals

BANK_HEADERS = ("姓名", "身份证号", "开户银行", "账号", "金额", "备注")


def _months_text(months) -> str:
    if len(months) == 1:
        return f"{months[0].year}年{months[0].month}月"
    first, last = months[0], months[-1]
    return f"{first.year}年{first.month}月-{last.year}年{last.month}月"


def bank_remark(row: dict, batch: PaymentBatch) -> str:
    parts = []
    for subsidy_type in SubsidyType.values:
        months = row["items"].get(subsidy_type)
        if months:
            text = f"{subsidy_type_short(subsidy_type)}{_months_text(months)}"
            if months[0] < batch.month:
                text += _("（含补发%(n)d个月）") % {"n": sum(m < batch.month for m in months)}
            parts.append(text)
    if not row["bank_account"]:
        parts.insert(0, _("【缺少银行账号】"))
    return "；".join(parts)


def bank_workbook(batch: PaymentBatch) -> XlsxWriter:
    rows = bank_rows(batch)
    writer = XlsxWriter()
    total = sum((row["amount"] for row in rows), Decimal(0))
    writer.sheet(
        _("发放明细"),
        [_(h) for h in BANK_HEADERS],
        (
            [
                row["person"].name,
                row["person"].id_number,
                row["bank_name"],
                row["bank_account"],
                row["amount"],
                bank_remark(row, batch),
            ]
            for row in rows
        ),
        text_columns=(0, 1, 2, 3, 5),
        totals=[_("合计"), "", "", "", total, _("%(n)d人") % {"n": len(rows)}],
    )
    totals = payment_batch_totals(batch)
    by_town: dict[str, dict] = {}
    for item in totals["rows"]:
        town = by_town.setdefault(
            item["town__name"], {"people": 0, "count": 0, "living": Decimal(0), "care": Decimal(0)}
        )
        town["count"] += item["count"]
        town[item["type"]] += item["amount"]
    people_by_town: dict[str, int] = {}
    for row in rows:
        people_by_town[row["town"].name] = people_by_town.get(row["town"].name, 0) + 1
    writer.sheet(
        _("镇街道汇总"),
        [_("镇街道"), _("人数"), _("笔数"), _("生活补贴"), _("护理补贴"), _("合计")],
        (
            [
                name,
                people_by_town.get(name, 0),
                town["count"],
                town["living"],
                town["care"],
                town["living"] + town["care"],
            ]
            for name, town in by_town.items()
        ),
        text_columns=(0,),
        totals=[
            _("合计"),
            len(rows),
            totals["total"]["count"],
            sum((t["living"] for t in by_town.values()), Decimal(0)),
            sum((t["care"] for t in by_town.values()), Decimal(0)),
            total,
        ],
    )
    return writer


def bank_filename(batch: PaymentBatch) -> str:
    return f"bank-{batch.month:%Y-%m}.xlsx"
