"""The figures of the annual work summary, gathered from each app by its own function.

``annual_figures(year)`` calls every function in :data:`SOURCES`; each returns one
:class:`FigureGroup` computed from the database for that calendar year (or, for the registry,
as of its last day). A source whose app has not landed yet returns a group marked
``available=False`` — the page and the document say so instead of printing made-up numbers.
"""

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from functools import partial
from importlib import import_module

from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _

NOT_AVAILABLE = _("该模块尚未上线，本项数据暂未纳入平台统计")
logger = logging.getLogger(__name__)


class _DistrictReader:
    """A stand-in user who sees the whole district, for domain selectors that take ``user``
    (the annual summary counts the district, whoever asks for it)."""

    is_authenticated = is_active = is_superuser = True
    pk = None

    def has_perm(self, perm, obj=None) -> bool:
        return True


DISTRICT_READER = _DistrictReader()
WAN = Decimal(10000)


def to_wan(yuan) -> Decimal:
    """Yuan → 万元 with one decimal (half up), the way the summary prints money."""
    return (Decimal(yuan or 0) / WAN).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def link(name: str, query: str = "", *args) -> str:
    """The URL of the list a figure counts, or "" when that list does not exist (yet)."""
    try:
        url = reverse(name, args=args)
    except NoReverseMatch:
        return ""
    return f"{url}?{query}" if query else url


@dataclass
class Figure:
    key: str
    label: str
    value: int | Decimal
    unit: str
    url: str = ""

    @property
    def display(self) -> str:
        if isinstance(self.value, Decimal):
            return f"{self.value:,.1f}"
        return f"{self.value:,}"

    def as_dict(self) -> dict:
        value = str(self.value) if isinstance(self.value, Decimal) else self.value
        return {"key": self.key, "label": str(self.label), "value": value, "unit": str(self.unit)}


@dataclass
class FigureGroup:
    key: str
    title: str
    figures: list[Figure] = field(default_factory=list)
    available: bool = True
    message: str = ""

    def __getitem__(self, key: str) -> Figure:
        for figure in self.figures:
            if figure.key == key:
                return figure
        raise KeyError(key)

    def value(self, key: str):
        return self[key].value

    def as_dict(self) -> dict:
        return {
            "key": self.key,
            "title": str(self.title),
            "available": self.available,
            "message": str(self.message),
            "figures": [f.as_dict() for f in self.figures],
        }


def unavailable(key: str, title) -> FigureGroup:
    return FigureGroup(key=key, title=title, available=False, message=NOT_AVAILABLE)


@dataclass
class AnnualFigures:
    year: int
    groups: list[FigureGroup]

    def __getitem__(self, key: str) -> FigureGroup:
        for group in self.groups:
            if group.key == key:
                return group
        raise KeyError(key)

    def available(self, key: str) -> bool:
        return any(g.key == key and g.available for g in self.groups)

    def as_dict(self) -> dict:
        return {"year": self.year, "groups": [g.as_dict() for g in self.groups]}


def year_bounds(year: int) -> tuple[date, date]:
    """The first day of the year and the first day of the next."""
    return date(year, 1, 1), date(year + 1, 1, 1)


# (module, function, group key, title): one function per source, in the document's order.
SOURCES = (
    ("registry", "registry_figures", "registry", _("残疾人名册")),
    ("subsidies", "subsidy_figures", "subsidies", _("两项补贴")),
    ("homes", "homes_figures", "homes", _("残疾人之家")),
    ("accessibility", "accessibility_figures", "accessibility", _("无障碍改造")),
    ("integrity", "integrity_figures", "integrity", _("党风廉政建设")),
    ("integrity", "sms_figures", "sms", _("节日廉政提醒短信")),
)


def _sources() -> list[Callable[[int], FigureGroup]]:
    """Each source's function; a source whose app (or model) is missing yields a group marked
    not available instead of failing the whole summary."""
    sources = []
    for module, function, key, title in SOURCES:
        try:
            sources.append(getattr(import_module(f"{__name__}.{module}"), function))
        except ImportError:
            logger.warning("annual figures: source %s not available", key, exc_info=True)
            sources.append(partial(_not_available, key, title))
    return sources


def _not_available(key: str, title, year: int) -> FigureGroup:
    return unavailable(key, title)


def annual_figures(year: int, *, progress: Callable[[int, str], None] | None = None):
    """Every figure of the year's summary, one group per source."""
    sources = _sources()
    groups = []
    for index, source in enumerate(sources):
        group = source(year)
        groups.append(group)
        if progress:
            progress(index + 1, len(sources), str(group.title))
    return AnnualFigures(year=year, groups=groups)
