"""Findings of the data comparison (数据比对) and proactive discovery (主动发现)."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from dfed.core.models import (
    PipelineAction,
    StatusPipelineMixin,
    TimeStamped,
    actor_field,
    optional_link,
)

from .applications import Application
from .choices import SubsidyType
from .entitlements import Entitlement


def _step(name: str, label, to: str, source: str) -> PipelineAction:
    """A step on an open finding, through the worklist's one action view."""
    return PipelineAction(
        name,
        label,
        to,
        "subsidies.change_finding",
        "subsidies:finding-action",
        sources=(source,),
        url_takes_name=True,
    )


class Finding(StatusPipelineMixin, TimeStamped):
    """What comparing the registry with an external list found about one person (or ID number
    not yet registered): stop a subsidy, start one, or correct the registry. One finding per
    (rule, ID number, subsidy type): re-running updates it while open and never reopens it."""

    # Person, town, entitlement and list are links without a database-level foreign key: the
    # comparison takes their ids from the very rows it joins, and on PostgreSQL the per-row
    # checks (deferred to commit) cost more than the matching itself (tests/bench, issue 16).
    # The ORM still protects them (on_delete=PROTECT), and none of them is ever deleted.
    NO_DB_CONSTRAINT = ("person", "town", "entitlement", "source")

    class Kind(models.TextChoices):
        STOP = "stop", _("停发")
        START = "start", _("主动发现")
        CORRECT = "correct", _("信息更正")

    class Rule(models.TextChoices):
        DIED = "died", _("已死亡")
        MOVED_OUT = "moved_out", _("户籍已迁出")
        SENTENCED = "sentenced", _("正在服刑")
        ASSISTANCE_ENDED = "assistance_ended", _("低保已停止")
        CARE_INELIGIBLE = "care_ineligible", _("残疾等级不再符合或证件注销")
        START_LIVING = "start_living", _("低保家庭未享受生活补贴")
        START_CARE = "start_care", _("重度残疾未享受护理补贴")
        INVITE_NEW = "invite_new", _("新持证人未登记")
        NAME = "name", _("姓名不一致")
        HOUSEHOLD = "household", _("家庭类型不一致")
        CATEGORY = "category", _("残疾类别不一致")
        LEVEL = "level", _("残疾等级不一致")

    class Status(models.TextChoices):
        OPEN = "open", _("待处理")
        ACTED = "acted", _("已处理")
        DISMISSED = "dismissed", _("已排除")
        RESOLVED = "resolved", _("已消除")  # a later list no longer shows it

    KIND_OF_RULE = {
        Rule.DIED: Kind.STOP,
        Rule.MOVED_OUT: Kind.STOP,
        Rule.SENTENCED: Kind.STOP,
        Rule.ASSISTANCE_ENDED: Kind.STOP,
        Rule.CARE_INELIGIBLE: Kind.STOP,
        Rule.START_LIVING: Kind.START,
        Rule.START_CARE: Kind.START,
        Rule.INVITE_NEW: Kind.START,
        Rule.NAME: Kind.CORRECT,
        Rule.HOUSEHOLD: Kind.CORRECT,
        Rule.CATEGORY: Kind.CORRECT,
        Rule.LEVEL: Kind.CORRECT,
    }
    # Worklist order: money at risk (stops) first, then corrections, then invitations.
    PRIORITY = {Kind.STOP: 1, Kind.CORRECT: 2, Kind.START: 3}

    TRANSITION_ERROR = _("比对发现状态“%(from)s”不能变为“%(to)s”")
    TRANSITIONS = {
        Status.OPEN: {Status.ACTED, Status.DISMISSED, Status.RESOLVED},
        Status.ACTED: set(),
        Status.DISMISSED: set(),
        Status.RESOLVED: set(),
    }
    # A stop by a town caseworker may only be proposed (it stays open): no target status.
    ACTIONS = (
        _step("stop", _("停发"), "", Status.OPEN),
        _step("start", _("生成申请草稿"), "", Status.OPEN),
        _step("invite", _("短信邀请"), "", Status.OPEN),
        _step("correct", _("按名单更正"), Status.ACTED, Status.OPEN),
        _step("dismiss", _("排除"), Status.DISMISSED, Status.OPEN),
    )
    # The steps each kind of finding offers (besides the map and the permission).
    KIND_ACTIONS = {
        Kind.STOP: {"stop", "dismiss"},
        Kind.START: {"start", "invite", "dismiss"},
        Kind.CORRECT: {"correct", "dismiss"},
    }

    kind = models.CharField(_("类别"), max_length=8, choices=Kind.choices)
    rule = models.CharField(_("比对规则"), max_length=20, choices=Rule.choices)
    priority = models.PositiveSmallIntegerField(_("优先级"), default=3)
    status = models.CharField(_("状态"), max_length=10, choices=Status.choices, default="open")
    id_number = models.CharField(_("身份证号"), max_length=18)
    name = models.CharField(_("名单姓名"), max_length=50, blank=True)
    # No database-level constraint on these links: see NO_DB_CONSTRAINT.
    person = optional_link("people.Person", _("残疾人"), db_index=False, db_constraint=False)
    # The (town, status, priority) index serves the town.
    town = optional_link("people.Area", _("镇街道"), db_index=False, db_constraint=False)
    type = models.CharField(_("补贴类型"), max_length=10, choices=SubsidyType.choices, blank=True)
    entitlement = optional_link(
        Entitlement,
        _("享受资格"),
        related_name="findings",
        db_index=False,
        db_constraint=False,
    )
    # Evidence: which list, which row, what it says and what the registry says.
    source = optional_link("people.ExternalList", _("名单"), db_index=False, db_constraint=False)
    source_row = models.PositiveIntegerField(_("名单行号"), null=True, blank=True)
    event_date = models.DateField(_("事件日期"), null=True, blank=True)
    list_value = models.CharField(_("名单所载"), max_length=50, blank=True)
    registry_value = models.CharField(_("系统所载"), max_length=50, blank=True)
    effective_month = models.DateField(_("生效月份"), null=True, blank=True)
    end_month = models.DateField(_("发放至（含）"), null=True, blank=True)
    monthly_amount = models.DecimalField(
        _("月标准（元）"), max_digits=10, decimal_places=2, null=True, blank=True
    )
    months_overpaid = models.PositiveSmallIntegerField(_("已多发月数"), default=0)
    seen_at = models.DateTimeField(_("最近比对时间"))
    # What was done, by whom.
    proposed_by = actor_field(_("提议人"), db_index=False)
    proposed_at = models.DateTimeField(_("提议时间"), null=True, blank=True)
    acted_by = actor_field(_("处理人"), db_index=False)
    acted_at = models.DateTimeField(_("处理时间"), null=True, blank=True)
    action_note = models.CharField(_("处理说明"), max_length=200, blank=True)
    application = optional_link(Application, _("申请"), related_name="findings", db_index=False)
    invitation = optional_link("notifications.SmsMessage", _("邀请短信"), db_index=False)
    history = HistoricalRecords(excluded_fields=["updated_at", "seen_at"])

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.OPEN

    def pipeline_town_id(self) -> int | None:
        return self.town_id

    def action_allowed_now(self, action: PipelineAction) -> bool:
        """The map, and the kind's steps: a start only for a registered person's missing
        subsidy, one invitation at most."""
        if action.name not in self.KIND_ACTIONS.get(self.kind, set()):
            return False
        if action.name in ("start", "invite") and self.rule == self.Rule.INVITE_NEW:
            return False
        if action.name == "invite" and self.invitation_id:
            return False
        return super().action_allowed_now(action)

    class Meta:
        verbose_name = _("比对发现")
        verbose_name_plural = _("比对发现")
        ordering = [
            "priority",
            "-months_overpaid",
            models.F("monthly_amount").desc(nulls_last=True),
            "pk",
        ]
        permissions = [("confirm_finding", _("确认停发并生成应追回"))]
        constraints = [
            models.UniqueConstraint(
                fields=["rule", "id_number", "type"], name="finding_one_per_rule_id_type"
            ),
        ]
        indexes = [
            models.Index(fields=["town", "status", "priority"], name="finding_worklist_idx"),
            models.Index(fields=["status", "kind"], name="finding_status_kind_idx"),
            models.Index(
                fields=["person"], condition=Q(person__isnull=False), name="finding_person_idx"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_rule_display()} {self.name}"

    def _label(self, value: str) -> str:
        from dfed.people.models import Person

        rule = self.rule
        if value == "cancelled":
            return str(_("证件已注销"))
        if rule in ("household", "start_living", "assistance_ended"):
            labels = {**dict(Person.Household.choices), "tekun": _("特困")}
        elif rule in ("level", "care_ineligible", "start_care", "invite_new"):
            labels = {str(k): v for k, v in Person.Level.choices}
        elif rule == "category":
            labels = {str(k): v for k, v in Person.Category.choices}
        else:
            return value
        return str(labels.get(value, value))

    @property
    def list_label(self) -> str:
        """What the list says, in words (低保, 三级, 证件已注销 …)."""
        return self._label(self.list_value)

    @property
    def registry_label(self) -> str:
        return self._label(self.registry_value)

    @property
    def amount_overpaid(self):
        """元 already paid for months after ``end_month`` (to be recovered when acted on)."""
        if self.monthly_amount is None:
            return None
        return self.monthly_amount * self.months_overpaid


class InvitationTemplate(TimeStamped):
    """The text of the SMS inviting a person found eligible (主动发现) to apply, per subsidy;
    ``{name}`` (the person), ``{subsidy}`` (the subsidy's short name) and ``{town}`` are filled."""

    PLACEHOLDERS = ("name", "subsidy", "town")
    DEFAULT = (
        "【区残联】{name}您好：根据民政和残联数据，您可能符合{subsidy}条件，"
        "请携带身份证和残疾人证到{town}便民服务中心申请。"
    )

    type = models.CharField(_("补贴类型"), max_length=10, choices=SubsidyType.choices, unique=True)
    body = models.TextField(_("短信内容"), max_length=300)
    updated_by = actor_field(_("修改人"), db_index=False)
    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        verbose_name = _("邀请短信模板")
        verbose_name_plural = _("邀请短信模板")
        ordering = ["type"]

    def __str__(self) -> str:
        return self.get_type_display()

    def clean(self) -> None:
        from django.core.exceptions import ValidationError

        try:
            self.body.format(**dict.fromkeys(self.PLACEHOLDERS, ""))
        except (KeyError, IndexError, ValueError):
            raise ValidationError(
                {"body": _("只能使用 {name}、{subsidy}、{town} 三个占位符，且花括号须成对")}
            ) from None
