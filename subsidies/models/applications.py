"""Applications, their timeline and their attachments."""

import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from dfed.core.files import UploadTo
from dfed.core.models import PipelineAction, StatusPipelineMixin, TimeStamped, actor_field

from .choices import (
    SubsidyType,
    Tier,
    _check_month,
    _check_tier,
    subsidy_type_short,
)


class Application(StatusPipelineMixin, TimeStamped):
    """An application for one subsidy, through 草稿 → 乡镇审核 → 区残联审定 → 已批准/已驳回.

    An online application (网上申请) is made by the family through /service/: it has no
    ``created_by`` until a caseworker of the person's town submits it."""

    class Channel(models.TextChoices):
        COUNTER = "counter", _("窗口受理")
        ONLINE = "online", _("网上申请")

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
    ACTIONS = (
        PipelineAction(
            "submit",
            _("提交乡镇审核"),
            Status.TOWN_REVIEW,
            "subsidies.submit_application",
            "subsidies:application-action",
            url_takes_name=True,
        ),
        PipelineAction(
            "town-approve",
            _("审核通过"),
            Status.DISTRICT_REVIEW,
            "subsidies.town_review_application",
            "subsidies:application-action",
            comment=True,
            style="success",
            url_takes_name=True,
        ),
        PipelineAction(
            "return",
            _("退回"),
            Status.DRAFT,
            "subsidies.town_review_application",
            "subsidies:application-action",
            comment=True,
            style="outline-danger",
            url_takes_name=True,
        ),
        PipelineAction(
            "approve",
            _("批准"),
            Status.APPROVED,
            "subsidies.district_review_application",
            "subsidies:application-action",
            comment=True,
            style="success",
            url_takes_name=True,
        ),
        PipelineAction(
            "reject",
            _("驳回"),
            Status.REJECTED,
            "subsidies.district_review_application",
            "subsidies:application-action",
            comment=True,
            style="outline-danger",
            url_takes_name=True,
        ),
    )
    STATUS_COLOURS = {
        Status.APPROVED: "success",
        Status.REJECTED: "danger",
        Status.TOWN_REVIEW: "warning",
        Status.DISTRICT_REVIEW: "warning",
    }

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
        null=True,
        blank=True,
        related_name="subsidy_applications_created",
    )
    channel = models.CharField(
        _("受理方式"), max_length=10, choices=Channel.choices, default=Channel.COUNTER
    )
    reference = models.CharField(_("回执编号"), max_length=20, blank=True)
    consent_at = models.DateTimeField(_("同意数据比对时间"), null=True, blank=True)
    consent_text = models.TextField(_("数据比对授权内容"), blank=True)
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
            models.UniqueConstraint(
                fields=["reference"],
                condition=~Q(reference=""),
                name="application_reference_unique",
            ),
            models.CheckConstraint(
                condition=~Q(channel="online") | Q(consent_at__isnull=False),
                name="application_online_has_consent",
            ),
        ]
        indexes = [models.Index(fields=["status", "type"])]

    def __str__(self) -> str:
        return f"{self.person} {subsidy_type_short(self.type)}"

    @property
    def number(self) -> str:
        """The number a family quotes: the receipt reference, else SQ + the id."""
        return self.reference or f"SQ{self.pk:08d}"

    @property
    def is_open(self) -> bool:
        return self.status in self.OPEN_STATUSES

    @property
    def is_editable(self) -> bool:
        """A draft: its details and attachments may still change."""
        return self.status == self.Status.DRAFT

    @property
    def awaits_caseworker(self) -> bool:
        """A family's online application that no caseworker has taken up yet."""
        return self.channel == self.Channel.ONLINE and self.is_editable and not self.created_by_id

    def pipeline_town_id(self) -> int | None:
        return self.person.town_id if self.person_id else None

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
        null=True,
        blank=True,  # none: the family, online
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


attachment_path = UploadTo("subsidies/applications")


def new_token() -> str:
    return uuid.uuid4().hex


class ApplicationAttachment(models.Model):
    """A supporting document (PDF/JPG/PNG), stored under MEDIA_ROOT, served by a checked view."""

    class Kind(models.TextChoices):
        OTHER = "", _("其他材料")
        ID_CARD = "id_card", _("身份证")
        HUKOU = "hukou", _("户口本")
        CERTIFICATE = "certificate", _("残疾人证")

    application = models.ForeignKey(
        Application, verbose_name=_("申请"), on_delete=models.CASCADE, related_name="attachments"
    )
    token = models.CharField(max_length=32, default=new_token, editable=False, unique=True)
    file = models.FileField(_("文件"), upload_to=attachment_path, max_length=200)
    original_name = models.CharField(_("文件名"), max_length=200)
    content_type = models.CharField(_("类型"), max_length=50)
    size = models.PositiveIntegerField(_("大小（字节）"))
    kind = models.CharField(_("材料"), max_length=12, choices=Kind.choices, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("上传人"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,  # none: uploaded by the family, online
        related_name="+",
    )
    uploaded_at = models.DateTimeField(_("上传时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("申请附件")
        verbose_name_plural = _("申请附件")
        ordering = ["uploaded_at", "pk"]

    def __str__(self) -> str:
        return self.original_name
