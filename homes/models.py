"""残疾人之家: day centres, their yearly star assessments, members, services and attendance.

The star rules (score-sheet items, maxima, mandatory items that cap the level, thresholds) are
rows of :class:`StarAssessmentTemplate` per year, edited by admins; code only applies them.
"""

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from dfed.core.models import StatusPipelineMixin, TimeStamped, actor_field
from dfed.core.validators import normalize_phone, validate_phone
from dfed.people.models import Area, Person

STAR_LABELS = {1: _("一星"), 2: _("二星"), 3: _("三星"), 4: _("四星"), 5: _("五星")}
STAR_CHOICES = list(STAR_LABELS.items())
star_validators = [MinValueValidator(1), MaxValueValidator(5)]


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


class StarAssessmentTemplate(models.Model):
    """The score sheet and the star thresholds in force for one year."""

    year = models.PositiveSmallIntegerField(_("年度"), unique=True)
    five_star_min = models.DecimalField(_("五星最低分"), max_digits=5, decimal_places=1, default=90)
    four_star_min = models.DecimalField(_("四星最低分"), max_digits=5, decimal_places=1, default=80)
    three_star_min = models.DecimalField(
        _("三星最低分"), max_digits=5, decimal_places=1, default=70
    )
    two_star_min = models.DecimalField(_("二星最低分"), max_digits=5, decimal_places=1, default=60)
    note = models.TextField(_("说明"), blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("星级评定标准")
        verbose_name_plural = _("星级评定标准")
        ordering = ["-year"]

    def __str__(self) -> str:
        return _("%(y)d年度星级评定标准") % {"y": self.year}

    def thresholds(self) -> list[tuple[int, Decimal]]:
        """(star level, minimum total) from five stars down to two."""
        return [
            (5, self.five_star_min),
            (4, self.four_star_min),
            (3, self.three_star_min),
            (2, self.two_star_min),
        ]

    def clean(self) -> None:
        values = [v for _level, v in self.thresholds()]
        if any(v is None for v in values):
            return
        if any(a <= b for a, b in zip(values, values[1:], strict=False)):
            raise ValidationError(_("星级最低分必须从五星到二星依次递减"))


class TemplateItem(models.Model):
    """One line of the score sheet; a mandatory item caps the star level when failed."""

    class Section(models.TextChoices):
        FACILITIES = "facilities", _("设施环境")
        STAFFING = "staffing", _("人员配备")
        SERVICES = "services", _("服务内容")
        MANAGEMENT = "management", _("规范管理")
        SATISFACTION = "satisfaction", _("服务对象满意度")

    template = models.ForeignKey(
        StarAssessmentTemplate,
        verbose_name=_("评定标准"),
        on_delete=models.CASCADE,
        related_name="items",
    )
    section = models.CharField(_("板块"), max_length=20, choices=Section.choices)
    order = models.PositiveSmallIntegerField(_("序号"), default=0)
    title = models.CharField(_("评分项目"), max_length=200)
    max_points = models.DecimalField(
        _("分值"), max_digits=5, decimal_places=1, validators=[MinValueValidator(Decimal("0.5"))]
    )
    cap_level = models.PositiveSmallIntegerField(
        _("未达标时最高星级"),
        choices=STAR_CHOICES,
        null=True,
        blank=True,
        help_text=_("填写即为必备项：得分低于达标分时，星级最高为此级"),
    )
    pass_points = models.DecimalField(
        _("达标分"),
        max_digits=5,
        decimal_places=1,
        null=True,
        blank=True,
        help_text=_("必备项的达标分，留空表示须得满分"),
    )

    class Meta:
        verbose_name = _("评分项目")
        verbose_name_plural = _("评分项目")
        ordering = ["template", "order", "pk"]

    def __str__(self) -> str:
        return self.title

    @property
    def is_mandatory(self) -> bool:
        return self.cap_level is not None

    @property
    def required_points(self) -> Decimal:
        return self.pass_points if self.pass_points is not None else self.max_points

    def clean(self) -> None:
        if (
            self.pass_points is not None
            and self.max_points is not None
            and self.pass_points > self.max_points
        ):
            raise ValidationError({"pass_points": _("达标分不能高于分值")})


class StarAssessment(StatusPipelineMixin, TimeStamped):
    """The star assessment of one home for one year."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("草稿")
        SUBMITTED = "submitted", _("已提交")
        APPROVED = "approved", _("已审定")
        RETURNED = "returned", _("退回")

    TRANSITION_ERROR = _("当前状态“%(from)s”不能变更为“%(to)s”")
    TRANSITIONS = {
        Status.DRAFT: {Status.SUBMITTED},
        Status.SUBMITTED: {Status.APPROVED, Status.RETURNED},
        Status.RETURNED: {Status.SUBMITTED},
        Status.APPROVED: set(),
    }
    EDITABLE = {Status.DRAFT, Status.RETURNED}

    home = models.ForeignKey(
        Home, verbose_name=_("残疾人之家"), on_delete=models.PROTECT, related_name="assessments"
    )
    year = models.PositiveSmallIntegerField(_("年度"))
    template = models.ForeignKey(
        StarAssessmentTemplate,
        verbose_name=_("评定标准"),
        on_delete=models.PROTECT,
        related_name="assessments",
    )
    assessors = models.CharField(_("评定人员"), max_length=200, blank=True)
    status = models.CharField(
        _("状态"), max_length=10, choices=Status.choices, default=Status.DRAFT, db_index=True
    )
    total = models.DecimalField(_("总分"), max_digits=6, decimal_places=1, default=0)
    star_level = models.PositiveSmallIntegerField(
        _("星级"), choices=STAR_CHOICES, null=True, blank=True
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("评定人"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    scored_by = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name=_("评分人"), related_name="+", blank=True
    )
    submitted_by = actor_field(_("提交人"))
    submitted_at = models.DateTimeField(_("提交时间"), null=True, blank=True)
    decided_by = actor_field(_("审定人"))
    decided_at = models.DateTimeField(_("审定时间"), null=True, blank=True)
    return_comment = models.TextField(_("退回意见"), blank=True)
    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        verbose_name = _("星级评定")
        verbose_name_plural = _("星级评定")
        ordering = ["-year", "home__town__code", "home__name"]
        permissions = [("approve_starassessment", _("审定星级评定"))]
        constraints = [
            models.UniqueConstraint(fields=["home", "year"], name="assessment_one_per_home_year"),
            models.CheckConstraint(
                condition=~models.Q(status="approved") | models.Q(star_level__isnull=False),
                name="assessment_approved_has_level",
            ),
        ]
        indexes = [models.Index(fields=["home", "status", "year"])]

    def __str__(self) -> str:
        return f"{self.home} {self.year}"

    @property
    def is_editable(self) -> bool:
        return self.status in self.EDITABLE

    def is_assessed_by(self, user) -> bool:
        """Whether ``user`` created, scored or submitted this sheet (and so may not approve it)."""
        if user.pk in (self.created_by_id, self.submitted_by_id):
            return True
        return self.scored_by.filter(pk=user.pk).exists()


class ItemScore(models.Model):
    """The score given for one template item in one assessment."""

    assessment = models.ForeignKey(
        StarAssessment, verbose_name=_("星级评定"), on_delete=models.CASCADE, related_name="scores"
    )
    item = models.ForeignKey(
        TemplateItem, verbose_name=_("评分项目"), on_delete=models.PROTECT, related_name="+"
    )
    score = models.DecimalField(
        _("得分"),
        max_digits=5,
        decimal_places=1,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0"))],
    )
    remark = models.CharField(_("扣分说明"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("项目得分")
        verbose_name_plural = _("项目得分")
        ordering = ["item__order", "item_id"]
        constraints = [
            models.UniqueConstraint(fields=["assessment", "item"], name="itemscore_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.item}: {self.score}"


class Membership(TimeStamped):
    """A person's membership of a home; at most one home at a time."""

    home = models.ForeignKey(
        Home, verbose_name=_("残疾人之家"), on_delete=models.PROTECT, related_name="memberships"
    )
    person = models.ForeignKey(
        Person, verbose_name=_("成员"), on_delete=models.PROTECT, related_name="home_memberships"
    )
    joined_on = models.DateField(_("加入日期"))
    left_on = models.DateField(_("退出日期"), null=True, blank=True)
    leave_reason = models.CharField(_("退出原因"), max_length=200, blank=True)
    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        verbose_name = _("成员")
        verbose_name_plural = _("成员")
        ordering = ["-joined_on", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["person"],
                condition=models.Q(left_on__isnull=True),
                name="membership_one_open_per_person",
                violation_error_message=_("该人员已是其他残疾人之家的成员"),
            ),
            models.CheckConstraint(
                condition=models.Q(left_on__isnull=True)
                | models.Q(left_on__gte=models.F("joined_on")),
                name="membership_left_after_joined",
            ),
        ]
        indexes = [models.Index(fields=["home", "left_on"])]

    def __str__(self) -> str:
        return f"{self.person} @ {self.home}"


