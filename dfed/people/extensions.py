"""Extension points the registry offers to the apps above it, filled in each app's
``AppConfig.ready()`` so that ``dfed.people`` never imports them (the way ``django.contrib.admin``
lets apps register themselves).

- Demo steps: ``load_demo`` loads the registry's own demo data, then runs every registered step
  in registration order (the order of ``INSTALLED_APPS``).
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
