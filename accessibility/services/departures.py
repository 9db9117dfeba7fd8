"""Retrofit projects when the household's person leaves the registry (死亡/迁出)."""

from datetime import date

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from dfed.people.models import Person

from ..models import (
    ProjectStep,
    RetrofitProject,
)
from .projects import (
    Action,
    Status,
    _move,
)

# --- The household leaves the registry (死亡/迁出) -----------------------------------------------


def _left_registry_note(person: Person, status: str, on: date | None) -> str:
    return _("%(name)s 于 %(on)s 登记为“%(status)s”") % {
        "name": person.name,
        "on": on.isoformat() if on else _("（日期未填）"),
        "status": Person.Status(status).label,
    }


@transaction.atomic
def project_close_for_person(
    *, person: Person, status: str, on: date | None, by=None
) -> tuple[list[RetrofitProject], list[RetrofitProject]]:
    """The household's person left the registry: end what has not reached 施工, flag the rest.

    Open projects still before 施工 (申请/入户评估/审批, or returned from those) become 已终止 with
    the reason; projects in 施工 or 验收 (or returned from 验收) stay open — money is committed
    and work may be done — and get a timeline entry so the reviewer decides. Both are recorded
    as done by ``by``, the user who changed the person's status; no accessibility permission is
    needed, this is a consequence of the registry change. Returns (terminated, flagged).
    """
    note = _left_registry_note(person, status, on)
    terminated, flagged = [], []
    projects = (
        RetrofitProject.objects.select_for_update()
        .filter(person=person)
        .exclude(status__in=RetrofitProject.CLOSED)
        .order_by("year", "pk")
    )
    for project in projects:
        if project.before_construction:
            project.closed_reason = _("%(note)s，尚未施工的改造项目终止") % {"note": note}
            project.closed_at = timezone.now()
            project.returned_from = ""
            terminated.append(
                _move(
                    project,
                    Status.TERMINATED,
                    by=by,
                    action=Action.TERMINATE,
                    comment=project.closed_reason,
                    fields=["closed_reason", "closed_at", "returned_from"],
                )
            )
        else:
            ProjectStep.objects.create(
                project=project,
                action=Action.REGISTRY_FLAG,
                from_status=project.status,
                to_status=project.status,
                by=by,
                comment=_(
                    "%(note)s。项目已进入%(stage)s，未自动终止，请审核人核实后决定是否继续验收"
                )
                % {"note": note, "stage": Status(project.status).label},
            )
            flagged.append(project)
    return terminated, flagged


def on_person_left_registry(sender, *, person, status, on, by=None, **kwargs) -> None:
    """Receiver of ``dfed.people.signals.person_left_registry`` (inside its transaction)."""
    project_close_for_person(person=person, status=status, on=on, by=by)
