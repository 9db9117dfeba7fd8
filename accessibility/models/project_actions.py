"""The steps users take on a retrofit project (``RetrofitProject.ACTIONS``): which stage each is
offered from, the permission it needs and the page or POST that does it. Statuses are the
``RetrofitProject.Status`` values."""

from django.utils.translation import gettext_lazy as _

from dfed.core.models import PipelineAction

HANDLE = "accessibility.handle_retrofitproject"
APPROVE = "accessibility.approve_retrofitproject"


class Status:  # the RetrofitProject.Status values the steps name (the model imports this module)
    APPLIED = "applied"
    ASSESSMENT = "assessment"
    APPROVAL = "approval"
    CONSTRUCTION = "construction"
    ACCEPTANCE = "acceptance"
    COMPLETED = "completed"
    RETURNED = "returned"


PROJECT_ACTIONS = (
    PipelineAction(
        "intake",
        _("受理并安排入户评估"),
        Status.ASSESSMENT,
        HANDLE,
        "accessibility:project-intake",
        sources=(Status.APPLIED,),
    ),
    PipelineAction(
        "assess",
        _("登记入户评估"),
        Status.APPROVAL,
        HANDLE,
        "accessibility:project-assess",
        sources=(Status.ASSESSMENT,),
        form=True,
    ),
    PipelineAction(
        "approve",
        _("审批"),
        Status.CONSTRUCTION,
        APPROVE,
        "accessibility:project-approve",
        sources=(Status.APPROVAL,),
        form=True,
    ),
    PipelineAction(
        "construction",
        _("登记施工情况"),
        Status.ACCEPTANCE,
        HANDLE,
        "accessibility:project-construction",
        sources=(Status.CONSTRUCTION,),
        form=True,
    ),
    PipelineAction(
        "accept",
        _("验收"),
        Status.COMPLETED,
        APPROVE,
        "accessibility:project-accept",
        sources=(Status.ACCEPTANCE,),
        form=True,
    ),
    PipelineAction(
        "reopen",
        _("重新提交"),
        "",
        HANDLE,
        "accessibility:project-reopen",
        sources=(Status.RETURNED,),
        comment=True,
        comment_label=_("整改说明"),
    ),
    # Returned by whoever holds the stage: the caseworker at 入户评估, the reviewer later.
    PipelineAction(
        "return",
        _("退回"),
        Status.RETURNED,
        HANDLE,
        "accessibility:project-return",
        sources=(Status.ASSESSMENT,),
        comment=True,
        comment_label=_("退回意见"),
        confirm=_("确定要退回该项目吗？"),
        style="outline-danger",
    ),
    PipelineAction(
        "return",
        _("退回"),
        Status.RETURNED,
        APPROVE,
        "accessibility:project-return",
        sources=(Status.APPROVAL, Status.ACCEPTANCE),
        comment=True,
        comment_label=_("退回意见"),
        confirm=_("确定要退回该项目吗？"),
        style="outline-danger",
    ),
)
