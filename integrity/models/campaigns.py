"""节日廉洁提醒: one campaign per festival and year, and its pipeline."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from dfed.core.models import PipelineAction, StatusPipelineMixin, TimeStamped

from .staff import Department


class ReminderCampaign(StatusPipelineMixin, TimeStamped):
    """The 廉洁提醒 text of one festival and year, sent on the last working day before it."""

    class Festival(models.TextChoices):
        NEW_YEAR = "new_year", _("元旦")
        SPRING = "spring", _("春节")
        QINGMING = "qingming", _("清明")
        LABOUR = "labour", _("五一")
        DRAGON_BOAT = "dragon_boat", _("端午")
        MID_AUTUMN = "mid_autumn", _("中秋")
        NATIONAL = "national", _("国庆")

    class Audience(models.TextChoices):
        ALL = "all", _("全体工作人员")
        LEADERS = "leaders", _("领导班子")
        DEPARTMENTS = "departments", _("指定科室")

    class Status(models.TextChoices):
        PLANNED = "planned", _("待发送")
        # The texts are queued; whether they went out is the campaign report's 发送中/已发送.
        SENT = "sent", _("已提交发送")
        CANCELLED = "cancelled", _("已取消")
        MERGED = "merged", _("已并入同一假期的提醒")

    TRANSITION_ERROR = _("提醒状态“%(from)s”不能变为“%(to)s”")
    TRANSITIONS = {
        Status.PLANNED: {Status.SENT, Status.CANCELLED, Status.MERGED},
        Status.SENT: set(),
        Status.CANCELLED: set(),
        Status.MERGED: set(),
    }
    ACTIONS = (
        PipelineAction(
            "edit",
            _("编辑"),
            "",
            "integrity.change_remindercampaign",
            "integrity:campaign-edit",
            sources=(Status.PLANNED,),
            form=True,
        ),
        PipelineAction(
            "send",
            _("立即发送"),
            Status.SENT,
            "integrity.change_remindercampaign",
            "integrity:campaign-send",
            confirm=_("确定现在就发送本次提醒？发送后不能撤回。"),
            style="danger",
        ),
        PipelineAction(
            "cancel",
            _("取消发送"),
            Status.CANCELLED,
            "integrity.change_remindercampaign",
            "integrity:campaign-cancel",
            confirm=_("确定取消本次节日提醒？"),
            style="outline-danger",
        ),
    )

    year = models.PositiveSmallIntegerField(_("年度"))
    festival = models.CharField(_("节日"), max_length=12, choices=Festival.choices)
    # Every festival of the holiday period this campaign covers, comma-separated in Festival
    # order ("mid_autumn,national"); empty on rows from before periods were combined.
    festivals = models.CharField(_("同一假期的节日"), max_length=100, blank=True)
    template = models.TextField(
        _("短信模板"), help_text=_("可用占位符：{姓名}、{节日}（也可写作 {name}、{festival}）")
    )
    audience = models.CharField(
        _("发送对象"), max_length=12, choices=Audience.choices, default=Audience.ALL
    )
    departments = models.ManyToManyField(Department, verbose_name=_("科室"), blank=True)
    offset_days = models.PositiveSmallIntegerField(
        _("提前工作日数"), default=0, help_text=_("0 表示节前最后一个工作日")
    )
    holiday_start = models.DateField(_("放假开始"), null=True, blank=True)
    holiday_end = models.DateField(_("放假结束"), null=True, blank=True)
    send_on = models.DateField(_("发送日"), null=True, blank=True, db_index=True)
    status = models.CharField(
        _("状态"), max_length=10, choices=Status.choices, default=Status.PLANNED
    )
    sent_at = models.DateTimeField(_("发送时间"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("节日廉洁提醒")
        verbose_name_plural = _("节日廉洁提醒")
        ordering = ["send_on", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["year", "festival"], name="integrity_campaign_once")
        ]

    @property
    def is_planned(self) -> bool:
        return self.status == self.Status.PLANNED

    @property
    def is_sent(self) -> bool:
        """Its texts are queued: the page shows how they are doing."""
        return self.status == self.Status.SENT

    def __str__(self) -> str:
        return f"{self.year} {self.festival_label}"

    @property
    def festival_values(self) -> list[str]:
        return [f for f in self.festivals.split(",") if f] or [self.festival]

    @property
    def festival_label(self) -> str:
        """The festival names of the campaign's holiday period, e.g. 中秋、国庆."""
        labels = dict(self.Festival.choices)
        return "、".join(str(labels[f]) for f in self.festival_values)

    @property
    def ref(self) -> str:
        return f"{self._meta.label_lower}:{self.pk}"
