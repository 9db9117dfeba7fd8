from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SubsidiesConfig(AppConfig):
    name = "subsidies"
    label = "subsidies"
    verbose_name = _("残疾人补贴")

    def ready(self) -> None:
        from dfed.people.extensions import demo_step_register
        from dfed.people.signals import person_left_registry

        from . import demo
        from .services import person_left_registry_receiver

        person_left_registry.connect(
            person_left_registry_receiver, dispatch_uid="subsidies_person_left_registry"
        )
        demo_step_register(app=self.label, load=demo.load)
