"""Payment batches, payments and recovery items."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from dfed.core.models import PipelineAction, StatusPipelineMixin, TimeStamped, actor_field
from dfed.core.months import month_label

from .choices import SubsidyType, Tier, _check_month
from .entitlements import Entitlement
from .rates import SubsidyRate


class PaymentBatch(StatusPipelineMixin, TimeStamped):
    """All payments made in one month: 草稿 → 已确认 → 已导出 → 已发放."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("草稿")
        CONFIRMED = "confirmed", _("已确认")
        EXPORTED = "exported", _("已导出")
        PAID = "paid", _("已发放")

    TRANSITION_ERROR = _("批次状态“%(from)s”不能变为“%(to)s”")
    TRANSITIONS = {
        Status.DRAFT: {Status.CONFIRMED},
        Status.CONFIRMED: {Status.EXPORTED},
        Status.EXPORTED: {Status.PAID, Status.EXPORTED},
        Status.PAID: set(),
    }
    # The batches whose payments count as paid out in figures and the summary table.
    COUNTED_STATUSES = (Status.CONFIRMED, Status.EXPORTED, Status.PAID)
    ACTIONS = (
        PipelineAction(
            "confirm",
            _("确认批次"),
            Status.CONFIRMED,
            "subsidies.confirm_paymentbatch",
            "subsidies:batch-action",
            confirm=_("确定确认该批次？确认后不能再修改，暂缓的明细将移出本批。"),
            style="success",
            url_takes_name=True,
        ),
        PipelineAction(
            "export",
            _("下载银行发放文件"),
            Status.EXPORTED,
            "subsidies.export_paymentbatch",
            "subsidies:batch-bank-file",
        ),
        PipelineAction(
            "return",
            _("导入银行回盘文件"),
            "",
            "subsidies.confirm_paymentbatch",
            "subsidies:batch-return",
            sources=(Status.EXPORTED,),
            form=True,
        ),
        PipelineAction(
            "paid",
            _("其余登记为已发放"),
            Status.PAID,
            "subsidies.confirm_paymentbatch",
            "subsidies:batch-action",
            style="outline-success",
            url_takes_name=True,
        ),
        # Line by line: hold a payment of a draft, record a failed transfer once exported.
        PipelineAction(
            "hold",
            _("暂缓"),
            "",
            "subsidies.change_payment",
            "subsidies:payment-hold",
            sources=(Status.DRAFT,),
            on_rows=True,
        ),
        PipelineAction(
            "fail",
            _("登记失败"),
            "",
            "subsidies.confirm_paymentbatch",
            "subsidies:payment-fail",
            sources=(Status.EXPORTED,),
            on_rows=True,
        ),
    )

    month = models.DateField(_("发放月份"), unique=True)
    status = models.CharField(
        _("状态"), max_length=10, choices=Status.choices, default=Status.DRAFT, db_index=True
    )
    payment_count = models.PositiveIntegerField(_("笔数"), default=0)
    total_amount = models.DecimalField(_("金额合计"), max_digits=14, decimal_places=2, default=0)
    # People paid in the batch (payments not held), kept with the two above by
    # payment_batch_refresh_totals: the batch page reads it instead of a COUNT(DISTINCT).
    recipient_count = models.PositiveIntegerField(_("人数"), default=0)
    generated_at = models.DateTimeField(_("生成时间"), null=True, blank=True)
    created_by = actor_field(_("生成人"))
    confirmed_by = actor_field(_("确认人"))
    confirmed_at = models.DateTimeField(_("确认时间"), null=True, blank=True)
    exported_by = actor_field(_("导出人"))
    exported_at = models.DateTimeField(_("导出时间"), null=True, blank=True)
    paid_by = actor_field(_("发放登记人"))
    paid_at = models.DateTimeField(_("发放时间"), null=True, blank=True)
    history = HistoricalRecords(excluded_fields=["updated_at", "recipient_count"])

    class Meta:
        verbose_name = _("发放批次")
        verbose_name_plural = _("发放批次")
        ordering = ["-month"]
        permissions = [
            ("confirm_paymentbatch", _("确认发放批次")),
            ("export_paymentbatch", _("导出银行发放文件")),
        ]

    def __str__(self) -> str:
        return month_label(self.month)

    @property
    def has_bank_results(self) -> bool:
        """Sent to the bank: the page shows how many lines were paid, failed or pending."""
        return self.status in (self.Status.EXPORTED, self.Status.PAID)

    def clean(self) -> None:
        errors: dict[str, list] = {}
        _check_month(self.month, "month", errors)
        if errors:
            raise ValidationError(errors)


