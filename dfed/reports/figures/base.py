"""The shapes of the annual summary's figures (a figure, a group per source, the year) and the
helpers the sources share."""

from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _

NOT_AVAILABLE = _("该模块尚未上线，本项数据暂未纳入平台统计")


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
