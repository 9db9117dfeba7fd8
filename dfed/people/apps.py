from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PeopleConfig(AppConfig):
    name = "dfed.people"
    label = "people"
    verbose_name = _("残疾人登记")

    def ready(self) -> None:
        from dfed.core.masking import full_view_recorder_register
        from dfed.imports.registry import Importer, importer_register

        from . import summaries  # noqa: F401 - connects the summary table's signal receivers
        from .access import access_log_write

        full_view_recorder_register(access_log_write)
        from .importers import PEOPLE_LABEL, PEOPLE_SPEC, people_import, people_template

        importer_register(
            Importer(
                key="people",
                label=PEOPLE_LABEL,
                run=people_import,
                pages=True,
                permission="people.add_person",
                spec=PEOPLE_SPEC,
                template=people_template,
                description=_("残疾人登记名册（不含补贴列）：新增或更新残疾人的基本信息。"),
            )
        )
        from .lists import LIST_IMPORTER, external_list_import

        importer_register(
            Importer(key=LIST_IMPORTER, label=_("外部比对名单"), run=external_list_import)
        )
