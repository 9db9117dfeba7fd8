"""The importers the engine can run, registered explicitly by the apps that own the data.

An importer is a function ``(*, source, filename, by, dry_run, progress, **options) ->
ImportReport``: ``source`` a path or bytes, ``progress(fraction, message)``, all-or-nothing
(any row error or a dry run → nothing written). The job record stores the importer's key, never
a dotted path, so the task can only run what an app registered::

    # subsidies/apps.py
    def ready(self):
        from dfed.imports.registry import Importer, importer_register
        from .importing import recipient_import
        importer_register(Importer(key="recipients", label=_("补贴对象花名册"),
                                   run=recipient_import))
"""

from collections.abc import Callable
from dataclasses import dataclass

_IMPORTERS: dict[str, "Importer"] = {}


@dataclass(frozen=True)
class Importer:
    key: str  # stored on the job; letters, digits and underscores
    label: str  # what the admin sees (a lazy translation)
    run: Callable  # see the module docstring


def importer_register(importer: Importer) -> None:
    """Register ``importer``; registering another one under the same key is a mistake."""
    existing = _IMPORTERS.get(importer.key)
    if existing is not None and existing.run is not importer.run:
        raise ValueError(f"importer {importer.key!r} is already registered")
    _IMPORTERS[importer.key] = importer


def importer_get(key: str) -> Importer:
    """The importer registered under ``key``; raises ``KeyError`` for an unknown key."""
    return _IMPORTERS[key]


def importer_list() -> list[Importer]:
    return list(_IMPORTERS.values())
