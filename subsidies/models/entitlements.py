"""Entitlements: a person's right to one subsidy from a start month."""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from dfed.core.history import BulkHistoricalRecords
from dfed.core.models import PipelineAction, StatusPipelineMixin, TimeStamped, actor_field

from .applications import Application
from .choices import SubsidyType, Tier, _check_month, _check_tier, subsidy_type_short


class Entitlement(StatusPipelineMixin, TimeStamped):
    """A person's right to one subsidy from a start month; paid through ``paid_through``."""

    class State(models.TextChoices):
        ACTIVE = "active", _("正常")
        SUSPENDED = "suspended", _("暂停")
        ENDED = "ended", _("终止")

    STATUS_FIELD = "state"
    TRANSITION_ERROR = _("享受状态“%(from)s”不能变为“%(to)s”")
    TRANSITIONS = {
        State.ACTIVE: {State.SUSPENDED, State.ENDED},
        State.SUSPENDED: {State.ACTIVE, State.ENDED},
        State.ENDED: set(),
    }
    ACTIONS = (
        PipelineAction(
            "suspend",
            _("暂停发放"),
            State.SUSPENDED,
            "subsidies.change_entitlement",
            "subsidies:entitlement-action",
            confirm=_("确定暂停发放？"),
            style="outline-warning",
            url_takes_name=True,
        ),
        PipelineAction(
            "resume",
            _("恢复发放（暂停期间的月份将补发）"),
            State.ACTIVE,
            "subsidies.change_entitlement",
            "subsidies:entitlement-action",
            style="outline-success",
            url_takes_name=True,
        ),
        PipelineAction(
            "end",
            _("终止"),
            State.ENDED,
            "subsidies.change_entitlement",
            "subsidies:entitlement-action",
            confirm=_("确定终止该补贴？终止月份之后已发放的金额将列为应追回。"),
            style="outline-danger",
            url_takes_name=True,
        ),
        # 年审 confirmed: the state stays.
        PipelineAction(
            "review",
            _("确认"),
            "",
            "subsidies.review_entitlement",
            "subsidies:entitlement-action",
            sources=(State.ACTIVE, State.SUSPENDED),
            url_takes_name=True,
        ),
    )
    STATUS_COLOURS = {State.ACTIVE: "success", State.SUSPENDED: "warning"}

    class EndReason(models.TextChoices):
        DEATH = "death", _("死亡")
        MOVED = "moved", _("迁出")
        INELIGIBLE = "ineligible", _("不再符合")
        REQUESTED = "requested", _("本人申请")

    person = models.ForeignKey(
        "people.Person",
        verbose_name=_("残疾人"),
        on_delete=models.PROTECT,
        related_name="subsidy_entitlements",
    )
    type = models.CharField(_("补贴类型"), max_length=10, choices=SubsidyType.choices)
    tier = models.CharField(_("档次"), max_length=10, choices=Tier.choices, default=Tier.NONE)
    start_month = models.DateField(_("起始月份"))
    end_month = models.DateField(_("终止月份"), null=True, blank=True)
    state = models.CharField(_("状态"), max_length=10, choices=State.choices, default=State.ACTIVE)
    end_reason = models.CharField(
        _("终止原因"), max_length=12, choices=EndReason.choices, blank=True
    )
    state_note = models.CharField(_("状态说明"), max_length=200, blank=True)
    paid_through = models.DateField(_("已发放至"), null=True, blank=True)
    application = models.ForeignKey(
        Application,
        verbose_name=_("申请"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="entitlements",
        db_index=False,  # imported entitlements have none: a partial index below
    )
    # What eligibility was confirmed against, for 年审 (yearly review).
    confirmed_household = models.CharField(_("核定时家庭类型"), max_length=10, blank=True)
    confirmed_category = models.PositiveSmallIntegerField(
        _("核定时残疾类别"), null=True, blank=True
    )
    confirmed_level = models.PositiveSmallIntegerField(_("核定时残疾等级"), null=True, blank=True)
    review_due = models.DateField(_("下次年审月份"), null=True, blank=True)
    last_reviewed_at = models.DateTimeField(_("上次年审时间"), null=True, blank=True)
    created_by = actor_field(_("创建人"), db_index=False)
    # The list's default order (town code, person name) as one indexed column: "<town code> <name>".
    # Kept in step by the services (entitlement_open, the people_changed receiver) and the roster
    # import; see entitlement_sort_key_sql.
    sort_key = models.CharField(_("排序键"), max_length=80, blank=True, default="", editable=False)
    # History is read per entitlement (by id); copies of the lookup indexes would slow imports.
    history = BulkHistoricalRecords(
        excluded_fields=["updated_at", "sort_key"],
        no_db_index=["person", "state", "application", "created_by"],
    )

    class Meta:
        verbose_name = _("补贴享受资格")
        verbose_name_plural = _("补贴享受资格")
        ordering = ["sort_key", "type", "pk"]
        permissions = [("review_entitlement", _("补贴年审"))]
        constraints = [
            models.UniqueConstraint(
                fields=["person", "type"],
                condition=~Q(state="ended"),
                name="entitlement_one_current_per_person_type",
                violation_error_message=_("该残疾人已享受同类补贴"),
            ),
            models.CheckConstraint(
                condition=Q(end_month__isnull=True) | Q(end_month__gte=models.F("start_month")),
                name="entitlement_end_after_start",
            ),
            models.CheckConstraint(
                condition=~Q(state="ended") | (Q(end_month__isnull=False) & ~Q(end_reason="")),
                name="entitlement_ended_has_month_and_reason",
            ),
        ]
        # Indexes are paid for on each row a roster import writes. Nearly every entitlement is
        # active, and an active one is found by a scan anyway, so the state index holds only
        # the others (suspended, ended); the creator has none.
        indexes = [
            # The list's default ordering (town code, name, type); a town filter is a range of
            # the key (see EntitlementFilter), a type filter is read off the index.
            models.Index(fields=["sort_key", "type", "id"], name="entitlement_sort_idx"),
            models.Index(
                fields=["state", "type", "tier"],
                condition=~Q(state="active"),
                name="entitlement_inactive_state_idx",
            ),
            models.Index(
                fields=["application"],
                condition=Q(application__isnull=False),
                name="entitlement_application_idx",
            ),
        ]

    @property
    def is_ended(self) -> bool:
        return self.state == self.State.ENDED

    @property
    def is_suspended(self) -> bool:
        return self.state == self.State.SUSPENDED

    def pipeline_town_id(self) -> int | None:
        return self.person.town_id if self.person_id else None

    def __str__(self) -> str:
        return f"{self.person} {subsidy_type_short(self.type)}"

    def clean(self) -> None:
        errors: dict[str, list] = {}
        _check_tier(self.type, self.tier, errors)
        for name in ("start_month", "end_month", "paid_through", "review_due"):
            _check_month(getattr(self, name), name, errors)
        if self.start_month and self.end_month and self.end_month < self.start_month:
            errors.setdefault("end_month", []).append(_("终止月份不能早于起始月份"))
        if self.state == self.State.ENDED and not (self.end_month and self.end_reason):
            errors.setdefault("end_reason", []).append(_("终止必须填写终止月份和原因"))
        if errors:
            raise ValidationError(errors)


def entitlement_sort_key(*, town_code: str, name: str) -> str:
    """The sort key of a person's entitlements: ``"<town code> <name>"``. A space sorts before
    every digit, so ordering by the key is ordering by (town code, name)."""
    return f"{town_code} {name}"
