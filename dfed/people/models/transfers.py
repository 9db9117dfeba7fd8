"""区内迁移: moving a person between towns of the district."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from dfed.core.models import PipelineAction, StatusPipelineMixin, TimeStamped

from .registry import Area, Person


class PersonTransfer(StatusPipelineMixin, TimeStamped):
    """区内迁移: a caseworker of the new town asks to move a person registered in another town of
    the district; a district reviewer approves, and the person's community changes (with
    history). Entitlements, memberships and projects stay with the person."""

    class Status(models.TextChoices):
        PENDING = "pending", _("待审核")
        APPROVED = "approved", _("已批准")
        REJECTED = "rejected", _("已驳回")

    TRANSITIONS = {
        Status.PENDING: {Status.APPROVED, Status.REJECTED},
        Status.APPROVED: set(),
        Status.REJECTED: set(),
    }
    ACTIONS = (
        PipelineAction(
            "approve",
            _("批准"),
            Status.APPROVED,
            "people.approve_persontransfer",
            "people:transfer-decide",
            url_takes_name=True,
        ),
        PipelineAction(
            "reject",
            _("驳回"),
            Status.REJECTED,
            "people.approve_persontransfer",
            "people:transfer-decide",
            comment=True,
            comment_label=_("驳回理由"),
            style="outline-danger",
            url_takes_name=True,
        ),
    )

    person = models.ForeignKey(
        Person, verbose_name=_("残疾人"), on_delete=models.PROTECT, related_name="transfers"
    )
    from_community = models.ForeignKey(
        Area, verbose_name=_("迁出社区村"), on_delete=models.PROTECT, related_name="+"
    )
    to_community = models.ForeignKey(
        Area,
        verbose_name=_("迁入社区村"),
        on_delete=models.PROTECT,
        related_name="+",
        limit_choices_to={"level": Area.Level.COMMUNITY},
    )
    reason = models.CharField(_("迁移说明"), max_length=200, blank=True)
    status = models.CharField(
        _("状态"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("申请人"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("审批人"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    decided_at = models.DateTimeField(_("审批时间"), null=True, blank=True)
    decision_note = models.CharField(_("审批意见"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("区内迁移")
        verbose_name_plural = _("区内迁移")
        ordering = ["-created_at"]
        permissions = [("approve_persontransfer", _("审批区内迁移"))]
        constraints = [
            models.UniqueConstraint(
                fields=["person"],
                condition=models.Q(status="pending"),
                name="person_transfer_one_pending",
            )
        ]

    def user_may_act(self, user, action: PipelineAction) -> bool:
        """A transfer joins two towns: only a district reviewer decides it."""
        from dfed.core.scoping import user_sees_district

        return super().user_may_act(user, action) and user_sees_district(user)

    def __str__(self) -> str:
        return f"{self.person} → {self.to_community}"
