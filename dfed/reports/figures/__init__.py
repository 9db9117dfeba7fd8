"""The figures of the annual work summary, gathered from each app through its selectors.

``annual_figures(year)`` calls every function in :data:`SOURCES` (explicitly imported: a source
that fails to import fails the summary, loudly); each returns one :class:`FigureGroup` computed
from the database for that calendar year (or, for the registry, as of its last day).
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from .accessibility import accessibility_figures
from .base import (
    NOT_AVAILABLE,
    AnnualFigures,
    Figure,
    FigureGroup,
    link,
    to_wan,
    unavailable,
    year_bounds,
)
from .homes import homes_figures
from .integrity import integrity_figures, sms_figures
from .registry import registry_figures
from .subsidies import subsidy_figures

# One function per source, in the document's order.
SOURCES: tuple[Callable[[int], FigureGroup], ...] = (
    registry_figures,
    subsidy_figures,
    homes_figures,
    accessibility_figures,
    integrity_figures,
    sms_figures,
)


@dataclass(frozen=True)
class SummaryPart:
    """One part of the annual work summary: a title and the figure groups it reports."""

    key: str
    title: str
    groups: tuple[str, ...]


# The summary covers the federation's whole year; 党风廉政建设 is one part of it. The page and the
# Word document (summary_docx) both follow this order.
SUMMARY_PARTS: tuple[SummaryPart, ...] = (
    SummaryPart("people", _("残疾人基本情况"), ("registry",)),
    SummaryPart("subsidies", _("两项补贴"), ("subsidies",)),
    SummaryPart("homes", _("残疾人之家"), ("homes",)),
    SummaryPart("accessibility", _("无障碍改造"), ("accessibility",)),
    SummaryPart("integrity", _("党风廉政建设"), ("integrity", "sms")),
)


def summary_parts(figures) -> list[tuple[SummaryPart, list]]:
    """(part, its figure groups) in :data:`SUMMARY_PARTS`' order, for the page."""
    return [(part, [figures[key] for key in part.groups]) for part in SUMMARY_PARTS]


def annual_figures(year: int, *, progress: Callable[[int, int, str], None] | None = None):
    """Every figure of the year's summary (:class:`AnnualFigures`), one group per source.

    ``progress(done, total, title)`` is called after each source. Raises whatever a source
    raises (a database error, a missing selector): the summary is never silently partial.
    """
    groups = []
    for index, source in enumerate(SOURCES):
        group = source(year)
        groups.append(group)
        if progress:
            progress(index + 1, len(SOURCES), str(group.title))
    return AnnualFigures(year=year, groups=groups)


__all__ = [
    "NOT_AVAILABLE",
    "SOURCES",
    "SUMMARY_PARTS",
    "SummaryPart",
    "AnnualFigures",
    "Figure",
    "FigureGroup",
    "annual_figures",
    "link",
    "summary_parts",
    "to_wan",
    "unavailable",
    "year_bounds",
]
