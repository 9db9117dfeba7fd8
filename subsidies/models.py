"""The two disability subsidies: rates, applications, entitlements, payment batches, recovery.

Months are ``DateField`` values holding the first day of the month. Money is yuan with 2 places.
"""

import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from dfed.core.history import BulkHistoricalRecords
from dfed.core.models import StatusPipelineMixin, TimeStamped, actor_field


class SubsidyType(models.TextChoices):
    LIVING = "living", _("困难残疾人生活补贴")
    CARE = "care", _("重度残疾人护理补贴")


SUBSIDY_TYPE_SHORT = {SubsidyType.LIVING: _("生活补贴"), SubsidyType.CARE: _("护理补贴")}


def subsidy_type_short(value: str) -> str:
    return str(SUBSIDY_TYPE_SHORT.get(value, value))


class Tier(models.TextChoices):
    NONE = "none", _("不分档")
    LEVEL1 = "level1", _("一级")
    LEVEL2 = "level2", _("二级")
    LEVEL3 = "level3", _("三级")


TIERS_BY_TYPE = {
    SubsidyType.LIVING: (Tier.NONE,),
    SubsidyType.CARE: (Tier.LEVEL1, Tier.LEVEL2, Tier.LEVEL3),
}


def _check_month(value, field: str, errors: dict) -> None:
    if value is not None and value.day != 1:
        errors.setdefault(field, []).append(_("月份应为当月1日"))


def _check_tier(subsidy_type: str, tier: str, errors: dict) -> None:
    if subsidy_type in TIERS_BY_TYPE and tier not in TIERS_BY_TYPE[subsidy_type]:
        errors.setdefault("tier", []).append(
            _("%(type)s不能选择档次“%(tier)s”")
            % {"type": subsidy_type_short(subsidy_type), "tier": Tier(tier).label}
        )


class SubsidyRate(TimeStamped):
    """A monthly amount for one type and tier over a range of months (to month open-ended)."""

    type = models.CharField(_("补贴类型"), max_length=10, choices=SubsidyType.choices)
    tier = models.CharField(_("档次"), max_length=10, choices=Tier.choices, default=Tier.NONE)
    monthly_amount = models.DecimalField(_("月标准（元）"), max_digits=10, decimal_places=2)
    effective_from = models.DateField(_("起始月份"))
    effective_to = models.DateField(_("截止月份"), null=True, blank=True)
    note = models.CharField(_("依据/备注"), max_length=200, blank=True)
    created_by = actor_field(_("录入人"))
    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        verbose_name = _("补贴标准")
        verbose_name_plural = _("补贴标准")
        ordering = ["type", "tier", "-effective_from"]
        constraints = [
            models.CheckConstraint(
                condition=Q(monthly_amount__gt=0), name="subsidyrate_amount_positive"
            ),
            models.CheckConstraint(
                condition=Q(effective_to__isnull=True)
                | Q(effective_to__gte=models.F("effective_from")),
                name="subsidyrate_range_ordered",
            ),
        ]
        # On PostgreSQL migration 0002 adds the exclusion constraint
        # ``subsidyrate_no_overlap`` (btree_gist): ranges of one type+tier never overlap.
        indexes = [models.Index(fields=["type", "tier", "effective_from"])]

    def __str__(self) -> str:
        return f"{subsidy_type_short(self.type)} {self.get_tier_display()} {self.monthly_amount}"

    def covers(self, month) -> bool:
        return self.effective_from <= month and (
            self.effective_to is None or month <= self.effective_to
        )

    def overlapping(self) -> models.QuerySet:
        """Other rates of the same type and tier whose range meets this one."""
        queryset = SubsidyRate.objects.filter(type=self.type, tier=self.tier).exclude(pk=self.pk)
        if self.effective_to is not None:
            queryset = queryset.filter(effective_from__lte=self.effective_to)
        return queryset.filter(
            Q(effective_to__isnull=True) | Q(effective_to__gte=self.effective_from)
        )

    def clean(self) -> None:
        errors: dict[str, list] = {}
        _check_month(self.effective_from, "effective_from", errors)
        _check_month(self.effective_to, "effective_to", errors)
        _check_tier(self.type, self.tier, errors)
        if self.tier == Tier.LEVEL3 and not getattr(
            settings, "SUBSIDY_CARE_INCLUDES_LEVEL3_MENTAL", False
        ):
            errors.setdefault("tier", []).append(
                _("未启用三级智力/精神残疾护理补贴，不能设置三级标准")
            )
        if self.monthly_amount is not None and self.monthly_amount <= 0:
            errors.setdefault("monthly_amount", []).append(_("月标准必须大于0"))
        if self.effective_from and self.effective_to and self.effective_to < self.effective_from:
            errors.setdefault("effective_to", []).append(_("截止月份不能早于起始月份"))
        if not errors and self.effective_from:
            clash = self.overlapping().first()
            if clash is not None:
                errors.setdefault("effective_from", []).append(
                    _("与已有标准（%(from)s 至 %(to)s，%(amount)s 元）时间重叠")
                    % {
                        "from": f"{clash.effective_from:%Y-%m}",
                        "to": f"{clash.effective_to:%Y-%m}" if clash.effective_to else _("长期"),
                        "amount": clash.monthly_amount,
                    }
                )
        if errors:
            raise ValidationError(errors)


