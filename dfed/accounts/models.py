from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _


class User(AbstractUser):
    """A portal user; caseworkers and town reviewers serve one or more towns."""

    display_name = models.CharField(_("姓名"), max_length=50, blank=True)
    phone = models.CharField(_("手机号"), max_length=20, blank=True)
    towns = models.ManyToManyField(
        "people.Area",
        verbose_name=_("所属镇街道"),
        blank=True,
        related_name="users",
        limit_choices_to={"level": "town"},
        help_text=_("经办人和乡镇审核人只能看到这些镇街道的数据"),
    )

    class Meta(AbstractUser.Meta):
        verbose_name = _("用户")
        verbose_name_plural = _("用户")
        permissions = [("view_all_towns", _("查看全区数据"))]

    def __str__(self) -> str:
        return self.display_name or self.username

    @property
    def role_names(self) -> list[str]:
        return [g.name for g in self.groups.all()]

    @property
    def role_labels(self) -> list[str]:
        """The user's roles in the current language (经办人 → Caseworker in English)."""
        from .roles import role_label

        return [role_label(name) for name in self.role_names]

    def has_role(self, *roles: str) -> bool:
        return self.is_superuser or self.groups.filter(name__in=roles).exists()
