from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HomesConfig(AppConfig):
    name = "homes"
    label = "homes"
    verbose_name = _("残疾人之家")

    def ready(self) -> None:
        from dfed.people.extensions import demo_step_register, person_panel_register
        from dfed.people.signals import person_left_registry

        from . import demo, panels
        from .services import on_person_left_registry

        person_left_registry.connect(on_person_left_registry, dispatch_uid="homes-end-memberships")
        demo_step_register(app=self.label, load=demo.load)
        person_panel_register(
            app=self.label,
            order=20,
            title=_("残疾人之家"),
            template="homes/person_panel.html",
            permission=panels.PERMISSION,
            context=panels.person_panel_context,
        )
