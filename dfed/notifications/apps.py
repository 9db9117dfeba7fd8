from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "dfed.notifications"
    label = "notifications"
    verbose_name = _("短信通知")

    def ready(self) -> None:
        from dfed.accounts.roles import role_permissions_register

        from .roles import ROLE_PERMISSIONS

        role_permissions_register(self.label, ROLE_PERMISSIONS)
        from dfed.people.extensions import demo_step_register

        from . import demo

        demo_step_register(app=self.label, load=demo.load)
