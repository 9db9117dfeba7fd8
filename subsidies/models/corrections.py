"""银行信息更正: bank details a failed payment exposed, for the town's caseworker to correct."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from dfed.core.models import PipelineAction, StatusPipelineMixin, TimeStamped, actor_field

from .payments import FailureReason, Payment


class AccountCorrection(StatusPipelineMixin, TimeStamped):
    """银行信息更正: a payment failed because of the person's bank details; the town's caseworker
    corrects them (the registry keeps the change in the person's history) and the failed months
    become due for re-issue."""

    class Status(models.TextChoices):
        OPEN = "open", _("待更正")
        DONE = "done", _("已更正")

    TRANSITIONS = {Status.OPEN: {Status.DONE}, Status.DONE: set()}
    ACTIONS = (
        PipelineAction(
            "correct",
            _("更正"),
            Status.DONE,
            "subsidies.change_accountcorrection",
            "subsidies:correction-detail",
            form=True,
            style="outline-primary",
        ),
    )

    person = models.ForeignKey(
        "people.Person",
        verbose_name=_("残疾人"),
        on_delete=models.PROTECT,
        related_name="subsidy_account_corrections",
    )
    payment = models.ForeignKey(
        Payment,
        verbose_name=_("失败的发放明细"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    failure_code = models.CharField(_("失败原因类别"), max_length=10, choices=FailureReason.choices)
    failure_text = models.CharField(_("银行失败原因"), max_length=200, blank=True)
    status = models.CharField(
        _("状态"), max_length=10, choices=Status.choices, default=Status.OPEN, db_index=True
    )
    old_bank_name = models.CharField(_("原开户银行"), max_length=50, blank=True)
    old_bank_account = models.CharField(_("原银行账号"), max_length=30, blank=True)
    done_by = actor_field(_("更正人"))
    done_at = models.DateTimeField(_("更正时间"), null=True, blank=True)
    note = models.CharField(_("说明"), max_length=200, blank=True)
    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        verbose_name = _("银行信息更正")
        verbose_name_plural = _("银行信息更正")
        ordering = ["status", "-created_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["person"],
                condition=Q(status="open"),
                name="accountcorrection_one_open_per_person",
            )
        ]

    def __str__(self) -> str:
        return f"{self.person} {self.get_failure_code_display()}"

    def pipeline_town_id(self) -> int | None:
        return self.person.town_id if self.person_id else None
