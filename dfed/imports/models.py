"""The record of one import job: who, when, which file and importer, how far, and what came
of it (counts and the report). The file's bytes live in storage until the retention period
after the job ends (``IMPORT_FILE_RETENTION_DAYS``)."""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ImportJob(models.Model):
    class State(models.TextChoices):
        PENDING = "pending", _("排队中")
        RUNNING = "running", _("进行中")
        DONE = "done", _("已完成")
        FAILED = "failed", _("失败")

    # Deliveries of the task a job may have: the first and one retry after a lost worker.
    MAX_ATTEMPTS = 2

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    importer = models.CharField(_("导入类型"), max_length=50)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("操作人"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="import_jobs",
    )
    created_at = models.DateTimeField(_("上传时间"), auto_now_add=True)
    filename = models.CharField(_("文件名"), max_length=255)
    path = models.CharField(_("存储路径"), max_length=500)
    size = models.PositiveBigIntegerField(_("文件大小（字节）"), default=0)
    dry_run = models.BooleanField(_("仅预览"), default=True)
    options = models.JSONField(_("选项"), default=dict, blank=True)
    state = models.CharField(
        _("状态"), max_length=10, choices=State.choices, default=State.PENDING, db_index=True
    )
    attempts = models.PositiveSmallIntegerField(_("执行次数"), default=0)
    message = models.CharField(_("说明"), max_length=500, blank=True)
    rows = models.PositiveIntegerField(_("行数"), default=0)
    created = models.PositiveIntegerField(_("新增"), default=0)
    updated = models.PositiveIntegerField(_("更新"), default=0)
    unchanged = models.PositiveIntegerField(_("未变化"), default=0)
    rejected = models.PositiveIntegerField(_("有误"), default=0)
    written = models.BooleanField(_("已写入"), default=False)
    report = models.JSONField(_("报告"), null=True, blank=True)
    finished_at = models.DateTimeField(_("结束时间"), null=True, blank=True, db_index=True)
    file_deleted_at = models.DateTimeField(_("文件删除时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("导入任务")
        verbose_name_plural = _("导入任务")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.filename} ({self.get_state_display()})"


class ImportRow(models.Model):
    """One row of a job's file as the preview shows it: what the import does with it (the
    report's ``RowOutcome``, or its errors, or why it was skipped), so the preview pages and
    filters rows in the database instead of carrying the whole report into the page."""

    class Outcome(models.TextChoices):
        CREATED = "created", _("新增")
        UPDATED = "updated", _("更新")
        UNCHANGED = "unchanged", _("未变化")
        ERROR = "error", _("有误")
        SKIPPED = "skipped", _("跳过")

    job = models.ForeignKey(ImportJob, on_delete=models.CASCADE, related_name="row_set")
    row = models.PositiveIntegerField(_("行号"))
    outcome = models.CharField(_("结果"), max_length=10, choices=Outcome.choices)
    name = models.CharField(_("姓名"), max_length=100, blank=True)
    key = models.CharField(_("身份证号"), max_length=30, blank=True)
    # ["列名 原因", …] for an error, [what it is] for a skipped row.
    messages = models.JSONField(_("说明"), default=list, blank=True)
    # [[field, label, old, new], …] for an update; identifiers are masked when shown.
    changes = models.JSONField(_("变化"), default=list, blank=True)

    class Meta:
        verbose_name = _("导入行")
        verbose_name_plural = _("导入行")
        ordering = ["job", "row"]
        indexes = [models.Index(fields=["job", "outcome", "row"], name="importrow_job_outcome")]
        constraints = [
            models.UniqueConstraint(fields=["job", "row"], name="importrow_unique_job_row")
        ]

    def __str__(self) -> str:
        return f"{self.job_id}#{self.row} {self.outcome}"
