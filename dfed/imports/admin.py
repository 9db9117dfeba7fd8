from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from dfed.core.admin_labels import labelled_filter

from .models import ImportJob
from .registry import importer_get, importer_list


def _importer_choices():
    return [(i.key, i.label) for i in importer_list()]


@admin.register(ImportJob)
class ImportJobAdmin(admin.ModelAdmin):
    list_display = (
        "filename",
        "importer_display",
        "created_by",
        "created_at",
        "state",
        "rows",
        "rejected",
    )
    list_filter = (labelled_filter("importer", _("导入类型"), _importer_choices), "state")
    search_fields = ("filename",)
    readonly_fields = [f.name for f in ImportJob._meta.fields]

    @admin.display(description=_("导入类型"), ordering="importer")
    def importer_display(self, obj) -> str:
        """The importer's name (补贴对象花名册), not its key (recipients)."""
        try:
            return str(importer_get(obj.importer).label)
        except KeyError:  # an importer since removed
            return obj.importer
