from dataclasses import dataclass

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


@dataclass(frozen=True)
class PipelineAction:
    """A step a user can take on a status pipeline: its name (``submit``), the button's label,
    the status it moves to, the permission it needs, the URL name of the view that does it (one
    ``pk`` argument), and whether it asks for a comment or a confirmation."""

    name: str
    label: str
    to: str
    permission: str
    url_name: str
    comment: bool = False
    confirm: str = ""
    style: str = "primary"


class StatusPipelineMixin:
    """A status pipeline declared on the model: ``TRANSITIONS = {Status.A: {Status.B}, …}`` and
    the steps users take along it, ``ACTIONS = (PipelineAction(...), …)``.

    ``transition_to`` moves to an allowed status or raises ``ValidationError`` naming both
    states; services call it under ``select_for_update`` and then save. ``available_actions``
    is what pages offer: templates loop over it instead of testing the status themselves.
    """

    TRANSITIONS: dict = {}
    ACTIONS: tuple[PipelineAction, ...] = ()
    TRANSITION_ERROR = _("当前状态“%(from)s”不能变为“%(to)s”")

    def available_actions(self, user) -> list[PipelineAction]:
        """The actions ``user`` may take on this row now: the transition map allows the move from
        the current status and the user holds the action's permission. (Town scope is the
        selectors' job; rules beyond the map, such as "not your own assessment", stay in the
        services, which refuse with a message.)"""
        return [
            action
            for action in self.ACTIONS
            if self.can_transition_to(action.to) and user.has_perm(action.permission)
        ]

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
    return optional_link(settings.AUTH_USER_MODEL, verbose_name, db_index=db_index)


def optional_link(
    to,
    verbose_name,
    *,
    related_name: str = "+",
    db_index: bool = True,
    db_constraint: bool = True,
) -> models.ForeignKey:
    """An optional link that protects its target (``null``, ``blank``, ``on_delete=PROTECT``;
    no reverse accessor unless ``related_name`` names one). ``db_index=False`` where another
    index serves it; ``db_constraint=False`` where the writer takes the id from the very rows it
    joins and a per-row database check would cost more than the write (the ORM still protects)."""
    return models.ForeignKey(
        to,
        verbose_name=verbose_name,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name=related_name,
        db_index=db_index,
        db_constraint=db_constraint,
    )
