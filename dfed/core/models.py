from django.db import models
from django.utils.translation import gettext_lazy as _


class TimeStamped(models.Model):
    """Abstract base: when a row was created and last changed."""

    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        abstract = True
