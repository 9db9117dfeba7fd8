"""Administration widgets: users by role."""

from django.contrib.auth import get_user_model
from django.db.models import Count, Q
from django.utils.translation import gettext_lazy as _

from dfed.accounts.roles import Role

from .base import TEXT, Column, Table, widget


@widget(
    "users-by-role",
    _("用户（按角色）"),
    chart="bar",
    series=(1, 2),
    permission="accounts.view_user",
    link="admin:accounts_user_changelist",
    link_permission="accounts.change_user",
)
def users_by_role(filters, user):
    users = get_user_model().objects
    counts = {
        row["groups__name"]: row
        for row in users.filter(groups__name__in=Role.ALL)
        .values("groups__name")
        .annotate(
            active=Count("pk", filter=Q(is_active=True)),
            inactive=Count("pk", filter=Q(is_active=False)),
        )
    }
    rows = [
        [role, counts.get(role, {}).get("active", 0), counts.get(role, {}).get("inactive", 0)]
        for role in Role.ALL
    ]
    return Table(
        columns=[
            Column("role", _("角色"), TEXT),
            Column("active", _("启用")),
            Column("inactive", _("停用")),
        ],
        rows=rows,
        note=_("用户数为当前数据"),
    )
