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
                                   run=recipient_import, pages=True,
                                   permission="subsidies.add_entitlement",
                                   spec=RECIPIENT_SPEC, template=recipient_template,
                                   options_form=PaidThroughForm))

An importer with ``pages=True`` gets the engine's upload → preview → confirm pages under
``/imports/<key>/`` (``dfed.imports.views``): the upload page offers ``template()`` (the .xlsx
bytes: header, one example row, drop-down lists) and lists ``spec``'s columns; the
``options_form`` (an ``ImportOptionsForm``) adds the importer's own fields to the upload and
confirm forms and turns them into the job's options. Importers without pages (external lists,
bank return files) are run from their own apps' pages.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

_IMPORTERS: dict[str, "Importer"] = {}


@dataclass(frozen=True)
class Importer:
    key: str  # stored on the job; letters, digits and underscores
    label: str  # what the admin sees (a lazy translation)
    run: Callable  # see the module docstring
    pages: bool = False  # served by the engine's upload → preview → confirm pages
    # The permission a user needs (besides being staff or 管理员) to use its pages.
    permission: str = ""
    spec: Any = None  # the ImportSpec whose columns the upload page lists
    template: Callable[[], bytes] | None = None  # the downloadable template workbook
    options_form: type | None = None  # an ImportOptionsForm subclass, or None
    description: str = ""  # a sentence under the upload page's title


def importer_register(importer: Importer) -> None:
    """Register ``importer``; registering another one under the same key is a mistake."""
    existing = _IMPORTERS.get(importer.key)
    if existing is not None and existing.run is not importer.run:
        raise ValueError(f"importer {importer.key!r} is already registered")
    _IMPORTERS[importer.key] = importer


def importer_get(key: str) -> Importer:
    """The importer registered under ``key``; raises ``KeyError`` for an unknown key."""
    return _IMPORTERS[key]


def importer_list(*, pages: bool | None = None) -> list[Importer]:
    """The registered importers (only those with or without pages when ``pages`` is given)."""
    return [i for i in _IMPORTERS.values() if pages is None or i.pages == pages]
