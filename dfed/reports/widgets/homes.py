"""残疾人之家 widgets: open homes by current star level, and coverage of every town."""

from django.utils.translation import gettext_lazy as _

from homes.selectors import home_coverage, homes_star_counts

from .base import INT, TEXT, Column, Table, widget

STARS = ((5, _("五星级")), (4, _("四星级")), (3, _("三星级")), (2, _("二星级")), (1, _("一星级")))
NOTE = _("星级为最近一次审定结果；家数为当前运营中的残疾人之家")


def _coverage(filters, user):
    rows, _summary = home_coverage(user=user)
    if filters.town is not None:
        rows = [r for r in rows if r.town.pk == filters.town.pk]
    return rows


@widget(
    "homes-by-star",
    _("残疾人之家（按星级）"),
    chart="bar",
    permission="homes.view_home",
    link="homes:home-list",
)
def homes_by_star(filters, user):
    counts = homes_star_counts(user=user, towns=filters.town_ids(user))
    rows = [[str(label), counts.by_star[star]] for star, label in STARS]
    rows.append([str(_("未评星")), counts.unrated])
    return Table(
        columns=[Column("star", _("星级"), TEXT), Column("homes", _("家数"), INT)],
        rows=rows,
        totals=[str(_("合计")), sum(r[1] for r in rows)],
        note=NOTE,
    )


@widget(
    "homes-coverage",
    _("残疾人之家覆盖情况（按镇街道）"),
    chart="bar",
    series=(1, 2),
    permission="homes.view_home",
    link="homes:home-list",
)
def homes_coverage(filters, user):
    rows = []
    gaps = []
    for town in _coverage(filters, user):
        members = sum(h.member_count or 0 for h in town.open_homes)
        state = _("未覆盖") if town.is_gap else _("已覆盖")
        if town.is_gap:
            gaps.append(town.town.name)
        rows.append([town.town.name, len(town.open_homes), members, str(state)])
    note = _("未覆盖：%(towns)s") % {"towns": "、".join(gaps)} if gaps else _("所有镇街道均已覆盖")
    return Table(
        columns=[
            Column("town", _("镇街道"), TEXT),
            Column("homes", _("运营中家数"), INT),
            Column("members", _("在册成员"), INT),
            Column("covered", _("覆盖"), TEXT),
        ],
        rows=rows,
        totals=[str(_("合计")), sum(r[1] for r in rows), sum(r[2] for r in rows), ""],
        note=note,
    )
