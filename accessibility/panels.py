"""The retrofit panel on the person page (registered in ``AccessibilityConfig.ready()``)."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from dfed.people.models import Person

from .selectors import project_list_visible_to

PERMISSION = "accessibility.view_retrofitproject"


def person_panel_context(*, person: Person, user) -> dict:
    """The person's retrofit projects that ``user`` may see, newest year first:
    ``{"projects", "action_url", "action_label"}`` (amounts in 元)."""
    projects = list(project_list_visible_to(user).filter(person=person).order_by("-year", "-pk"))
    context = {"projects": projects}
    if user.has_perm("accessibility.add_retrofitproject") and person.status == Person.Status.ACTIVE:
        context["action_url"] = f"{reverse('accessibility:project-create')}?person={person.pk}"
        context["action_label"] = _("申请改造")
    return context
