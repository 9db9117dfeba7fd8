"""Registry widgets: people on the register (在册) by category, level and town."""

from django.db.models import Q, Sum
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

from dfed.people.models import Area, Person
from dfed.people.selectors import person_count_list

from .base import TEXT, Column, Table, widget


def active_people(filters, user):
    """Summary rows of the people on the register now, in the towns the user (and the filter)
    asks for: the registry's summary table, not the registry."""
    return person_count_list(town_ids=filters.town_ids(user))


def towns_in_scope(filters, user):
    towns = Area.objects.filter(level=Area.Level.TOWN).order_by("code")
    town_ids = filters.town_ids(user)
    if town_ids is not None:
        towns = towns.filter(pk__in=town_ids)
    return towns


NOTE = _("在册人数为当前数据，不随年度筛选变化")


def _by_choice(filters, user, field, choices, label):
    counts = dict(
        active_people(filters, user).order_by().values_list(field).annotate(n=Sum("people"))
    )
    rows = [[str(name), counts.get(value, 0)] for value, name in choices]
    return Table(
        columns=[Column("label", label, TEXT), Column("people", _("人数"))],
        rows=rows,
        totals=[str(_("合计")), sum(r[1] for r in rows)],
        note=NOTE,
    )


@widget(
    "people-by-category",
    _("在册残疾人（按残疾类别）"),
    chart="doughnut",
    link="people:person-list",
    permission="people.view_person",
)
def people_by_category(filters, user):
    return _by_choice(filters, user, "category", Person.Category.choices, _("残疾类别"))


@widget(
    "people-by-level",
    _("在册残疾人（按残疾等级）"),
    chart="bar",
    link="people:person-list",
    permission="people.view_person",
)
def people_by_level(filters, user):
    return _by_choice(filters, user, "level", Person.Level.choices, _("残疾等级"))


@widget(
    "people-by-town",
    _("在册残疾人（按镇街道、等级）"),
    chart="stacked",
    series=(1, 2, 3, 4),
    link="people:person-list",
    permission="people.view_person",
)
def people_by_town(filters, user):
    levels = Person.Level.values
    aggregates = {
        f"l{level}": Coalesce(Sum("people", filter=Q(level=level)), 0) for level in levels
    }
    counts = {
        row["town_id"]: row
        for row in active_people(filters, user).order_by().values("town_id").annotate(**aggregates)
    }
    rows = []
    for town in towns_in_scope(filters, user):
        row = counts.get(town.pk, {})
        values = [row.get(f"l{level}", 0) for level in levels]
        rows.append([town.name, *values, sum(values)])
    columns = [Column("town", _("镇街道"), TEXT)]
    columns += [Column(f"level{v}", label) for v, label in Person.Level.choices]
    columns.append(Column("total", _("合计")))
    totals = [str(_("合计"))] + [sum(r[i] for r in rows) for i in range(1, len(columns))]
    return Table(columns=columns, rows=rows, totals=totals, note=NOTE)
