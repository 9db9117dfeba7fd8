from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IntegrityConfig(AppConfig):
    name = "integrity"
    label = "integrity"
    verbose_name = _("党风廉政建设")

    def ready(self) -> None:
        from dfed.people.extensions import demo_step_register

        from . import demo

        demo_step_register(app=self.label, load=demo.load)
