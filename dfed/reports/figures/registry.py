"""Registry figures: people on the register at the end of the year."""

from django.utils.translation import gettext_lazy as _

from dfed.people.selectors import person_year_figures

from .base import Figure, FigureGroup, link


def registry_figures(year: int) -> FigureGroup:
    """People on the register on 31 December (still active, or left after the year), and those
    of them entered into the register during the year (never more than the register: people
    who entered and left within the year are not counted). Read from the registry's nightly
    year summary (``person_year_figures``)."""
    counts = person_year_figures(year=year)
    people = link("people:person-list")
    return FigureGroup(
        key="registry",
        title=_("残疾人名册"),
        figures=[
            Figure("people", _("年末在册持证残疾人"), counts["people"], _("人"), people),
            Figure(
                "severe",
                _("其中重度（一、二级）残疾人"),
                counts["severe"],
                _("人"),
                link("people:person-list", "level=1"),
            ),
            Figure("new", _("本年新增登记"), counts["new"], _("人"), people),
        ],
    )
