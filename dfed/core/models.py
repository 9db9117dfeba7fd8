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
    ``pk`` argument), and whether it asks for a comment or a confirmation.

    ``sources``, when given, are the only statuses the step is offered from (a step whose
    target the map reaches from several states, such as a re-export); ``to=""`` is a step that
    leaves the status as it is or lets the service choose it (reopen after a return), and then
    ``sources`` alone decides. ``form=True``: the URL is a page with a form (a link, GET), not a
    button that posts; ``on_rows=True``: a step taken line by line (a payment of a batch), which
    the page offers on each line and ``{% pipeline_actions %}`` leaves out."""

    name: str
    label: str
    to: str
    permission: str
    url_name: str
    comment: bool = False
    confirm: str = ""
    style: str = "primary"
    sources: tuple = ()
    form: bool = False
    url_takes_name: bool = False
    on_rows: bool = False  # done on each of the row's lines (its own URL per line), not a button
    comment_label: str = ""  # the comment box's label, when ``comment`` (default 意见)

    def url(self, obj) -> str:
        """The URL of this step for ``obj``: ``url_name`` with ``obj.pk`` (and the action's
        name when ``url_takes_name``, for one view serving several steps)."""
        from django.urls import reverse

        args = [obj.pk, self.name] if self.url_takes_name else [obj.pk]
        return reverse(self.url_name, args=args)


class StatusPipelineMixin:
    """A status pipeline declared on the model: ``TRANSITIONS = {Status.A: {Status.B}, …}`` and
    the steps users take along it, ``ACTIONS = (PipelineAction(...), …)``.

    ``transition_to`` moves to an allowed status or raises ``ValidationError`` naming both
    states; services call it under ``select_for_update`` and then save. ``available_actions``
    is what pages offer and ``action_check`` is what action views accept: one decision, from
    the map, the action's permission and the row's town (``pipeline_town_id``). Templates loop
    over ``available_actions`` instead of testing the status themselves.
    """

    TRANSITIONS: dict = {}
    ACTIONS: tuple[PipelineAction, ...] = ()
    STATUS_FIELD = "status"  # the field the map is about (``state`` on an entitlement)
    # Bootstrap colour of each status's badge (``{{ obj|status_colour }}``); others: secondary.
    STATUS_COLOURS: dict = {}
    TRANSITION_ERROR = _("当前状态“%(from)s”不能变为“%(to)s”")
    ACTION_ERROR = _("当前状态“%(from)s”不能办理“%(action)s”")

    @property
    def pipeline_status(self) -> str:
        return getattr(self, self.STATUS_FIELD)

    def pipeline_status_label(self, value: str | None = None) -> str:
        """The display label of ``value`` (default: the current status)."""
        value = self.pipeline_status if value is None else value
        field = self._meta.get_field(self.STATUS_FIELD)
        return str(dict(field.flatchoices).get(value, value))

    def pipeline_town_id(self) -> int | None:
        """The town (``Area`` id) whose staff may act on this row, or ``None`` when the row
        belongs to the whole district. Models with a town override this."""
        return None

    def action_allowed_now(self, action: PipelineAction) -> bool:
        """Whether the status allows ``action`` (its ``sources`` and the transition map)."""
        if action.sources and self.pipeline_status not in action.sources:
            return False
        return not action.to or self.can_transition_to(action.to)

    def user_may_act(self, user, action: PipelineAction) -> bool:
        """Whether ``user`` holds ``action``'s permission and sees the row's town."""
        from .scoping import user_town_ids

        if user is None or not user.has_perm(action.permission):
            return False
        town_id = self.pipeline_town_id()
        if town_id is None:
            return True
        towns = user_town_ids(user)
        return towns is None or town_id in towns

    def available_actions(self, user) -> list[PipelineAction]:
        """The actions ``user`` may take on this row now: the status allows the step (transition
        map, ``sources``), the user holds the action's permission and sees the row's town.
        (Rules beyond these, such as "not your own assessment", stay in the services, which
        refuse with a message.)"""
        return [
            action
            for action in self.ACTIONS
            if self.action_allowed_now(action) and self.user_may_act(user, action)
        ]

    def action_check(self, user, name: str) -> PipelineAction:
        """The action ``name`` if ``available_actions(user)`` offers it now; action views call
        this before the service, so a page and its view decide the same way. (A name may be
        declared more than once, with different sources and permissions.)

        Raises: ``KeyError`` if no action ``name`` is declared; ``PermissionDenied`` if the
        user lacks its permission or the row's town; ``ValidationError`` (code
        ``bad_transition``) if the status does not allow it."""
        from django.core.exceptions import PermissionDenied

        declared = [a for a in self.ACTIONS if a.name == name]
        if not declared:
            raise KeyError(name)
        if not any(self.user_may_act(user, a) for a in declared):
            raise PermissionDenied
        now = [a for a in declared if self.action_allowed_now(a)]
        if not now:
            raise ValidationError(
                self.ACTION_ERROR
                % {"from": self.pipeline_status_label(), "action": declared[0].label},
                code="bad_transition",
            )
        for action in now:
            if self.user_may_act(user, action):
                return action
        raise PermissionDenied

    def can_transition_to(self, status: str) -> bool:
        return status in self.TRANSITIONS.get(self.pipeline_status, set())

    def transition_to(self, status: str) -> None:
        """Set ``status`` (not saved). Raises: ``ValidationError`` (code ``bad_transition``) if
        the transition map does not allow the move from the current status."""
        if not self.can_transition_to(status):
            raise ValidationError(
                self.TRANSITION_ERROR
                % {"from": self.pipeline_status_label(), "to": self.pipeline_status_label(status)},
                code="bad_transition",
            )
        setattr(self, self.STATUS_FIELD, status)


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
