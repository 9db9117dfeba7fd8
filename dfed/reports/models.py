from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class AnnualSummary(models.Model):
    """One generated annual work summary (.docx) and the figures it was written from."""

    class Status(models.TextChoices):
        PENDING = "pending", _("排队中")
        RUNNING = "running", _("生成中")
        DONE = "done", _("已完成")
        FAILED = "failed", _("失败")

    year = models.PositiveSmallIntegerField(_("年度"), db_index=True)
    status = models.CharField(
        _("状态"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    file = models.FileField(_("文件"), upload_to="reports/annual/", blank=True)
    figures = models.JSONField(_("数据快照"), default=dict, blank=True)
    error = models.TextField(_("错误信息"), blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("生成人"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("申请时间"), auto_now_add=True)
    finished_at = models.DateTimeField(_("完成时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("年度工作总结")
        verbose_name_plural = _("年度工作总结")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.year}年度工作总结（{self.get_status_display()}）"

    @property
    def is_done(self) -> bool:
        """Written: the file may be downloaded."""
        return self.status == self.Status.DONE

    @property
    def is_failed(self) -> bool:
        return self.status == self.Status.FAILED

    @property
    def filename(self) -> str:
        return f"{self.year}年度党风廉政建设工作总结.docx"
