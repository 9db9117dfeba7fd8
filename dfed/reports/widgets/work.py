"""Work-in-hand widgets: a caseworker's drafts and waiting items, a reviewer's queues."""

from django.utils.translation import gettext_lazy as _

from accessibility.selectors import accessibility_work_queue
from dfed.core.months import month_label
from homes.selectors import homes_work_queue
from subsidies.selectors import subsidies_work_queue

from .base import TEXT, Column, Table, widget

NOTE = _("待办事项为当前数据，不随期间筛选变化")


def _table(rows) -> Table:
    return Table(
        columns=[Column("item", _("事项"), TEXT), Column("count", _("数量"), TEXT)],
        rows=[[str(label), value] for label, value in rows],
        note=NOTE,
    )


@widget(
    "my-work",
    _("我的待办"),
    chart="table",
    permission="subsidies.add_application",
    link="subsidies:application-drafts",
)
def my_work(filters, user):
    towns = filters.town_ids(user)
    subsidies = subsidies_work_queue(user=user, towns=towns)
    projects = accessibility_work_queue(user=user, towns=towns)
    assessments = homes_work_queue(user=user, towns=towns)
    return _table(
        [
            (_("我的补贴申请草稿"), subsidies.my_drafts),
            (_("待乡镇审核的补贴申请"), subsidies.town_review),
            (_("区残联审定中的补贴申请"), subsidies.district_review),
            (_("被退回的改造项目"), projects.returned),
            (_("办理中的改造项目"), projects.in_progress),
            (_("星级评定草稿或退回"), assessments.to_finish),
        ]
    )


@widget(
    "reviewer-queues",
    _("审核队列"),
    chart="table",
    permission="subsidies.district_review_application",
    link="subsidies:application-queue",
    link_permission="subsidies.district_review_application",
)
def reviewer_queues(filters, user):
    towns = filters.town_ids(user)
    subsidies = subsidies_work_queue(user=user, towns=towns)
    batch = subsidies.batch
    batch_state = (
        f"{batch.get_status_display()}（{batch.payment_count}笔）" if batch else str(_("未生成"))
    )
    return _table(
        [
            (_("待区残联审定的补贴申请"), subsidies.district_review),
            (_("%(month)s发放批次") % {"month": month_label(subsidies.batch_month)}, batch_state),
            (_("待追回款项"), subsidies.recoveries_pending),
            (_("待审定的星级评定"), homes_work_queue(user=user, towns=towns).to_approve),
            (_("待审批的改造项目"), accessibility_work_queue(user=user, towns=towns).to_approve),
        ]
    )
