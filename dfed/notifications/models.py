from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from dfed.core.models import PipelineAction, StatusPipelineMixin, TimeStamped
from dfed.core.validators import normalize_phone, validate_mobile

SEGMENT_LENGTH = 70
MAX_BODY_LENGTH = 500


def segment_count(body: str) -> int:
    """How many 70-character SMS segments a body takes."""
    return max(1, -(-len(body or "") // SEGMENT_LENGTH))


class SmsMessage(StatusPipelineMixin, TimeStamped):
    """One text to one phone: the row exists before any attempt to send it."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("待发送")
        SENT = "sent", _("已发送")
        DELIVERED = "delivered", _("已送达")
        FAILED = "failed", _("失败")
        OPTED_OUT = "opted_out", _("已退订")

    # Where a message rests: nothing more happens to it unless someone resends it.
    SETTLED = (Status.SENT, Status.DELIVERED, Status.FAILED, Status.OPTED_OUT)
    # The send task moves a message along; a person may only put a failed one back in the queue.
    TRANSITIONS = {
        Status.QUEUED: {Status.SENT, Status.DELIVERED, Status.FAILED, Status.OPTED_OUT},
        Status.SENT: {Status.DELIVERED, Status.FAILED},
        Status.DELIVERED: set(),
        Status.FAILED: {Status.QUEUED},
        Status.OPTED_OUT: set(),
    }
    ACTIONS = (
        PipelineAction(
            "resend",
            _("重新发送"),
            Status.QUEUED,
            "notifications.change_smsmessage",
            "notifications:message-resend",
            confirm=_("确定重新发送这条短信？"),
            style="warning",
        ),
    )

    phone = models.CharField(_("手机号"), max_length=11, validators=[validate_mobile])
    body = models.TextField(_("内容"), max_length=MAX_BODY_LENGTH)
    purpose = models.CharField(_("用途"), max_length=50, db_index=True)
    # A reference like "integrity.remindercampaign:12": notifications never imports domain apps.
    campaign = models.CharField(_("所属活动"), max_length=100, blank=True, db_index=True)
    status = models.CharField(
        _("状态"), max_length=10, choices=Status.choices, default=Status.QUEUED, db_index=True
    )
    attempts = models.PositiveSmallIntegerField(_("尝试次数"), default=0)
    in_progress = models.BooleanField(_("发送中"), default=False)
    last_error = models.CharField(_("最近错误"), max_length=500, blank=True)
    provider_message_id = models.CharField(_("网关消息号"), max_length=100, blank=True)
    idempotency_key = models.CharField(_("幂等键"), max_length=150, unique=True)
    sent_at = models.DateTimeField(_("发送时间"), null=True, blank=True)
    # When the row was last handed to the broker (None: not yet; the outbox sweep enqueues it).
    dispatched_at = models.DateTimeField(_("入队时间"), null=True, blank=True)
    provider_code = models.CharField(_("网关状态码"), max_length=50, blank=True)
    delivered_at = models.DateTimeField(_("送达时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("短信")
        verbose_name_plural = _("短信")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["status", "updated_at"])]

    def __str__(self) -> str:
        return f"{self.phone} {self.body[:20]}"

    @property
    def segments(self) -> int:
        return segment_count(self.body)

    @property
    def purpose_label(self) -> str:
        """The purpose in words (registered by the app that sends it), else its code."""
        from .purposes import purpose_label

        return purpose_label(self.purpose)

    @property
    def sending(self) -> bool:
        """Queued with an attempt under way (or whose outcome is not yet known)."""
        return self.status == self.Status.QUEUED and self.in_progress

    def clean(self):
        self.phone = normalize_phone(self.phone)
        if not self.body.strip():
            raise ValidationError({"body": _("短信内容不能为空")})


class SmsAttempt(models.Model):
    """One try at handing a message to the gateway, kept for the outbox page."""

    class Outcome(models.TextChoices):
        STARTED = "started", _("发送中")
        SENT = "sent", _("成功")
        RETRY = "retry", _("临时失败，将重试")
        FAILED = "failed", _("失败")
        RECOVERED = "recovered", _("网关已受理（查询确认）")
        LOOKUP = "lookup", _("查询网关")

    message = models.ForeignKey(
        SmsMessage, verbose_name=_("短信"), on_delete=models.CASCADE, related_name="attempt_log"
    )
    number = models.PositiveSmallIntegerField(_("次序"))
    started_at = models.DateTimeField(_("开始时间"), auto_now_add=True)
    outcome = models.CharField(
        _("结果"), max_length=10, choices=Outcome.choices, default=Outcome.STARTED
    )
    detail = models.CharField(_("说明"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("发送尝试")
        verbose_name_plural = _("发送尝试")
        ordering = ["number", "pk"]

    def __str__(self) -> str:
        return f"{self.message_id}#{self.number} {self.outcome}"


class SmsOptOut(TimeStamped):
    """A phone that asked not to receive texts."""

    phone = models.CharField(_("手机号"), max_length=11, unique=True, validators=[validate_mobile])
    reason = models.CharField(_("原因"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("退订号码")
        verbose_name_plural = _("退订号码")
        ordering = ["phone"]

    def __str__(self) -> str:
        return self.phone
