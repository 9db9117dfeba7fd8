"""无障碍社区 creation: the provincial standard's checklist and each community's progress."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from dfed.core.files import UploadTo
from dfed.core.models import PipelineAction, StatusPipelineMixin, TimeStamped, actor_field
from dfed.people.models import Area

from .retrofits import YEAR_VALIDATORS


class ChecklistItem(models.Model):
    """An item of the provincial 无障碍社区 standard; the list is edited by admins."""

    code = models.CharField(_("编号"), max_length=20, unique=True)
    title = models.CharField(_("标准条目"), max_length=200)
    description = models.TextField(_("要求"), blank=True)
    order = models.PositiveSmallIntegerField(_("排序"), default=0)
    active = models.BooleanField(_("启用"), default=True)

    class Meta:
        verbose_name = _("无障碍社区标准条目")
        verbose_name_plural = _("无障碍社区标准条目")
        ordering = ["order", "code"]

    def __str__(self) -> str:
        return f"{self.code} {self.title}"


class AccessibleCommunity(StatusPipelineMixin, TimeStamped):
    """A community's bid for the provincial 无障碍社区 title in one year."""

    class Status(models.TextChoices):
        DECLARED = "declared", _("申报")
        BUILDING = "building", _("创建中")
        PASSED = "passed", _("验收通过")
        FAILED = "failed", _("未通过")

    TRANSITION_ERROR = _("当前状态为“%(from)s”，不能转为“%(to)s”")
    TRANSITIONS = {
        Status.DECLARED: {Status.BUILDING},
        Status.BUILDING: {Status.PASSED, Status.FAILED},
        Status.PASSED: set(),
        Status.FAILED: {Status.BUILDING},
    }
    ACTIONS = (
        PipelineAction(
            "start",
            _("开始创建"),
            Status.BUILDING,
            "accessibility.add_accessiblecommunity",
            "accessibility:community-start",
            sources=(Status.DECLARED,),
        ),
        PipelineAction(
            "start",
            _("继续创建"),
            Status.BUILDING,
            "accessibility.add_accessiblecommunity",
            "accessibility:community-start",
            sources=(Status.FAILED,),
        ),
        # The service records 验收通过 or 未通过 from the decision form.
        PipelineAction(
            "decide",
            _("登记验收结论"),
            "",
            "accessibility.decide_accessiblecommunity",
            "accessibility:community-decide",
            sources=(Status.BUILDING,),
            confirm=_("确定要登记验收结论吗？"),
        ),
        PipelineAction(
            "check",
            _("更新"),
            "",
            "accessibility.change_communitycheck",
            "accessibility:check-update",
            sources=(Status.BUILDING,),
            on_rows=True,
        ),
    )

    community = models.ForeignKey(
        Area,
        verbose_name=_("社区村"),
        on_delete=models.PROTECT,
        related_name="accessible_creations",
        limit_choices_to={"level": Area.Level.COMMUNITY},
    )
    town = models.ForeignKey(
        Area, verbose_name=_("镇街道"), on_delete=models.PROTECT, related_name="+", editable=False
    )
    year = models.PositiveSmallIntegerField(_("年度"), validators=YEAR_VALIDATORS)
    status = models.CharField(
        _("状态"), max_length=10, choices=Status.choices, default=Status.DECLARED, db_index=True
    )
    declared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("申报人"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    declared_at = models.DateTimeField(_("申报时间"), default=timezone.now)
    decided_by = actor_field(_("验收人"))
    decided_at = models.DateTimeField(_("验收时间"), null=True, blank=True)
    decision_note = models.TextField(_("验收意见"), blank=True)
    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        verbose_name = _("无障碍社区创建")
        verbose_name_plural = _("无障碍社区创建")
        ordering = ["-year", "town__code", "community__code"]
        permissions = [("decide_accessiblecommunity", _("无障碍社区验收"))]
        constraints = [
            models.UniqueConstraint(
                fields=["community", "year"], name="accessible_community_year_unique"
            )
        ]

    def pipeline_town_id(self) -> int | None:
        return self.town_id

    def __str__(self) -> str:
        return _("%(year)s年 %(name)s 无障碍社区创建") % {"year": self.year, "name": self.community}


evidence_upload_to = UploadTo("accessibility/evidence")


class CommunityCheck(models.Model):
    """The state of one standard item for one community creation, with its evidence."""

    class State(models.TextChoices):
        PENDING = "pending", _("未开始")
        IN_PROGRESS = "in_progress", _("整改中")
        DONE = "done", _("已达标")

    creation = models.ForeignKey(
        AccessibleCommunity,
        verbose_name=_("社区创建"),
        on_delete=models.CASCADE,
        related_name="checks",
    )
    item = models.ForeignKey(
        ChecklistItem, verbose_name=_("标准条目"), on_delete=models.PROTECT, related_name="+"
    )
    state = models.CharField(_("状态"), max_length=20, choices=State.choices, default=State.PENDING)
    note = models.TextField(_("说明"), blank=True)
    evidence = models.FileField(
        _("佐证材料"), upload_to=evidence_upload_to, max_length=200, blank=True
    )
    updated_by = actor_field(_("更新人"))
    updated_at = models.DateTimeField(_("更新时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("创建条目进度")
        verbose_name_plural = _("创建条目进度")
        ordering = ["item__order", "item__code"]
        constraints = [
            models.UniqueConstraint(fields=["creation", "item"], name="community_check_unique")
        ]

    def __str__(self) -> str:
        return f"{self.item} · {self.get_state_display()}"
