"""无障碍改造 widgets: projects of the year by status, spend against budget per town."""

from decimal import Decimal

from django.utils.translation import gettext_lazy as _

from accessibility.selectors import (
    project_count_by_status,
    project_status_choices,
    retrofit_figures_for_year,
)

from .base import INT, MONEY, PERCENT, TEXT, Column, Table, widget

NOTE = _("按改造年度统计（所选期间结束月份所在年度）")


@widget(
    "retrofits-by-status",
    _("无障碍改造项目（按状态）"),
    chart="doughnut",
    permission="accessibility.view_retrofitproject",
    link="accessibility:project-list",
)
def retrofits_by_status(filters, user):
    towns = [filters.town.pk] if filters.town is not None else None
    counts = project_count_by_status(user=user, year=filters.year, towns=towns)
    rows = [[str(label), counts[value]] for value, label in project_status_choices()]
    return Table(
        columns=[Column("status", _("状态"), TEXT), Column("projects", _("户数"), INT)],
        rows=rows,
        totals=[str(_("合计")), sum(r[1] for r in rows)],
        note=NOTE,
    )


@widget(
    "retrofits-spend",
    _("无障碍改造资金（预算与支出）"),
    chart="bar",
    series=(1, 2, 3),
    permission="accessibility.view_retrofitbudget",
    link="accessibility:figures",
    link_permission="accessibility.view_retrofitbudget",
)
def retrofits_spend(filters, user):
    figures = retrofit_figures_for_year(user=user, year=filters.year)
    rows = []
    for town in figures.towns:
        if filters.town is not None and town.town.pk != filters.town.pk:
            continue
        rate = town.execution_rate
        rows.append(
            [
                town.town.name,
                town.budget or Decimal("0.00"),
                town.committed,
                town.spent,
                town.completed,
                float(rate) if rate is not None else None,
            ]
        )
    budget = sum((r[1] for r in rows), Decimal("0.00"))
    spent = sum((r[3] for r in rows), Decimal("0.00"))
    rate = float((spent / budget * 100).quantize(Decimal("0.1"))) if budget else None
    totals = [
        str(_("合计")),
        budget,
        sum((r[2] for r in rows), Decimal("0.00")),
        spent,
        sum(r[4] for r in rows),
        rate,
    ]
    return Table(
        columns=[
            Column("town", _("镇街道"), TEXT),
            Column("budget", _("预算（元）"), MONEY),
            Column("committed", _("已核定（元）"), MONEY),
            Column("spent", _("已完成支出（元）"), MONEY),
            Column("completed", _("完成户数"), INT),
            Column("rate", _("执行率"), PERCENT),
        ],
        rows=rows,
        totals=totals,
        note=NOTE,
    )
