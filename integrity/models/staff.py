"""The federation's departments (科室) and staff, with their posts."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from dfed.core.models import TimeStamped
from dfed.core.validators import normalize_phone, validate_mobile


class Department(models.Model):
    """A 科室 of the federation."""

    name = models.CharField(_("名称"), max_length=50, unique=True)
    order = models.PositiveSmallIntegerField(_("排序"), default=0)

    class Meta:
        verbose_name = _("科室")
        verbose_name_plural = _("科室")
        ordering = ["order", "name"]

    def __str__(self) -> str:
        return self.name


class Staff(TimeStamped):
    """A member of the federation's staff, with post and phone."""

    class Post(models.TextChoices):
        SECRETARY = "secretary", _("党组书记/主要负责人")
        DEPUTY = "deputy", _("分管领导")
        HEAD = "head", _("科室负责人")
        STAFF = "staff", _("工作人员")

    LEADER_POSTS = (Post.SECRETARY, Post.DEPUTY)

    name = models.CharField(_("姓名"), max_length=50)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("平台账号"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="staff_profile",
    )
    department = models.ForeignKey(
        Department, verbose_name=_("科室"), null=True, blank=True, on_delete=models.PROTECT
    )
    post = models.CharField(_("职务"), max_length=10, choices=Post.choices, default=Post.STAFF)
    supervisor = models.ForeignKey(
        "self",
        verbose_name=_("上级（签责任书的一方）"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="subordinates",
    )
    phone = models.CharField(_("手机号"), max_length=11, blank=True, validators=[validate_mobile])
    active = models.BooleanField(_("在职"), default=True)

    class Meta:
        verbose_name = _("工作人员")
        verbose_name_plural = _("工作人员")
        ordering = ["department__order", "post", "name"]

    def __str__(self) -> str:
        return self.name

    def clean(self):
        self.phone = normalize_phone(self.phone)

    @property
    def is_leader(self) -> bool:
        return self.post in self.LEADER_POSTS
