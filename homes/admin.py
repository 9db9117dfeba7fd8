from django.contrib import admin

from dfed.core.history_admin import DisplayHistoryAdmin
from dfed.core.importing.resources import AllOrNothingImportMixin

from .models import Home, ServiceType, StarAssessment, StarAssessmentTemplate, TemplateItem
from .resources import HomeResource


class TemplateItemInline(admin.TabularInline):
    model = TemplateItem
    extra = 1
    fields = ["section", "order", "title", "max_points", "cap_level", "pass_points"]


@admin.register(StarAssessmentTemplate)
class StarAssessmentTemplateAdmin(DisplayHistoryAdmin):
    """The per-year score sheet and thresholds: the star rules are edited here."""

    list_display = ["year", "five_star_min", "four_star_min", "three_star_min", "two_star_min"]
    inlines = [TemplateItemInline]


@admin.register(ServiceType)
class ServiceTypeAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "order"]


@admin.register(Home)
class HomeAdmin(AllOrNothingImportMixin, DisplayHistoryAdmin):
    resource_classes = [HomeResource]
    list_display = ["name", "town", "community", "operator", "capacity", "status"]
    list_filter = ["town", "operator", "status"]
    search_fields = ["name", "address"]
    raw_id_fields = ["community"]
    readonly_fields = ["town", "created_at", "updated_at"]


@admin.register(StarAssessment)
class StarAssessmentAdmin(DisplayHistoryAdmin):
    """Read-only here: the workflow runs through the portal's pages and services."""

    list_display = ["home", "year", "status", "total", "star_level", "decided_by"]
    list_filter = ["year", "status", "star_level"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
