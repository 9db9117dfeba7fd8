"""Subsidy widgets, read from the summary table (``payment_summary_grouped``: added up in the
database, a few hundred rows at most), never from payments."""

from collections import defaultdict
from decimal import Decimal

from django.utils.translation import gettext_lazy as _

from dfed.core.months import month_label
from subsidies.selectors import (
    finding_figures,
    payment_failure_figures,
    payment_summary_grouped,
    subsidy_type_choices,
)

from .base import INT, MONEY, TEXT, Column, Table, widget
from .people import towns_in_scope

ZERO = Decimal("0.00")
# Who sees the payment widgets, and where they link.
PAYMENT_WIDGET = {
    "link": "subsidies:batch-list",
    "link_permission": "subsidies.view_paymentbatch",
    "permission": "subsidies.view_payment",
}


def summary_rows(filters, user, by: tuple[str, ...], *, start=None) -> list[dict]:
    return payment_summary_grouped(
        start=start or filters.start, end=filters.end, by=by, towns=filters.town_ids(user)
    )


def _types() -> list[str]:
    return [value for value, _short in subsidy_type_choices()]


def _type_columns(people_label, amount_label) -> list[Column]:
    columns = []
    for subsidy_type, short in subsidy_type_choices():
        columns.append(Column(f"{subsidy_type}_people", f"{short}{people_label}", INT))
        columns.append(Column(f"{subsidy_type}_amount", f"{short}{amount_label}", MONEY))
    return columns


def _type_row(label, key, people, amounts) -> list:
    """``label`` then, per subsidy type, people and amount at (``key``, type)."""
    row = [label]
    for subsidy_type in _types():
        row += [people[(key, subsidy_type)], amounts[(key, subsidy_type)]]
    return row


def _town_rows(filters, user, cells: dict, columns) -> list[list]:
    """One row per town in scope: its name, then each further column's value from
    ``cells[town id]`` by the column's key (0, or 0.00 for money, when the town has none)."""
    zero = {c.key: ZERO if c.kind == MONEY else 0 for c in columns[1:]}
    rows = []
    for town in towns_in_scope(filters, user):
        cell = cells.get(town.pk) or {}
        rows.append([town.name, *(cell.get(c.key) or zero[c.key] for c in columns[1:])])
    return rows


def _totals(rows, columns, label=None):
    totals = [str(label or _("合计"))]
    for i, column in enumerate(columns[1:], start=1):
        totals.append(sum((r[i] for r in rows), ZERO if column.kind == MONEY else 0))
    return totals


@widget(
    "subsidy-by-month",
    _("两项补贴发放（按月）"),
    chart="bar",
    series=(2, 4),
    **PAYMENT_WIDGET,
)
def subsidy_by_month(filters, user):
    """Per 发放月份: people paid and amount, for each subsidy type."""
    people, amounts = defaultdict(int), defaultdict(lambda: ZERO)
    for r in summary_rows(filters, user, ("month", "type")):
        people[(r["month"], r["type"])] += r["recipients"]
        amounts[(r["month"], r["type"])] += r["amount"]
    columns = [Column("month", _("发放月份"), TEXT), *_type_columns(_("人数"), _("金额（元）"))]
    rows = [_type_row(month_label(m), m, people, amounts) for m in filters.months]
    totals = _totals(rows, columns)
    for i, column in enumerate(columns):
        if column.kind == INT:
            totals[i] = ""  # people per month do not add up across months
    return Table(
        columns=columns,
        rows=rows,
        totals=totals,
        note=_("按发放月份统计已确认批次；人数为当月发放人数。"),
    )


@widget(
    "subsidy-by-town",
    _("两项补贴发放（按镇街道）"),
    chart="bar",
    series=(2, 4),
    **PAYMENT_WIDGET,
)
def subsidy_by_town(filters, user):
    """Per town: people paid in the last month of the period with a batch, amount over it."""
    by_month = summary_rows(filters, user, ("month",))
    last_month = max((r["month"] for r in by_month), default=None)
    people, amounts = defaultdict(int), defaultdict(lambda: ZERO)
    for r in summary_rows(filters, user, ("town_id", "type")):
        amounts[(r["town_id"], r["type"])] += r["amount"]
    if last_month is not None:
        for r in summary_rows(filters, user, ("town_id", "type"), start=last_month):
            people[(r["town_id"], r["type"])] += r["recipients"]
    columns = [
        Column("town", _("镇街道"), TEXT),
        *_type_columns(_("期末月人数"), _("期间金额（元）")),
    ]
    rows = [_type_row(t.name, t.pk, people, amounts) for t in towns_in_scope(filters, user)]
    note = _("人数为期间内最后一个发放月份（%(m)s）的发放人数；金额为期间合计。") % {
        "m": month_label(last_month) if last_month else "—"
    }
    return Table(columns=columns, rows=rows, totals=_totals(rows, columns), note=note)


