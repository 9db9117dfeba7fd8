"""The shapes of dashboard widgets and their registry.

A widget is a key, a title, a chart type and a function ``compute(filters, user) -> Table``.
The same table feeds the chart (drawn in the browser from JSON), the accessible table view and
the xlsx download, so the three always show the same figures. Every compute function reads
through a user-scoped query (``filters.town_ids(user)``).

Widgets live in one module per source (``people``, ``subsidies``, …) and register themselves
with :func:`widget`; ``dfed.reports.widgets`` imports them all.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

INT, MONEY, TEXT, PERCENT = "int", "money", "text", "percent"


class WidgetUnavailable(Exception):  # noqa: N818 - reads as a state, not an error
    """The data behind a widget is not in this installation yet."""


@dataclass
class Column:
    key: str
    label: str
    kind: str = INT  # int | money | text | percent

    def as_dict(self) -> dict:
        return {"key": self.key, "label": str(self.label), "kind": self.kind}


@dataclass
class Table:
    """A widget's figures: the first column labels the rows, the others hold values."""

    columns: list[Column]
    rows: list[list]
    note: str = ""
    totals: list | None = None

    def json_rows(self) -> list[list]:
        return [[_json_value(v) for v in row] for row in self.rows]


def _json_value(value):
    if isinstance(value, Decimal):
        return float(value)
    if value is None or isinstance(value, (int, float, str)):
        return value
    return str(value)


@dataclass
class Widget:
    key: str
    title: str
    compute: Callable
    chart: str = "bar"  # bar | stacked | line | pie | doughnut | table
    series: tuple[int, ...] = (1,)  # the value columns drawn in the chart
    permission: str | tuple[str, ...] | None = None  # needed beyond login (a tuple: any of)
    link: str = ""  # URL name of the list these figures count
    link_permission: str | None = None  # needed to open that list
    description: str = ""
    tags: tuple[str, ...] = field(default_factory=tuple)

    def visible_to(self, user) -> bool:
        if not user.is_authenticated:
            return False
        if not self.permission:
            return True
        perms = (self.permission,) if isinstance(self.permission, str) else self.permission
        return any(user.has_perm(p) for p in perms)

    def link_url(self, user) -> str:
        """The list behind the figures, when the user may open it."""
        if not self.link or (self.link_permission and not user.has_perm(self.link_permission)):
            return ""
        return reverse(self.link)

    def render(self, filters, user) -> dict:
        """The widget's JSON: figures plus what the browser needs to draw them."""
        data = {
            "key": self.key,
            "title": str(self.title),
            "chart": {"type": self.chart, "series": list(self.series)},
            "filters": filters.as_dict(),
        }
        try:
            table = self.compute(filters, user)
        except WidgetUnavailable as exc:
            return {**data, "available": False, "message": str(exc), "columns": [], "rows": []}
        return {
            **data,
            "available": True,
            "caption": f"{self.title}（{filters.label}）",
            "columns": [c.as_dict() for c in table.columns],
            "rows": table.json_rows(),
            "totals": [_json_value(v) for v in table.totals] if table.totals else None,
            "note": str(table.note),
        }


REGISTRY: dict[str, Widget] = {}


def widget(key: str, title, **options):
    """Decorator: register ``compute(filters, user) -> Table`` as the widget ``key``."""

    def register(compute):
        REGISTRY[key] = Widget(key=key, title=title, compute=compute, **options)
        return compute

    return register


NOT_AVAILABLE = _("该模块尚未上线，暂无数据")
