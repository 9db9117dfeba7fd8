"""The dashboard widgets: one module per source (``people``, ``subsidies``, …), each
registering its widgets with :func:`widget` when imported. They are imported here, explicitly,
so a widget module that fails to import fails the dashboard loudly.
"""

from . import accessibility, admin, homes, integrity, people, subsidies, work  # noqa: F401
from .base import (
    INT,
    MONEY,
    NOT_AVAILABLE,
    PERCENT,
    REGISTRY,
    TEXT,
    Column,
    Table,
    Widget,
    WidgetUnavailable,
    widget,
)


def load_widgets() -> dict[str, Widget]:
    """Every registered widget by key (the modules above registered them on import)."""
    return REGISTRY


def get_widget(key: str) -> Widget | None:
    return REGISTRY.get(key)


__all__ = [
    "INT",
    "MONEY",
    "NOT_AVAILABLE",
    "PERCENT",
    "REGISTRY",
    "TEXT",
    "Column",
    "Table",
    "Widget",
    "WidgetUnavailable",
    "get_widget",
    "load_widgets",
    "widget",
]
