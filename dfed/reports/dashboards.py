"""One dashboard per role: which widgets it shows, and which dashboard a user gets."""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from dfed.accounts.roles import Role

from .widgets import load_widgets


@dataclass(frozen=True)
class Dashboard:
    key: str
    title: str
    roles: tuple[str, ...]
    widgets: tuple[str, ...]
    intro: str = ""


DASHBOARDS = {
    d.key: d
    for d in (
        Dashboard(
            "official",
            _("全区概览"),
            (Role.OFFICIAL,),
            (
                "people-by-town",
                "people-by-category",
                "people-by-level",
                "subsidy-by-month",
                "subsidy-by-town",
                "subsidy-failures-by-reason",
                "subsidy-failures-by-town",
                "homes-by-star",
                "homes-coverage",
                "retrofits-by-status",
                "retrofits-spend",
                "integrity-duties",
                "sms-by-status",
            ),
            _("全区残疾人、补贴发放、残疾人之家、无障碍改造和党风廉政建设的主要数据。"),
        ),
        Dashboard(
            "reviewer",
            _("审核工作台"),
            (Role.REVIEWER,),
            (
                "reviewer-queues",
                "subsidy-by-month",
                "subsidy-by-town",
                "subsidy-failures-by-reason",
                "people-by-town",
                "people-by-level",
            ),
            _("待审核事项、本月发放批次和全区补贴数据。"),
        ),
        Dashboard(
            "integrity",
            _("党风廉政工作台"),
            (Role.INTEGRITY,),
            ("integrity-duties", "sms-by-status", "integrity-by-month"),
            _("党风廉政建设各项工作完成情况与节日提醒短信发送情况。"),
        ),
        Dashboard(
            "caseworker",
            _("经办工作台"),
            (Role.CASEWORKER, Role.TOWN_REVIEWER),
            (
                "my-work",
                "people-by-level",
                "people-by-category",
                "subsidy-by-month",
                "homes-by-star",
                "retrofits-by-status",
            ),
            _("我的草稿、待办事项和本镇街道的数据。"),
        ),
        Dashboard(
            "admin",
            _("系统管理工作台"),
            (Role.ADMIN,),
            ("users-by-role", "sms-by-status", "people-by-town", "subsidy-by-month"),
            _("用户、短信发送队列和数据概况。"),
        ),
    )
}
# A user in several groups gets the first of these by default and may switch to the others.
ORDER = ("admin", "official", "integrity", "reviewer", "caseworker")


def dashboards_for(user) -> list[Dashboard]:
    if user.is_superuser:
        return [DASHBOARDS[k] for k in ORDER]
    groups = set(user.groups.values_list("name", flat=True))
    return [DASHBOARDS[k] for k in ORDER if groups.intersection(DASHBOARDS[k].roles)]


def dashboard_widgets(dashboard: Dashboard, user) -> list:
    registry = load_widgets()
    return [
        registry[key]
        for key in dashboard.widgets
        if key in registry and registry[key].visible_to(user)
    ]
