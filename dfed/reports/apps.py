from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "dfed.reports"
    label = "reports"
    verbose_name = _("统计报表")

    def ready(self) -> None:
        from dfed.accounts.roles import role_permissions_register

        from .roles import ROLE_PERMISSIONS

        role_permissions_register(self.label, ROLE_PERMISSIONS)