def _failures(filters, user) -> dict:
    return payment_failure_figures(
        start=filters.start, end=filters.end, town_ids=filters.town_ids(user)
    )


@widget(
    "subsidy-failures-by-reason",
    _("发放失败（按原因）"),
    chart="bar",
    series=(2,),
    **PAYMENT_WIDGET,
)
def subsidy_failures_by_reason(filters, user):
    """Failed payments per bank reason: count and money the bank returned."""
    figures = _failures(filters, user)
    columns = [
        Column("reason", _("失败原因"), TEXT),
        Column("count", _("笔数"), INT),
        Column("amount", _("退回金额（元）"), MONEY),
    ]
    rows = [[str(r["label"]), r["count"], r["amount"]] for r in figures["by_reason"]]
    note = _("银行退回 %(r)s 元，已补发 %(i)s 元，不再补发（死亡）%(n)s 元。") % {
        "r": figures["returned"],
        "i": figures["reissued"],
        "n": figures["never"],
    }
    return Table(columns=columns, rows=rows, totals=_totals(rows, columns), note=note)


@widget(
    "subsidy-failures-by-town",
    _("发放失败与补发（按镇街道）"),
    chart="bar",
    series=(2, 3),
    **PAYMENT_WIDGET,
)
def subsidy_failures_by_town(filters, user):
    """Per town: failed payments, money returned, re-issued and not to be re-issued."""
    by_town = {r["town_id"]: r for r in _failures(filters, user)["by_town"]}
    columns = [
        Column("town", _("镇街道"), TEXT),
        Column("count", _("失败笔数"), INT),
        Column("amount", _("退回金额（元）"), MONEY),
        Column("reissued", _("已补发金额（元）"), MONEY),
        Column("never", _("不再补发金额（元）"), MONEY),
    ]
    rows = _town_rows(filters, user, by_town, columns)
    note = _("按失败明细所在批次的发放月份统计；补发为之后批次重新发放成功的金额。")
    return Table(columns=columns, rows=rows, totals=_totals(rows, columns), note=note)


@widget(
    "subsidy-findings",
    _("数据比对与主动发现（按镇街道）"),
    chart="stacked",
    series=(1, 2, 3),
    link="subsidies:finding-list",
    link_permission="subsidies.view_finding",
    permission="subsidies.view_finding",
)
def subsidy_findings(filters, user):
    """Per town: findings of the period by kind and how many were acted on; the note gives
    days from list to act, money stopped and recovered, and people newly reached."""
    figures = finding_figures(
        start=filters.start, end=filters.end_exclusive, town_ids=filters.town_ids(user)
    )
    cells = {r["town"]: r for r in figures.by_town}
    columns = [
        Column("town", _("镇街道"), TEXT),
        Column("stop", _("应停发"), INT),
        Column("correct", _("信息更正"), INT),
        Column("start", _("主动发现"), INT),
        Column("acted", _("已处理"), INT),
    ]
    rows = _town_rows(filters, user, cells, columns)
    unplaced = cells.get(None)
    if unplaced:
        rows.append([str(_("未定镇街道")), *(unplaced[c.key] for c in columns[1:])])
    note = _(
        "从名单导入到处理平均%(days)s天；停发每月%(stopped)s元，生成应追回%(overpaid)s元，"
        "已追回%(recovered)s元；主动发现并建立申请%(reached)d人，其中已批准%(approved)d人。"
    ) % {
        "days": figures.average_days if figures.average_days is not None else "—",
        "stopped": figures.stopped_monthly,
        "overpaid": figures.overpaid,
        "recovered": figures.recovered,
        "reached": figures.reached,
        "approved": figures.approved,
    }
    return Table(columns=columns, rows=rows, totals=_totals(rows, columns), note=note)
