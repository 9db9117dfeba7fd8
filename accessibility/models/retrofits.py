"""无障碍改造 (home retrofits of poor disabled households) and 无障碍社区 creation.

A ``RetrofitProject``'s status names the stage it is waiting in; ``TRANSITIONS`` lists the moves
the services may make, and every move is written to ``ProjectStep`` (who, when, comment) for the
timeline. Money is in yuan, ``DecimalField(12, 2)``.
"""

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from dfed.core.files import UploadTo
from dfed.core.models import StatusPipelineMixin, TimeStamped, actor_field
from dfed.people.models import Area, Person

from .project_actions import PROJECT_ACTIONS

YEAR_VALIDATORS = [MinValueValidator(2000), MaxValueValidator(2100)]
MONEY = {"max_digits": 12, "decimal_places": 2}


class RetrofitItem(models.Model):
    """One line of the year's retrofit catalogue, with a price cap per unit."""

    class Category(models.TextChoices):
        GRAB_BAR = "grab_bar", _("扶手抓杆")
        RAMP = "ramp", _("坡道")
        BATHROOM = "bathroom", _("卫生间")
        KITCHEN = "kitchen", _("厨房")
        DOOR = "door", _("门")
        SMART = "smart", _("智能设备")
        OTHER = "other", _("其他")

    year = models.PositiveSmallIntegerField(_("年度"), validators=YEAR_VALIDATORS, db_index=True)
    name = models.CharField(_("项目名称"), max_length=100)
    category = models.CharField(_("类别"), max_length=20, choices=Category.choices)
    unit = models.CharField(_("单位"), max_length=10)
    price_cap = models.DecimalField(
        _("单价上限（元）"), **MONEY, validators=[MinValueValidator(Decimal("0.01"))]
    )
    active = models.BooleanField(_("启用"), default=True)
    note = models.CharField(_("说明"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("改造项目目录")
        verbose_name_plural = _("改造项目目录")
        ordering = ["-year", "category", "name"]
        constraints = [
            models.UniqueConstraint(fields=["year", "name"], name="retrofit_item_year_name_unique")
        ]

    def __str__(self) -> str:
        return f"{self.name}（{self.unit}，≤{self.price_cap}元）"


class RetrofitProject(StatusPipelineMixin, TimeStamped):
    """A home retrofit for one household (the disabled person) in one year."""

    class Status(models.TextChoices):
        APPLIED = "applied", _("申请")
        ASSESSMENT = "assessment", _("入户评估")
        APPROVAL = "approval", _("审批")
        CONSTRUCTION = "construction", _("施工")
        ACCEPTANCE = "acceptance", _("验收")
        COMPLETED = "completed", _("完成")
        RETURNED = "returned", _("退回")
        TERMINATED = "terminated", _("已终止")

    # Allowed moves; RETURNED reopens to the stage before the one it was returned from.
    # TERMINATED (terminal, with a reason): the household left the registry before 施工.
    TRANSITION_ERROR = _("当前状态为“%(from)s”，不能转为“%(to)s”")
    TRANSITIONS = {
        Status.APPLIED: {Status.ASSESSMENT, Status.TERMINATED},
        Status.ASSESSMENT: {Status.APPROVAL, Status.RETURNED, Status.TERMINATED},
        Status.APPROVAL: {Status.CONSTRUCTION, Status.RETURNED, Status.TERMINATED},
        Status.CONSTRUCTION: {Status.ACCEPTANCE},
        Status.ACCEPTANCE: {Status.COMPLETED, Status.RETURNED},
        Status.COMPLETED: set(),
        Status.RETURNED: {
            Status.APPLIED,
            Status.ASSESSMENT,
            Status.CONSTRUCTION,
            Status.TERMINATED,
        },
        Status.TERMINATED: set(),
    }
    CLOSED = (Status.COMPLETED, Status.TERMINATED)
    # Stages before the money is committed to building work: a household leaving the registry
    # ends these; from 施工 on, the project stays open and is flagged for the reviewer.
    BEFORE_CONSTRUCTION = (Status.APPLIED, Status.ASSESSMENT, Status.APPROVAL)
    REOPEN_TO = {
        Status.ASSESSMENT: Status.APPLIED,
        Status.APPROVAL: Status.ASSESSMENT,
        Status.ACCEPTANCE: Status.CONSTRUCTION,
    }
    ACTIONS = PROJECT_ACTIONS  # what each role may do at each stage (see project_actions)
    PIPELINE = [
        Status.APPLIED,
        Status.ASSESSMENT,
        Status.APPROVAL,
        Status.CONSTRUCTION,
        Status.ACCEPTANCE,
        Status.COMPLETED,
    ]

    person = models.ForeignKey(
        Person, verbose_name=_("残疾人（户）"), on_delete=models.PROTECT, related_name="retrofits"
    )
    year = models.PositiveSmallIntegerField(_("年度"), validators=YEAR_VALIDATORS)
    town = models.ForeignKey(
        Area, verbose_name=_("镇街道"), on_delete=models.PROTECT, related_name="+", editable=False
    )
    status = models.CharField(
        _("状态"), max_length=20, choices=Status.choices, default=Status.APPLIED, db_index=True
    )
    returned_from = models.CharField(
        _("退回环节"), max_length=20, choices=Status.choices, blank=True
    )
    needs = models.TextField(_("改造需求"), blank=True)
    applied_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("申请经办人"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    applied_at = models.DateTimeField(_("申请时间"), default=timezone.now)
    # 入户评估
    assessor = models.CharField(_("评估人"), max_length=50, blank=True)
    assessed_on = models.DateField(_("评估日期"), null=True, blank=True)
    findings = models.TextField(_("评估意见"), blank=True)
    estimate = models.DecimalField(_("预算估价（元）"), **MONEY, default=Decimal("0"))
    # 审批
    approved_by = actor_field(_("审批人"))
    approved_at = models.DateTimeField(_("审批时间"), null=True, blank=True)
    approved_amount = models.DecimalField(_("核定金额（元）"), **MONEY, null=True, blank=True)
    budget_override_reason = models.TextField(_("超预算审批理由"), blank=True)
    # 施工
    contractor = models.CharField(_("施工单位"), max_length=100, blank=True)
    construction_start = models.DateField(_("开工日期"), null=True, blank=True)
    construction_finish = models.DateField(_("完工日期"), null=True, blank=True)
    actual_total = models.DecimalField(_("实际费用（元）"), **MONEY, null=True, blank=True)
    # 验收
    items_done = models.BooleanField(_("改造项目全部完成"), default=False)
    family_satisfied = models.BooleanField(_("家庭满意"), default=False)
    signed_by = models.CharField(_("验收签字人"), max_length=50, blank=True)
    accepted_on = models.DateField(_("验收日期"), null=True, blank=True)
    acceptance_note = models.TextField(_("验收意见"), blank=True)
    completed_at = models.DateTimeField(_("完成时间"), null=True, blank=True)
    # 已终止
    closed_reason = models.TextField(_("终止原因"), blank=True)
    closed_at = models.DateTimeField(_("终止时间"), null=True, blank=True)
    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        verbose_name = _("无障碍改造项目")
        verbose_name_plural = _("无障碍改造项目")
        ordering = ["-year", "town__code", "-applied_at", "pk"]
        permissions = [
            ("handle_retrofitproject", _("经办改造项目（受理、入户评估、施工登记）")),
            ("approve_retrofitproject", _("审批和验收改造项目")),
            ("override_retrofitbudget", _("超出镇街道剩余预算审批（须填写理由）")),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["person", "year"], name="retrofit_project_one_per_household_year"
            ),
            models.CheckConstraint(
                condition=~models.Q(status="returned") | ~models.Q(returned_from=""),
                name="retrofit_project_returned_from_set",
            ),
            models.CheckConstraint(
                condition=~models.Q(status="terminated") | ~models.Q(closed_reason=""),
                name="retrofit_project_terminated_has_reason",
            ),
        ]
        indexes = [models.Index(fields=["year", "town", "status"])]

    def __str__(self) -> str:
        return _("%(year)s年 %(name)s 无障碍改造") % {"year": self.year, "name": self.person}

    @property
    def is_open(self) -> bool:
        return self.status not in self.CLOSED

    @property
    def is_completed(self) -> bool:
        return self.status == self.Status.COMPLETED

    @property
    def is_terminated(self) -> bool:
        return self.status == self.Status.TERMINATED

    @property
    def is_returned(self) -> bool:
        return self.status == self.Status.RETURNED

    def pipeline_town_id(self) -> int | None:
        return self.town_id

    @property
    def before_construction(self) -> bool:
        """Not yet approved for building: waiting before 施工, or returned from such a stage."""
        if self.status == self.Status.RETURNED:
            return self.returned_from in self.BEFORE_CONSTRUCTION
        return self.status in self.BEFORE_CONSTRUCTION

    @property
    def committed_amount(self) -> Decimal:
        """What the project takes from its town's budget: actual cost, else the approved sum."""
        if self.actual_total is not None:
            return self.actual_total
        return self.approved_amount or Decimal("0")


class ProjectItem(models.Model):
    """A catalogue item chosen at the 入户评估, with quantity, estimated price and actual cost."""

    project = models.ForeignKey(
        RetrofitProject, verbose_name=_("改造项目"), on_delete=models.CASCADE, related_name="items"
    )
    item = models.ForeignKey(
        RetrofitItem, verbose_name=_("改造内容"), on_delete=models.PROTECT, related_name="+"
    )
    quantity = models.DecimalField(
        _("数量"), max_digits=8, decimal_places=2, validators=[MinValueValidator(Decimal("0.01"))]
    )
    unit_price = models.DecimalField(
        _("估价单价（元）"), **MONEY, validators=[MinValueValidator(Decimal("0"))]
    )
    over_cap_reason = models.CharField(_("超上限理由"), max_length=200, blank=True)
    actual_cost = models.DecimalField(
        _("实际费用（元）"),
        **MONEY,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0"))],
    )

    class Meta:
        verbose_name = _("改造明细")
        verbose_name_plural = _("改造明细")
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(fields=["project", "item"], name="project_item_unique")
        ]

    def __str__(self) -> str:
        return f"{self.item.name} × {self.quantity}"

    @property
    def estimate(self) -> Decimal:
        return (self.quantity * self.unit_price).quantize(Decimal("0.01"))

    @property
    def above_cap(self) -> bool:
        return self.unit_price > self.item.price_cap

    def clean(self) -> None:
        if (
            self.item_id
            and self.unit_price is not None
            and self.above_cap
            and not self.over_cap_reason.strip()
        ):
            raise ValidationError(
                {
                    "over_cap_reason": _(
                        "“%(item)s”单价 %(price)s 元超过上限 %(cap)s 元，请填写理由"
                    )
                    % {
                        "item": self.item.name,
                        "price": self.unit_price,
                        "cap": self.item.price_cap,
                    }
                }
            )
        if self.item_id and self.project_id and self.item.year != self.project.year:
            raise ValidationError({"item": _("只能选择本年度目录中的改造内容")})


class ProjectStep(models.Model):
    """One step of a project's life, for the timeline."""

    class Action(models.TextChoices):
        APPLY = "apply", _("提交申请")
        INTAKE = "intake", _("受理，安排入户评估")
        ASSESS = "assess", _("入户评估")
        APPROVE = "approve", _("审批通过")
        CONSTRUCT = "construct", _("施工登记")
        ACCEPT = "accept", _("验收通过")
        RETURN = "return", _("退回")
        REOPEN = "reopen", _("重新提交")
        TERMINATE = "terminate", _("终止")
        REGISTRY_FLAG = "registry_flag", _("登记状态变更提示")

    project = models.ForeignKey(
        RetrofitProject, verbose_name=_("改造项目"), on_delete=models.CASCADE, related_name="steps"
    )
    action = models.CharField(_("操作"), max_length=20, choices=Action.choices)
    from_status = models.CharField(
        _("原状态"), max_length=20, choices=RetrofitProject.Status.choices, blank=True
    )
    to_status = models.CharField(_("新状态"), max_length=20, choices=RetrofitProject.Status.choices)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("操作人"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,  # a registry change made without a user (import, script)
        blank=True,
    )
    at = models.DateTimeField(_("时间"), default=timezone.now, db_index=True)
    comment = models.TextField(_("意见"), blank=True)

    class Meta:
        verbose_name = _("办理记录")
        verbose_name_plural = _("办理记录")
        ordering = ["at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(action="return") | ~models.Q(comment=""),
                name="project_step_return_has_comment",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_action_display()} @ {self.at:%Y-%m-%d %H:%M}"


photo_upload_to = UploadTo("accessibility/photos")


def thumbnail_upload_to(instance, filename: str) -> str:
    """Next to the original: ``<original name>-thumb.jpg`` (the original is saved first)."""
    if instance.file and instance.file.name:
        return f"{instance.file.name.rsplit('.', 1)[0]}-thumb.jpg"
    return photo_upload_to(instance, "thumb.jpg").replace(".jpg", "-thumb.jpg")


class Photo(models.Model):
    """A before/after photo of a retrofit; private, served through a permission-checked view."""

    class Kind(models.TextChoices):
        BEFORE = "before", _("改造前")
        AFTER = "after", _("改造后")

    project = models.ForeignKey(
        RetrofitProject, verbose_name=_("改造项目"), on_delete=models.CASCADE, related_name="photos"
    )
    kind = models.CharField(_("类型"), max_length=10, choices=Kind.choices)
    file = models.FileField(_("照片"), upload_to=photo_upload_to, max_length=200)
    # Declared after ``file`` so that, on save, the original's final name is known here.
    thumbnail = models.FileField(
        _("缩略图"), upload_to=thumbnail_upload_to, max_length=200, blank=True, editable=False
    )
    content_type = models.CharField(_("文件类型"), max_length=50)
    caption = models.CharField(_("说明"), max_length=100, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("上传人"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    uploaded_at = models.DateTimeField(_("上传时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("改造照片")
        verbose_name_plural = _("改造照片")
        ordering = ["-kind", "uploaded_at", "pk"]  # 改造前 first

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.file.name.rsplit('/', 1)[-1]}"
