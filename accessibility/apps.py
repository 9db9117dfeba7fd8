from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccessibilityConfig(AppConfig):
    name = "accessibility"
    label = "accessibility"
    verbose_name = _("无障碍改造")

    def ready(self) -> None:
        from dfed.accounts.roles import role_permissions_register

        from .roles import ROLE_PERMISSIONS

        role_permissions_register(self.label, ROLE_PERMISSIONS)
        from dfed.people.extensions import demo_step_register, person_panel_register
        from dfed.people.signals import person_left_registry

        from . import demo, panels
        from .services import on_person_left_registry

        person_left_registry.connect(
            on_person_left_registry, dispatch_uid="accessibility-close-retrofits"
        )
        demo_step_register(app=self.label, load=demo.load)
        person_panel_register(
            app=self.label,
            order=30,
            title=_("无障碍改造"),
            template="accessibility/person_panel.html",
            permission=panels.PERMISSION,
            context=panels.person_panel_context,
        )
