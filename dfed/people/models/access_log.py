"""The log of every response that showed full identifiers."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .registry import Person


class SensitiveAccessLog(models.Model):
    """One response that showed full identifiers: who, when, what kind of view, whom (the
    person; for lists and exports the filter used and how many people), from which address.
    Kept ``ACCESS_LOG_RETENTION_MONTHS`` (default 6) months, then pruned by a beat task."""

    class Kind(models.TextChoices):
        DETAIL = "detail", _("详情")
        EDIT = "edit", _("编辑")
        LIST = "list", _("列表")
        EXPORT = "export", _("导出")
        BANK_FILE = "bank_file", _("银行代发文件")
        ADMIN = "admin", _("后台")
        DOCX = "docx", _("文书")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("查看人"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    person = models.ForeignKey(
        Person,
        verbose_name=_("被查看人"),
        on_delete=models.CASCADE,
        related_name="access_logs",
        null=True,
        blank=True,
    )
    viewed_at = models.DateTimeField(_("查看时间"), auto_now_add=True, db_index=True)
    ip_address = models.GenericIPAddressField(_("IP 地址"), null=True, blank=True)
    kind = models.CharField(
        _("查看方式"), max_length=10, choices=Kind.choices, default=Kind.DETAIL, db_index=True
    )
    context = models.CharField(_("页面"), max_length=100, default="detail")
    query = models.CharField(_("筛选条件"), max_length=500, blank=True)
    count = models.PositiveIntegerField(_("人数"), null=True, blank=True)

    class Meta:
        verbose_name = _("敏感信息查看记录")
        verbose_name_plural = _("敏感信息查看记录")
        ordering = ["-viewed_at"]

    def __str__(self) -> str:
        whom = self.person or self.query or self.get_kind_display()
        return f"{self.user} → {whom} @ {self.viewed_at:%Y-%m-%d %H:%M}"