class ServiceRecord(TimeStamped):
    """One service session given at a home, with the members who took part."""

    home = models.ForeignKey(
        Home, verbose_name=_("残疾人之家"), on_delete=models.PROTECT, related_name="service_records"
    )
    date = models.DateField(_("日期"))
    service_type = models.ForeignKey(
        ServiceType, verbose_name=_("服务类型"), on_delete=models.PROTECT, related_name="records"
    )
    hours = models.DecimalField(
        _("时长（小时）"),
        max_digits=5,
        decimal_places=1,
        validators=[MinValueValidator(Decimal("0.5")), MaxValueValidator(Decimal("24"))],
    )
    staff = models.CharField(_("服务人员"), max_length=100, blank=True)
    attendees = models.ManyToManyField(
        Person, verbose_name=_("参加成员"), related_name="home_services", blank=True
    )
    note = models.CharField(_("备注"), max_length=200, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("记录人"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
    )

    class Meta:
        verbose_name = _("服务记录")
        verbose_name_plural = _("服务记录")
        ordering = ["-date", "-pk"]
        indexes = [models.Index(fields=["home", "date"])]

    def __str__(self) -> str:
        return f"{self.home} {self.date} {self.service_type}"


class Attendance(models.Model):
    """A member present at a home on a day (a row means present)."""

    home = models.ForeignKey(
        Home, verbose_name=_("残疾人之家"), on_delete=models.PROTECT, related_name="attendance"
    )
    person = models.ForeignKey(
        Person, verbose_name=_("成员"), on_delete=models.PROTECT, related_name="home_attendance"
    )
    date = models.DateField(_("日期"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("记录人"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
    )
    recorded_at = models.DateTimeField(_("记录时间"), auto_now=True)

    class Meta:
        verbose_name = _("出勤")
        verbose_name_plural = _("出勤")
        ordering = ["-date", "person__name"]
        constraints = [
            models.UniqueConstraint(fields=["person", "date"], name="attendance_one_per_day"),
        ]
        indexes = [models.Index(fields=["home", "date"])]

    def __str__(self) -> str:
        return f"{self.person} {self.date}"
