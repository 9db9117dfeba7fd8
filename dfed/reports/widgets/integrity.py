"""党风廉政 widgets: duties done vs due in the year, activity by month, reminder SMS."""

from django.db.models import Count, Q
from django.db.models.functions import TruncMonth
from django.utils.translation import gettext_lazy as _

from dfed.core.months import month_label
from dfed.notifications.models import SmsMessage
from integrity.selectors import integrity_activity_by_month, integrity_overview

from .base import INT, PERCENT, TEXT, Column, Table, widget

VIEW = "integrity.view_studysession"
NOTE = _("按年度统计（所选期间结束月份所在年度），全区数据")


@widget(
    "integrity-duties",
    _("党风廉政建设任务完成情况"),
    chart="bar",
    series=(1, 2),
    permission=VIEW,
    link="integrity:overview",
)
def integrity_duties(filters, user):
    rows = []
    for row in integrity_overview(year=filters.year):
        done, due = row["done"] or 0, row["due"]
        rate = round(done * 100 / due, 1) if due else None
        rows.append([str(row["label"]), done, due, rate])
    return Table(
        columns=[
            Column("duty", _("事项"), TEXT),
            Column("done", _("已完成"), INT),
            Column("due", _("应完成"), INT),
            Column("rate", _("完成率"), PERCENT),
        ],
        rows=rows,
        note=_("“应完成”为空的事项不设数量要求。") + str(NOTE),
    )


@widget(
    "integrity-by-month",
    _("学习、谈话与走访（按月）"),
    chart="stacked",
    series=(1, 2, 3, 4),
    permission=VIEW,
    link="integrity:overview",
)
def integrity_by_month(filters, user):
    activity = integrity_activity_by_month(start=filters.start, end=filters.end_exclusive)
    rows = []
    for month in filters.months:
        cell = activity.get(month)
        counts = (cell.study, cell.special, cell.talks, cell.visits) if cell else (0, 0, 0, 0)
        rows.append([month_label(month), *counts])
    columns = [
        Column("month", _("月份"), TEXT),
        Column("study", _("集中学习"), INT),
        Column("special", _("专题研究"), INT),
        Column("talks", _("谈心谈话"), INT),
        Column("visits", _("三服务走访"), INT),
    ]
    totals = [str(_("合计"))] + [sum(r[i] for r in rows) for i in range(1, 5)]
    return Table(columns=columns, rows=rows, totals=totals)


@widget(
    "sms-by-status",
    _("短信发送情况（按月）"),
    chart="stacked",
    series=(1, 2, 3),
    permission=("notifications.view_smsmessage", VIEW),
)
def sms_by_status(filters, user):
    S = SmsMessage.Status
    grouped = (
        SmsMessage.objects.order_by()
        .filter(created_at__date__gte=filters.start, created_at__date__lt=filters.end_exclusive)
        .annotate(m=TruncMonth("created_at"))
        .values("m")
        .annotate(**{status: Count("pk", filter=Q(status=status)) for status in S.values})
    )
    cells = {r["m"].date() if hasattr(r["m"], "date") else r["m"]: r for r in grouped}
    rows = []
    for month in filters.months:
        cell = cells.get(month, {})
        rows.append(
            [
                month_label(month),
                cell.get(S.SENT, 0),
                cell.get(S.FAILED, 0),
                cell.get(S.QUEUED, 0),
                cell.get(S.OPTED_OUT, 0),
            ]
        )
    columns = [
        Column("month", _("月份"), TEXT),
        Column("sent", S.SENT.label, INT),
        Column("failed", S.FAILED.label, INT),
        Column("queued", S.QUEUED.label, INT),
        Column("opted_out", S.OPTED_OUT.label, INT),
    ]
    totals = [str(_("合计"))] + [sum(r[i] for r in rows) for i in range(1, 5)]
    return Table(columns=columns, rows=rows, totals=totals, note=_("按短信创建月份统计"))
