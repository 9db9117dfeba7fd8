from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PeopleConfig(AppConfig):
    name = "dfed.people"
    label = "people"
    verbose_name = _("残疾人登记")

    def ready(self) -> None:
        from dfed.imports.registry import Importer, importer_register

        from . import summaries  # noqa: F401 - connects the summary table's signal receivers
        from .importers import PEOPLE_LABEL, people_import

        importer_register(Importer(key="people", label=PEOPLE_LABEL, run=people_import))