class FailureReason(models.TextChoices):
    """Why the bank could not pay; the bank's own wording is kept beside it (``failure_text``)."""

    ACCOUNT_CLOSED = "closed", _("账户已销户")
    NAME_MISMATCH = "name", _("户名不符")
    ACCOUNT_INVALID = "invalid", _("账号有误或不存在")
    ACCOUNT_FROZEN = "frozen", _("账户冻结或挂失")
    DECEASED = "deceased", _("户主死亡")
    OTHER = "other", _("其他原因")


# Failures the person's bank details caused: the town's caseworker corrects them before re-issue.
ACCOUNT_FAILURES = frozenset(
    {
        FailureReason.ACCOUNT_CLOSED,
        FailureReason.NAME_MISMATCH,
        FailureReason.ACCOUNT_INVALID,
        FailureReason.ACCOUNT_FROZEN,
    }
)


class Payment(models.Model):
    """One month of one entitlement, paid in a batch; ``is_arrears`` for months before it.

    待发放 → 已发放 or 发放失败 by the bank's result. A failed month may be paid again by a later
    batch (``reissue``): at most one payment per (entitlement, month) is not failed.
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("待发放")
        PAID = "paid", _("已发放")
        FAILED = "failed", _("发放失败")

    STATUS_COLOURS = {Status.PAID: "success", Status.FAILED: "danger"}

    class Reissue(models.TextChoices):
        WAITING = "waiting", _("待更正银行信息")
        DUE = "due", _("待补发")
        NEVER = "never", _("不补发")

    # Kept lean for the monthly INSERT … SELECT: batch is indexed through (batch, town) and
    # entitlement through the unique (entitlement, month); person, town and rate are copies taken
    # from the entitlement and the rate table by the service, without database FK constraints
    # (each would add a check per row at commit); deletion is still PROTECTed by Django.
    batch = models.ForeignKey(
        PaymentBatch,
        verbose_name=_("批次"),
        on_delete=models.PROTECT,
        related_name="payments",
        db_index=False,
    )
    entitlement = models.ForeignKey(
        Entitlement,
        verbose_name=_("享受资格"),
        on_delete=models.PROTECT,
        related_name="payments",
        db_index=False,
    )
    person = models.ForeignKey(
        "people.Person",
        verbose_name=_("残疾人"),
        on_delete=models.PROTECT,
        related_name="+",
        db_constraint=False,
    )
    town = models.ForeignKey(
        "people.Area",
        verbose_name=_("镇街道"),
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,
        db_constraint=False,
    )
    type = models.CharField(_("补贴类型"), max_length=10, choices=SubsidyType.choices)
    tier = models.CharField(_("档次"), max_length=10, choices=Tier.choices)
    month = models.DateField(_("所属月份"))
    amount = models.DecimalField(_("金额"), max_digits=10, decimal_places=2)
    rate = models.ForeignKey(
        SubsidyRate,
        verbose_name=_("标准"),
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,
        db_constraint=False,
    )
    is_arrears = models.BooleanField(_("补发"), default=False)
    held = models.BooleanField(_("暂缓发放"), default=False)
    held_reason = models.CharField(_("暂缓原因"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("生成时间"), auto_now_add=True)
    # The bank's result. Database defaults keep the monthly INSERT … SELECT as it was.
    status = models.CharField(
        _("发放结果"),
        max_length=10,
        choices=Status.choices,
        default=Status.PENDING,
        db_default=Status.PENDING,
    )
    failure_code = models.CharField(
        _("失败原因类别"), max_length=10, choices=FailureReason.choices, blank=True, db_default=""
    )
    failure_text = models.CharField(_("银行失败原因"), max_length=200, blank=True, db_default="")
    bank_serial = models.CharField(_("银行流水号"), max_length=40, blank=True, db_default="")
    reissue = models.CharField(
        _("补发安排"), max_length=10, choices=Reissue.choices, blank=True, db_default=""
    )
    result_at = models.DateTimeField(_("结果登记时间"), null=True, blank=True)
    result_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("结果登记人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,
        db_constraint=False,
    )

    class Meta:
        verbose_name = _("发放明细")
        verbose_name_plural = _("发放明细")
        ordering = ["town_id", "person_id", "type", "month"]
        constraints = [
            # A failed month may be paid again; only one payment of a month is not failed.
            models.UniqueConstraint(
                fields=["entitlement", "month"],
                condition=~Q(status="failed"),
                name="payment_one_per_entitlement_month",
            ),
            models.CheckConstraint(condition=Q(amount__gt=0), name="payment_amount_positive"),
            models.CheckConstraint(
                condition=Q(status="failed", failure_code__gt="", reissue__gt="")
                | Q(~Q(status="failed"), failure_code="", reissue=""),
                name="payment_failed_has_reason",
            ),
        ]
        indexes = [
            models.Index(fields=["batch", "town"]),
            # The payments list's order (newest month first): at province scale (18M payments a
            # year) its first page is read off this index instead of sorting every payment.
            models.Index(fields=["-month", "id"], name="payment_month_desc_idx"),
            # A batch's payments not (yet) paid, with their amounts: the batch page's results
            # (待发放 / 发放失败) by an index-only scan; 已发放 is the batch total minus these.
            models.Index(
                fields=["batch", "status"],
                include=["amount"],
                condition=~Q(status="paid"),
                name="payment_batch_unpaid_idx",
            ),
            # Failures are few: the re-issue check and the figures look them up here.
            models.Index(
                fields=["entitlement", "month"],
                condition=Q(status="failed"),
                name="payment_failed_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person_id} {self.type} {self.month:%Y-%m} {self.amount}"

    @property
    def is_pending(self) -> bool:
        return self.status == self.Status.PENDING

    @property
    def is_failed(self) -> bool:
        return self.status == self.Status.FAILED

    @property
    def is_paid(self) -> bool:
        return self.status == self.Status.PAID

    @property
    def family_sees_paid(self) -> bool:
        """What the family service says: paid by the bank's result, or in a batch recorded as
        paid (reads ``batch``)."""
        return self.is_paid or self.batch.status == PaymentBatch.Status.PAID


class RecoveryItem(StatusPipelineMixin, TimeStamped):
    """应追回: a month paid after an entitlement ended (death, moving away)."""

    class Status(models.TextChoices):
        PENDING = "pending", _("待追回")
        RECOVERED = "recovered", _("已追回")

    TRANSITIONS = {Status.PENDING: {Status.RECOVERED}, Status.RECOVERED: set()}
    ACTIONS = (
        PipelineAction(
            "recover",
            _("已追回"),
            Status.RECOVERED,
            "subsidies.change_recoveryitem",
            "subsidies:recovery-mark",
            confirm=_("确定已追回该笔款项？"),
            style="outline-success",
        ),
    )

    entitlement = models.ForeignKey(
        Entitlement, verbose_name=_("享受资格"), on_delete=models.PROTECT, related_name="recoveries"
    )
    person = models.ForeignKey(
        "people.Person", verbose_name=_("残疾人"), on_delete=models.PROTECT, related_name="+"
    )
    payment = models.OneToOneField(
        Payment,
        verbose_name=_("发放明细"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="recovery",
    )
    month = models.DateField(_("所属月份"))
    amount = models.DecimalField(_("应追回金额"), max_digits=10, decimal_places=2)
    reason = models.CharField(_("原因"), max_length=200)
    status = models.CharField(
        _("状态"), max_length=10, choices=Status.choices, default=Status.PENDING, db_index=True
    )

    recovered_by = actor_field(_("登记人"))
    recovered_at = models.DateTimeField(_("追回时间"), null=True, blank=True)
    note = models.CharField(_("备注"), max_length=200, blank=True)
    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        verbose_name = _("应追回")
        verbose_name_plural = _("应追回")
        ordering = ["status", "-month", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["entitlement", "month"], name="recovery_one_per_entitlement_month"
            ),
            models.CheckConstraint(condition=Q(amount__gt=0), name="recovery_amount_positive"),
        ]

    def pipeline_town_id(self) -> int | None:
        return self.person.town_id if self.person_id else None

    def __str__(self) -> str:
        return f"{self.person} {self.month:%Y-%m} {self.amount}"
