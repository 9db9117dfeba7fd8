"""Bank details around a batch: the ones its bank file gave (``BatchAccount``) and 银行信息更正,
those a failed payment exposed, for the town's caseworker to correct."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from dfed.core.models import PipelineAction, StatusPipelineMixin, TimeStamped, actor_field

from .payments import FailureReason, Payment, PaymentBatch


class BatchAccount(models.Model):
    """The bank details a batch's bank file gave one person, written when the file is produced
    (``payment_batch_mark_exported``, again on each new download). The bank's return file is
    matched against them, so an account corrected after the file went to the bank does not
    refuse that file's results; the next batch's file carries the new account."""

    batch = models.ForeignKey(
        PaymentBatch, verbose_name=_("批次"), on_delete=models.CASCADE, related_name="accounts"
    )
    person = models.ForeignKey(
        "people.Person", verbose_name=_("残疾人"), on_delete=models.CASCADE, related_name="+"
    )
    bank_name = models.CharField(_("开户银行"), max_length=50, blank=True)
    bank_account = models.CharField(_("银行账号"), max_length=30, blank=True)

    class Meta:
        verbose_name = _("批次银行账户")
        verbose_name_plural = _("批次银行账户")
        constraints = [
            models.UniqueConstraint(fields=["batch", "person"], name="batchaccount_one_per_person")
        ]

    def __str__(self) -> str:
        return f"{self.batch_id}/{self.person_id}"


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
