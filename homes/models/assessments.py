"""Yearly star assessments: the score sheet per year, assessments and item scores."""

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from dfed.core.models import PipelineAction, StatusPipelineMixin, TimeStamped, actor_field

from .homes import STAR_CHOICES, Home


class StarAssessmentTemplate(models.Model):
    """The score sheet and the star thresholds in force for one year."""

    year = models.PositiveSmallIntegerField(_("年度"), unique=True)
    five_star_min = models.DecimalField(_("五星最低分"), max_digits=5, decimal_places=1, default=90)
    four_star_min = models.DecimalField(_("四星最低分"), max_digits=5, decimal_places=1, default=80)
    three_star_min = models.DecimalField(
        _("三星最低分"), max_digits=5, decimal_places=1, default=70
    )
    two_star_min = models.DecimalField(_("二星最低分"), max_digits=5, decimal_places=1, default=60)
    note = models.TextField(_("说明"), blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("星级评定标准")
        verbose_name_plural = _("星级评定标准")
        ordering = ["-year"]

    def __str__(self) -> str:
        return _("%(y)d年度星级评定标准") % {"y": self.year}

    def thresholds(self) -> list[tuple[int, Decimal]]:
        """(star level, minimum total) from five stars down to two."""
        return [
            (5, self.five_star_min),
            (4, self.four_star_min),
            (3, self.three_star_min),
            (2, self.two_star_min),
        ]

    def clean(self) -> None:
        values = [v for _level, v in self.thresholds()]
        if any(v is None for v in values):
            return
        if any(a <= b for a, b in zip(values, values[1:], strict=False)):
            raise ValidationError(_("星级最低分必须从五星到二星依次递减"))


class TemplateItem(models.Model):
    """One line of the score sheet; a mandatory item caps the star level when failed."""

    class Section(models.TextChoices):
        FACILITIES = "facilities", _("设施环境")
        STAFFING = "staffing", _("人员配备")
        SERVICES = "services", _("服务内容")
        MANAGEMENT = "management", _("规范管理")
        SATISFACTION = "satisfaction", _("服务对象满意度")

    template = models.ForeignKey(
        StarAssessmentTemplate,
        verbose_name=_("评定标准"),
        on_delete=models.CASCADE,
        related_name="items",
    )
    section = models.CharField(_("板块"), max_length=20, choices=Section.choices)
    order = models.PositiveSmallIntegerField(_("序号"), default=0)
    title = models.CharField(_("评分项目"), max_length=200)
    max_points = models.DecimalField(
        _("分值"), max_digits=5, decimal_places=1, validators=[MinValueValidator(Decimal("0.5"))]
    )
    cap_level = models.PositiveSmallIntegerField(
        _("未达标时最高星级"),
        choices=STAR_CHOICES,
        null=True,
        blank=True,
        help_text=_("填写即为必备项：得分低于达标分时，星级最高为此级"),
    )
    pass_points = models.DecimalField(
        _("达标分"),
        max_digits=5,
        decimal_places=1,
        null=True,
        blank=True,
        help_text=_("必备项的达标分，留空表示须得满分"),
    )

    class Meta:
        verbose_name = _("评分项目")
        verbose_name_plural = _("评分项目")
        ordering = ["template", "order", "pk"]

    def __str__(self) -> str:
        return self.title

    @property
    def is_mandatory(self) -> bool:
        return self.cap_level is not None

    @property
    def required_points(self) -> Decimal:
        return self.pass_points if self.pass_points is not None else self.max_points

    def clean(self) -> None:
        if (
            self.pass_points is not None
            and self.max_points is not None
            and self.pass_points > self.max_points
        ):
            raise ValidationError({"pass_points": _("达标分不能高于分值")})


class StarAssessment(StatusPipelineMixin, TimeStamped):
    """The star assessment of one home for one year."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("草稿")
        SUBMITTED = "submitted", _("已提交")
        APPROVED = "approved", _("已审定")
        RETURNED = "returned", _("退回")

    TRANSITION_ERROR = _("当前状态“%(from)s”不能变更为“%(to)s”")
    TRANSITIONS = {
        Status.DRAFT: {Status.SUBMITTED},
        Status.SUBMITTED: {Status.APPROVED, Status.RETURNED},
        Status.RETURNED: {Status.SUBMITTED},
        Status.APPROVED: set(),
    }
    ACTIONS = (
        PipelineAction(
            "submit",
            _("提交审定"),
            Status.SUBMITTED,
            "homes.change_starassessment",
            "homes:assessment-submit",
            confirm=_("提交后不能再修改评分，确定提交吗？"),
        ),
        PipelineAction(
            "approve",
            _("审定通过"),
            Status.APPROVED,
            "homes.approve_starassessment",
            "homes:assessment-approve",
            confirm=_("确定审定通过吗？审定后星级立即生效。"),
            style="success",
        ),
        PipelineAction(
            "return",
            _("退回"),
            Status.RETURNED,
            "homes.approve_starassessment",
            "homes:assessment-return",
            comment=True,
            style="outline-danger",
        ),
    )
    EDITABLE = {Status.DRAFT, Status.RETURNED}
    STATUS_COLOURS = {
        Status.APPROVED: "success",
        Status.RETURNED: "danger",
        Status.SUBMITTED: "primary",
    }

    home = models.ForeignKey(
        Home, verbose_name=_("残疾人之家"), on_delete=models.PROTECT, related_name="assessments"
    )
    year = models.PositiveSmallIntegerField(_("年度"))
    template = models.ForeignKey(
        StarAssessmentTemplate,
        verbose_name=_("评定标准"),
        on_delete=models.PROTECT,
        related_name="assessments",
    )
    assessors = models.CharField(_("评定人员"), max_length=200, blank=True)
    status = models.CharField(
        _("状态"), max_length=10, choices=Status.choices, default=Status.DRAFT, db_index=True
    )
    total = models.DecimalField(_("总分"), max_digits=6, decimal_places=1, default=0)
    star_level = models.PositiveSmallIntegerField(
        _("星级"), choices=STAR_CHOICES, null=True, blank=True
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("评定人"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    scored_by = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name=_("评分人"), related_name="+", blank=True
    )
    submitted_by = actor_field(_("提交人"))
    submitted_at = models.DateTimeField(_("提交时间"), null=True, blank=True)
    decided_by = actor_field(_("审定人"))
    decided_at = models.DateTimeField(_("审定时间"), null=True, blank=True)
    return_comment = models.TextField(_("退回意见"), blank=True)
    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        verbose_name = _("星级评定")
        verbose_name_plural = _("星级评定")
        ordering = ["-year", "home__town__code", "home__name"]
        permissions = [("approve_starassessment", _("审定星级评定"))]
        constraints = [
            models.UniqueConstraint(fields=["home", "year"], name="assessment_one_per_home_year"),
            models.CheckConstraint(
                condition=~models.Q(status="approved") | models.Q(star_level__isnull=False),
                name="assessment_approved_has_level",
            ),
        ]
        indexes = [models.Index(fields=["home", "status", "year"])]

    def __str__(self) -> str:
        return f"{self.home} {self.year}"

    @property
    def is_editable(self) -> bool:
        return self.status in self.EDITABLE

    @property
    def is_approved(self) -> bool:
        return self.status == self.Status.APPROVED

    def pipeline_town_id(self) -> int | None:
        return self.home.town_id if self.home_id else None

    def is_assessed_by(self, user) -> bool:
        """Whether ``user`` created, scored or submitted this sheet (and so may not approve it)."""
        if user.pk in (self.created_by_id, self.submitted_by_id):
            return True
        return self.scored_by.filter(pk=user.pk).exists()


class ItemScore(models.Model):
    """The score given for one template item in one assessment."""

    assessment = models.ForeignKey(
        StarAssessment, verbose_name=_("星级评定"), on_delete=models.CASCADE, related_name="scores"
    )
    item = models.ForeignKey(
        TemplateItem, verbose_name=_("评分项目"), on_delete=models.PROTECT, related_name="+"
    )
    score = models.DecimalField(
        _("得分"),
        max_digits=5,
        decimal_places=1,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0"))],
    )
    remark = models.CharField(_("扣分说明"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("项目得分")
        verbose_name_plural = _("项目得分")
        ordering = ["item__order", "item_id"]
        constraints = [
            models.UniqueConstraint(fields=["assessment", "item"], name="itemscore_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.item}: {self.score}"