class Application(StatusPipelineMixin, TimeStamped):
    """An application for one subsidy, through 草稿 → 乡镇审核 → 区残联审定 → 已批准/已驳回."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("草稿")
        TOWN_REVIEW = "town_review", _("乡镇审核")
        DISTRICT_REVIEW = "district_review", _("区残联审定")
        APPROVED = "approved", _("已批准")
        REJECTED = "rejected", _("已驳回")

    TRANSITIONS = {
        Status.DRAFT: {Status.TOWN_REVIEW},
        Status.TOWN_REVIEW: {Status.DRAFT, Status.DISTRICT_REVIEW},
        Status.DISTRICT_REVIEW: {Status.APPROVED, Status.REJECTED},
        Status.APPROVED: set(),
        Status.REJECTED: set(),
    }
    OPEN_STATUSES = (Status.DRAFT, Status.TOWN_REVIEW, Status.DISTRICT_REVIEW)

    person = models.ForeignKey(
        "people.Person",
        verbose_name=_("残疾人"),
        on_delete=models.PROTECT,
        related_name="subsidy_applications",
    )
    type = models.CharField(_("补贴类型"), max_length=10, choices=SubsidyType.choices)
    tier = models.CharField(_("档次"), max_length=10, choices=Tier.choices, default=Tier.NONE)
    status = models.CharField(
        _("状态"), max_length=20, choices=Status.choices, default=Status.DRAFT, db_index=True
    )
    reason = models.TextField(_("申请理由"), blank=True)
    eligibility_reasons = models.JSONField(_("资格检查结果"), default=list, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("经办人"),
        on_delete=models.PROTECT,
        related_name="subsidy_applications_created",
    )
    submitted_at = models.DateTimeField(_("提交时间"), null=True, blank=True)
    town_reviewed_by = actor_field(_("乡镇审核人"))
    town_reviewed_at = models.DateTimeField(_("乡镇审核时间"), null=True, blank=True)
    decided_by = actor_field(_("审定人"))
    decided_at = models.DateTimeField(_("审定时间"), null=True, blank=True)
    decision_comment = models.TextField(_("审定意见/驳回理由"), blank=True)
    approved_from = models.DateField(_("批准起始月份"), null=True, blank=True)
    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        verbose_name = _("补贴申请")
        verbose_name_plural = _("补贴申请")
        ordering = ["-created_at", "-pk"]
        permissions = [
            ("submit_application", _("提交补贴申请")),
            ("town_review_application", _("乡镇审核补贴申请")),
            ("district_review_application", _("区残联审定补贴申请")),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["person", "type"],
                condition=Q(status__in=["draft", "town_review", "district_review"]),
                name="application_one_open_per_person_type",
                violation_error_message=_("该残疾人已有一份未办结的同类申请"),
            ),
            models.CheckConstraint(
                condition=~Q(status="rejected") | ~Q(decision_comment=""),
                name="application_rejected_has_reason",
            ),
        ]
        indexes = [models.Index(fields=["status", "type"])]

    def __str__(self) -> str:
        return f"{self.person} {subsidy_type_short(self.type)}"

    @property
    def is_open(self) -> bool:
        return self.status in self.OPEN_STATUSES

    def clean(self) -> None:
        errors: dict[str, list] = {}
        _check_tier(self.type, self.tier, errors)
        _check_month(self.approved_from, "approved_from", errors)
        if errors:
            raise ValidationError(errors)


class ApplicationEvent(models.Model):
    """One step of an application's timeline: who did what, when, with which comment."""

    class Action(models.TextChoices):
        CREATE = "create", _("创建")
        SUBMIT = "submit", _("提交")
        TOWN_APPROVE = "town_approve", _("乡镇审核通过")
        RETURN = "return", _("退回")
        APPROVE = "approve", _("审定批准")
        REJECT = "reject", _("驳回")
        ATTACH = "attach", _("上传附件")

    application = models.ForeignKey(
        Application, verbose_name=_("申请"), on_delete=models.CASCADE, related_name="events"
    )
    action = models.CharField(_("操作"), max_length=20, choices=Action.choices)
    from_status = models.CharField(_("原状态"), max_length=20, blank=True)
    to_status = models.CharField(_("新状态"), max_length=20, blank=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("操作人"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    at = models.DateTimeField(_("时间"), auto_now_add=True)
    comment = models.TextField(_("意见"), blank=True)

    class Meta:
        verbose_name = _("申请办理记录")
        verbose_name_plural = _("申请办理记录")
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.application} {self.get_action_display()}"


def attachment_path(instance, filename: str) -> str:
    ext = filename[filename.rfind(".") :].lower() if "." in filename else ""
    return f"subsidies/applications/{instance.application_id}/{instance.token}{ext}"


def new_token() -> str:
    return uuid.uuid4().hex


class ApplicationAttachment(models.Model):
    """A supporting document (PDF/JPG/PNG), stored under MEDIA_ROOT, served by a checked view."""

    application = models.ForeignKey(
        Application, verbose_name=_("申请"), on_delete=models.CASCADE, related_name="attachments"
    )
    token = models.CharField(max_length=32, default=new_token, editable=False, unique=True)
    file = models.FileField(_("文件"), upload_to=attachment_path, max_length=200)
    original_name = models.CharField(_("文件名"), max_length=200)
    content_type = models.CharField(_("类型"), max_length=50)
    size = models.PositiveIntegerField(_("大小（字节）"))
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("上传人"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    uploaded_at = models.DateTimeField(_("上传时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("申请附件")
        verbose_name_plural = _("申请附件")
        ordering = ["uploaded_at", "pk"]

    def __str__(self) -> str:
        return self.original_name


class Entitlement(TimeStamped):
    """A person's right to one subsidy from a start month; paid through ``paid_through``."""

    class State(models.TextChoices):
        ACTIVE = "active", _("正常")
        SUSPENDED = "suspended", _("暂停")
        ENDED = "ended", _("终止")

    class EndReason(models.TextChoices):
        DEATH = "death", _("死亡")
        MOVED = "moved", _("迁出")
        INELIGIBLE = "ineligible", _("不再符合")
        REQUESTED = "requested", _("本人申请")

    person = models.ForeignKey(
        "people.Person",
        verbose_name=_("残疾人"),
        on_delete=models.PROTECT,
        related_name="subsidy_entitlements",
    )
    type = models.CharField(_("补贴类型"), max_length=10, choices=SubsidyType.choices)
    tier = models.CharField(_("档次"), max_length=10, choices=Tier.choices, default=Tier.NONE)
    start_month = models.DateField(_("起始月份"))
    end_month = models.DateField(_("终止月份"), null=True, blank=True)
    state = models.CharField(_("状态"), max_length=10, choices=State.choices, default=State.ACTIVE)
    end_reason = models.CharField(
        _("终止原因"), max_length=12, choices=EndReason.choices, blank=True
    )
    state_note = models.CharField(_("状态说明"), max_length=200, blank=True)
    paid_through = models.DateField(_("已发放至"), null=True, blank=True)
    application = models.ForeignKey(
        Application,
        verbose_name=_("申请"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="entitlements",
        db_index=False,  # imported entitlements have none: a partial index below
    )
    # What eligibility was confirmed against, for 年审 (yearly review).
    confirmed_household = models.CharField(_("核定时家庭类型"), max_length=10, blank=True)
    confirmed_category = models.PositiveSmallIntegerField(
        _("核定时残疾类别"), null=True, blank=True
    )
    confirmed_level = models.PositiveSmallIntegerField(_("核定时残疾等级"), null=True, blank=True)
    review_due = models.DateField(_("下次年审月份"), null=True, blank=True)
    last_reviewed_at = models.DateTimeField(_("上次年审时间"), null=True, blank=True)
    created_by = actor_field(_("创建人"), db_index=False)
    # History is read per entitlement (by id); copies of the lookup indexes would slow imports.
    history = BulkHistoricalRecords(
        excluded_fields=["updated_at"],
        no_db_index=["person", "state", "application", "created_by"],
    )

    class Meta:
        verbose_name = _("补贴享受资格")
        verbose_name_plural = _("补贴享受资格")
        ordering = ["person__town__code", "person__name", "type", "pk"]
        permissions = [("review_entitlement", _("补贴年审"))]
        constraints = [
            models.UniqueConstraint(
                fields=["person", "type"],
                condition=~Q(state="ended"),
                name="entitlement_one_current_per_person_type",
                violation_error_message=_("该残疾人已享受同类补贴"),
            ),
            models.CheckConstraint(
                condition=Q(end_month__isnull=True) | Q(end_month__gte=models.F("start_month")),
                name="entitlement_end_after_start",
            ),
            models.CheckConstraint(
                condition=~Q(state="ended") | (Q(end_month__isnull=False) & ~Q(end_reason="")),
                name="entitlement_ended_has_month_and_reason",
            ),
        ]
        # Indexes are paid for on each row a roster import writes. Nearly every entitlement is
        # active, and an active one is found by a scan anyway, so the state index holds only
        # the others (suspended, ended); the creator has none.
        indexes = [
            models.Index(
                fields=["state", "type", "tier"],
                condition=~Q(state="active"),
                name="entitlement_inactive_state_idx",
            ),
            models.Index(
                fields=["application"],
                condition=Q(application__isnull=False),
                name="entitlement_application_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person} {subsidy_type_short(self.type)}"

    def clean(self) -> None:
        errors: dict[str, list] = {}
        _check_tier(self.type, self.tier, errors)
        for name in ("start_month", "end_month", "paid_through", "review_due"):
            _check_month(getattr(self, name), name, errors)
        if self.start_month and self.end_month and self.end_month < self.start_month:
            errors.setdefault("end_month", []).append(_("终止月份不能早于起始月份"))
        if self.state == self.State.ENDED and not (self.end_month and self.end_reason):
            errors.setdefault("end_reason", []).append(_("终止必须填写终止月份和原因"))
        if errors:
            raise ValidationError(errors)


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

    month = models.DateField(_("发放月份"), unique=True)
    status = models.CharField(
        _("状态"), max_length=10, choices=Status.choices, default=Status.DRAFT, db_index=True
    )
    payment_count = models.PositiveIntegerField(_("笔数"), default=0)
    total_amount = models.DecimalField(_("金额合计"), max_digits=14, decimal_places=2, default=0)
    generated_at = models.DateTimeField(_("生成时间"), null=True, blank=True)
    created_by = actor_field(_("生成人"))
    confirmed_by = actor_field(_("确认人"))
    confirmed_at = models.DateTimeField(_("确认时间"), null=True, blank=True)
    exported_by = actor_field(_("导出人"))
    exported_at = models.DateTimeField(_("导出时间"), null=True, blank=True)
    paid_by = actor_field(_("发放登记人"))
    paid_at = models.DateTimeField(_("发放时间"), null=True, blank=True)
    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        verbose_name = _("发放批次")
        verbose_name_plural = _("发放批次")
        ordering = ["-month"]
        permissions = [
            ("confirm_paymentbatch", _("确认发放批次")),
            ("export_paymentbatch", _("导出银行发放文件")),
        ]

    def __str__(self) -> str:
        return f"{self.month.year}年{self.month.month}月"

    def clean(self) -> None:
        errors: dict[str, list] = {}
        _check_month(self.month, "month", errors)
        if errors:
            raise ValidationError(errors)


class Payment(models.Model):
    """One month of one entitlement, paid in a batch; ``is_arrears`` for months before it."""

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

    class Meta:
        verbose_name = _("发放明细")
        verbose_name_plural = _("发放明细")
        ordering = ["town_id", "person_id", "type", "month"]
        constraints = [
            models.UniqueConstraint(
                fields=["entitlement", "month"], name="payment_one_per_entitlement_month"
            ),
            models.CheckConstraint(condition=Q(amount__gt=0), name="payment_amount_positive"),
        ]
        indexes = [models.Index(fields=["batch", "town"])]

    def __str__(self) -> str:
        return f"{self.person_id} {self.type} {self.month:%Y-%m} {self.amount}"


class RecoveryItem(TimeStamped):
    """应追回: a month paid after an entitlement ended (death, moving away)."""

    class Status(models.TextChoices):
        PENDING = "pending", _("待追回")
        RECOVERED = "recovered", _("已追回")

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

    def __str__(self) -> str:
        return f"{self.person} {self.month:%Y-%m} {self.amount}"


from .models_findings import Finding  # noqa: E402, F401  (moves into the models package)
