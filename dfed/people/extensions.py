"""Extension points the registry offers to the apps above it, filled in each app's
``AppConfig.ready()`` so that ``dfed.people`` never imports them (the way ``django.contrib.admin``
lets apps register themselves).

- Demo steps: ``load_demo`` loads the registry's own demo data, then runs every registered step
  in registration order (the order of ``INSTALLED_APPS``).
- Person page panels: subsidies, homes and accessibility each show what they hold about a person
  (``person_panel_register``); the person page renders ``person_panels_for(person=, user=)``.
"""

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class DemoStep:
    """An app's demo loader: ``load(stdout=...)`` adds its rows, idempotently."""

    app: str
    load: Callable[..., None]


_DEMO_STEPS: dict[str, DemoStep] = {}


def demo_step_register(*, app: str, load: Callable[..., None]) -> None:
    """Register ``load(*, stdout=None)`` as the demo step of ``app`` (a second call replaces it)."""
    _DEMO_STEPS[app] = DemoStep(app=app, load=load)


def demo_steps() -> list[DemoStep]:
    """The registered demo steps, in registration order."""
    return list(_DEMO_STEPS.values())


# --- person page panels --------------------------------------------------------------------------


@dataclass(frozen=True)
class PersonPanel:
    """A domain app's panel on the person page.

    ``context(person=..., user=...)`` returns the template's context (read through the app's own
    scoped selectors, identifiers masked), or ``None`` to leave the panel out for this person.
    ``permission`` is the permission a user needs to see the panel at all.
    """

    app: str
    order: int
    title: str
    template: str
    permission: str
    context: Callable[..., dict | None]


_PERSON_PANELS: dict[str, PersonPanel] = {}


def person_panel_register(
    *,
    app: str,
    order: int,
    title: str,
    template: str,
    permission: str,
    context: Callable[..., dict | None],
) -> None:
    """Register ``app``'s panel on the person page (a second call replaces it). Panels show in
    ascending ``order``."""
    _PERSON_PANELS[app] = PersonPanel(
        app=app, order=order, title=title, template=template, permission=permission, context=context
    )


def person_panels() -> list[PersonPanel]:
    """The registered panels, by ``order``."""
    return sorted(_PERSON_PANELS.values(), key=lambda panel: (panel.order, panel.app))


def person_panels_for(*, person, user) -> list[tuple[PersonPanel, dict]]:
    """``[(panel, context), ...]`` of the panels ``user`` may see for ``person``, by ``order``.

    A panel needs ``user.has_perm(panel.permission)``; its ``context`` may return ``None`` to
    stay hidden. ``context`` gets the person the user already may see (the caller's scoped read).
    """
    shown = []
    for panel in person_panels():
        if not user.has_perm(panel.permission):
            continue
        context = panel.context(person=person, user=user)
        if context is not None:
            shown.append((panel, context))
    return shown
