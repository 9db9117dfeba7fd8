from django.contrib import admin

from .models import ImportJob


@admin.register(ImportJob)
class ImportJobAdmin(admin.ModelAdmin):
    list_display = ("filename", "importer", "created_by", "created_at", "state", "rows", "rejected")
    list_filter = ("importer", "state")
    search_fields = ("filename",)
    readonly_fields = [f.name for f in ImportJob._meta.fields]
