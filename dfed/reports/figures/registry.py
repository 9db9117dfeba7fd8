"""Registry figures: people on the register at the end of the year."""

from django.db.models import Count, Q
from django.utils.translation import gettext_lazy as _

from dfed.people.models import Person

from .base import Figure, FigureGroup, link, year_bounds


def registry_figures(year: int) -> FigureGroup:
    """People on the register on 31 December (still active, or left after the year), and the
    people registered during the year."""
    start, end = year_bounds(year)
    on_register = Person.objects.filter(created_at__date__lt=end).filter(
        Q(status=Person.Status.ACTIVE) | Q(status_date__gte=end)
    )
    counts = on_register.aggregate(
        total=Count("pk"), severe=Count("pk", filter=Q(level__in=[1, 2]))
    )
    new = Person.objects.filter(created_at__date__gte=start, created_at__date__lt=end).count()
    people = link("people:person-list")
    return FigureGroup(
        key="registry",
        title=_("残疾人名册"),
        figures=[
            Figure("people", _("年末在册持证残疾人"), counts["total"], _("人"), people),
            Figure(
                "severe",
                _("其中重度（一、二级）残疾人"),
                counts["severe"],
                _("人"),
                link("people:person-list", "level=1"),
            ),
            Figure("new", _("本年新增登记"), new, _("人"), people),
        ],
    )
