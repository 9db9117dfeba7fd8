"""Work-in-hand widgets: a caseworker's drafts and waiting items, a reviewer's queues."""

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accessibility.models import RetrofitProject
from dfed.core.months import month_label, month_start
from homes.models import StarAssessment
from subsidies.models import Application, PaymentBatch, RecoveryItem

from . import TEXT, Column, Table, widget

NOTE = _("待办事项为当前数据，不随期间筛选变化")


def _in_towns(queryset, filters, user, field):
    town_ids = filters.town_ids(user)
    return queryset if town_ids is None else queryset.filter(**{f"{field}__in": town_ids})


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
    apps = _in_towns(Application.objects.all(), filters, user, "person__town")
    projects = _in_towns(RetrofitProject.objects.all(), filters, user, "town")
    assessments = _in_towns(StarAssessment.objects.all(), filters, user, "home__town")
    S, P = Application.Status, RetrofitProject.Status
    return _table(
        [
            (_("我的补贴申请草稿"), apps.filter(created_by=user, status=S.DRAFT).count()),
            (_("待乡镇审核的补贴申请"), apps.filter(status=S.TOWN_REVIEW).count()),
            (_("区残联审定中的补贴申请"), apps.filter(status=S.DISTRICT_REVIEW).count()),
            (_("被退回的改造项目"), projects.filter(status=P.RETURNED).count()),
            (
                _("办理中的改造项目"),
                projects.exclude(status__in=[*RetrofitProject.CLOSED, P.RETURNED]).count(),
            ),
            (
                _("星级评定草稿或退回"),
                assessments.filter(
                    status__in=[StarAssessment.Status.DRAFT, StarAssessment.Status.RETURNED]
                ).count(),
            ),
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
    this_month = month_start(timezone.localdate())
    batch = PaymentBatch.objects.filter(month=this_month).first()
    batch_state = (
        f"{batch.get_status_display()}（{batch.payment_count}笔）" if batch else str(_("未生成"))
    )
    apps = _in_towns(Application.objects.all(), filters, user, "person__town")
    projects = _in_towns(RetrofitProject.objects.all(), filters, user, "town")
    assessments = _in_towns(StarAssessment.objects.all(), filters, user, "home__town")
    recoveries = _in_towns(RecoveryItem.objects.all(), filters, user, "person__town")
    return _table(
        [
            (
                _("待区残联审定的补贴申请"),
                apps.filter(status=Application.Status.DISTRICT_REVIEW).count(),
            ),
            (
                _("%(month)s发放批次") % {"month": month_label(this_month)},
                batch_state,
            ),
            (_("待追回款项"), recoveries.filter(status=RecoveryItem.Status.PENDING).count()),
            (
                _("待审定的星级评定"),
                assessments.filter(status=StarAssessment.Status.SUBMITTED).count(),
            ),
            (
                _("待审批的改造项目"),
                projects.filter(status=RetrofitProject.Status.APPROVAL).count(),
            ),
        ]
    )
