"""The family service (/service/): code requests and the log of every public step."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from dfed.core.models import optional_link


class ServiceTrail(models.Model):
    """Abstract: what every row of the family service keeps about a request: the person, when
    the ID typed is registered (else empty, the row the same shape), and the client's address."""

    person = optional_link("people.Person", _("残疾人"))
    client_ip = models.GenericIPAddressField(_("IP 地址"), null=True, blank=True)

    class Meta:
        abstract = True


class ServiceChallenge(ServiceTrail):
    """One request for a code at /service/: the ID and phone typed, as keyed digests.

    ``person`` and ``phone`` are set only when the ID is registered and the phone is on file;
    otherwise the row is the same shape and no code is ever sent. The code is stored hashed."""

    id_digest = models.CharField(_("身份证号摘要"), max_length=64, db_index=True)
    phone_digest = models.CharField(_("手机号摘要"), max_length=64, db_index=True)
    phone = models.CharField(_("发送号码"), max_length=11, blank=True)
    code_hash = models.CharField(_("验证码摘要"), max_length=64, blank=True)
    created_at = models.DateTimeField(_("申请时间"), auto_now_add=True)
    expires_at = models.DateTimeField(_("失效时间"))
    sent_at = models.DateTimeField(_("发送时间"), null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(_("输错次数"), default=0)
    verified_at = models.DateTimeField(_("验证时间"), null=True, blank=True)
    locked_until = models.DateTimeField(_("锁定至"), null=True, blank=True)
    ended_at = models.DateTimeField(_("退出时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("办事验证")
        verbose_name_plural = _("办事验证")
        ordering = ["-created_at", "-pk"]
        # The sweep's rows (matched, code not sent yet): normally none, so the index stays tiny.
        indexes = [
            models.Index(
                fields=["created_at"],
                condition=models.Q(sent_at__isnull=True, person__isnull=False),
                name="challenge_unsent_idx",
            )
        ]

    def __str__(self) -> str:
        return f"{self.pk} {self.created_at:%Y-%m-%d %H:%M}"


class ServiceLog(ServiceTrail):
    """Every lookup, code sent, verification and view on the public pages (no raw ID/phone)."""

    class Action(models.TextChoices):
        REQUEST = "request", _("申请验证码")
        CODE_SENT = "code_sent", _("发送验证码")
        RATE_LIMITED = "rate_limited", _("请求过频")
        LOCKED = "locked", _("已锁定")
        VERIFY_OK = "verify_ok", _("验证通过")
        VERIFY_FAILED = "verify_failed", _("验证码错误")
        VIEW = "view", _("查看进度")
        APPLY = "apply", _("网上申请")
        END = "end", _("退出")

    at = models.DateTimeField(_("时间"), auto_now_add=True, db_index=True)
    action = models.CharField(_("操作"), max_length=15, choices=Action.choices)
    challenge = optional_link(ServiceChallenge, _("办事验证"), related_name="logs")
    id_digest = models.CharField(_("身份证号摘要"), max_length=64, blank=True)
    detail = models.CharField(_("说明"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("网上办事记录")
        verbose_name_plural = _("网上办事记录")
        ordering = ["-at", "-pk"]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.get_action_display()}"
