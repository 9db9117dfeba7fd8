from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _


class TimeStamped(models.Model):
    """Abstract base: when a row was created and last changed."""

    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        abstract = True


class StatusPipelineMixin:
    """A status pipeline declared on the model: ``TRANSITIONS = {Status.A: {Status.B}, …}``.

    ``transition_to`` moves to an allowed status or raises ``ValidationError`` naming both
    states; services call it under ``select_for_update`` and then save.
    """

    TRANSITIONS: dict = {}
    TRANSITION_ERROR = _("当前状态“%(from)s”不能变为“%(to)s”")

    def can_transition_to(self, status: str) -> bool:
        return status in self.TRANSITIONS.get(self.status, set())

    def transition_to(self, status: str) -> None:
        if not self.can_transition_to(status):
            raise ValidationError(
                self.TRANSITION_ERROR
                % {"from": self.get_status_display(), "to": self.Status(status).label},
                code="bad_transition",
            )
        self.status = status


def actor_field(verbose_name, *, db_index: bool = True) -> models.ForeignKey:
    """An optional "who did it" link to a user (审核人, 确认人 …): kept when the user goes.
    ``db_index=False`` on tables that bulk imports fill and nobody searches by that user."""
    return models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=verbose_name,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        db_index=db_index,
    )
