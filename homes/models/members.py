"""Members of a home, the services it records and daily attendance."""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from dfed.core.models import TimeStamped
from dfed.people.models import Person

from .homes import Home, ServiceType


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
