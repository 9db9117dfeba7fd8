"""Homes and the services they offer; the star labels."""

from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from dfed.core.models import TimeStamped
from dfed.core.validators import normalize_phone, validate_phone
from dfed.people.models import Area

STAR_LABELS = {1: _("一星"), 2: _("二星"), 3: _("三星"), 4: _("四星"), 5: _("五星")}
STAR_CHOICES = list(STAR_LABELS.items())
star_validators = [MinValueValidator(1), MaxValueValidator(5)]


# The catalogue of services a home may offer (code, name, order); migration homes 0002 created
# the same rows.
SERVICE_TYPES = [
    ("care", "生活照料", 1),
    ("rehab", "康复训练", 2),
    ("skills", "技能培训", 3),
    ("recreation", "文体活动", 4),
    ("work", "工疗/辅助性就业", 5),
]


class ServiceType(models.Model):
    """A kind of service a home offers (生活照料, 康复训练, …); rows created by a migration."""

    code = models.SlugField(_("代码"), max_length=20, unique=True)
    name = models.CharField(_("名称"), max_length=30)
    order = models.PositiveSmallIntegerField(_("排序"), default=0)

    class Meta:
        verbose_name = _("服务类型")
        verbose_name_plural = _("服务类型")
        ordering = ["order", "pk"]

    def __str__(self) -> str:
        return self.name


class HomeQuerySet(models.QuerySet):
    def open_on(self, day: date) -> "HomeQuerySet":
        """Homes open on ``day``: the one definition of an open home (see ``Home.is_open_on``)."""
        return self.filter(status=Home.Status.OPEN).filter(
            Q(opened_on__isnull=True) | Q(opened_on__lte=day)
        )


class Home(TimeStamped):
    """A 残疾人之家 day centre in one community."""

    class Operator(models.TextChoices):
        PUBLIC = "public", _("公办")
        ASSISTED = "assisted", _("民办公助")
        SOCIAL = "social", _("社会组织")

    class Status(models.TextChoices):
        OPEN = "open", _("运营中")
        PAUSED = "paused", _("暂停")
        CLOSED = "closed", _("关闭")

    STATUS_COLOURS = {Status.OPEN: "success", Status.PAUSED: "warning"}

    name = models.CharField(_("名称"), max_length=100)
    town = models.ForeignKey(
        Area,
        verbose_name=_("镇街道"),
        on_delete=models.PROTECT,
        related_name="town_homes",
        editable=False,
    )
    community = models.ForeignKey(
        Area,
        verbose_name=_("社区村"),
        on_delete=models.PROTECT,
        related_name="homes",
        limit_choices_to={"level": Area.Level.COMMUNITY},
    )
    address = models.CharField(_("地址"), max_length=200, blank=True)
    floor_area = models.DecimalField(
        _("建筑面积（㎡）"),
        max_digits=8,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0"))],
        null=True,
        blank=True,
    )
    opened_on = models.DateField(_("开办日期"), null=True, blank=True)
    operator = models.CharField(
        _("运营方式"), max_length=10, choices=Operator.choices, default=Operator.PUBLIC
    )
    capacity = models.PositiveIntegerField(_("可容纳人数"), default=0)
    services = models.ManyToManyField(
        ServiceType, verbose_name=_("提供服务"), related_name="homes", blank=True
    )
    contact_name = models.CharField(_("联系人"), max_length=50, blank=True)
    contact_phone = models.CharField(_("联系电话"), max_length=20, blank=True)
    status = models.CharField(
        _("状态"), max_length=10, choices=Status.choices, default=Status.OPEN, db_index=True
    )
    note = models.TextField(_("备注"), blank=True)
    history = HistoricalRecords(excluded_fields=["updated_at"])

    objects = HomeQuerySet.as_manager()

    class Meta:
        verbose_name = _("残疾人之家")
        verbose_name_plural = _("残疾人之家")
        ordering = ["town__code", "name", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["community", "name"], name="home_unique_name"),
        ]
        indexes = [models.Index(fields=["town", "status"])]

    def __str__(self) -> str:
        return self.name

    @property
    def is_open(self) -> bool:
        """运营中 now: members may join and attendance may be recorded."""
        return self.status == self.Status.OPEN

    @property
    def is_closed(self) -> bool:
        return self.status == self.Status.CLOSED

    def is_open_on(self, day: date) -> bool:
        """Open on ``day``: status 运营中 and opened by then (no opening date counts as opened)."""
        return self.status == self.Status.OPEN and (self.opened_on is None or self.opened_on <= day)

    def clean(self) -> None:
        errors: dict[str, list] = {}
        self.contact_phone = normalize_phone(self.contact_phone)
        if self.contact_phone:
            try:
                validate_phone(self.contact_phone)
            except ValidationError as exc:
                errors.setdefault("contact_phone", []).extend(exc.messages)
        if self.community_id:
            community = self.community
            if community.level != Area.Level.COMMUNITY or community.parent_id is None:
                errors.setdefault("community", []).append(_("请选择社区（村）"))
            else:
                self.town_id = community.parent_id
        if errors:
            raise ValidationError(errors)
