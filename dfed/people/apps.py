from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PeopleConfig(AppConfig):
    name = "dfed.people"
    label = "people"
    verbose_name = _("残疾人登记")

    def ready(self):
        from . import summaries  # noqa: F401 - connects the summary table's signal receivers
