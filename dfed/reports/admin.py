from django.contrib import admin

from .models import AnnualSummary


@admin.register(AnnualSummary)
class AnnualSummaryAdmin(admin.ModelAdmin):
    list_display = ("year", "status", "requested_by", "created_at", "finished_at")
    list_filter = ("status", "year")
    readonly_fields = ("year", "status", "file", "figures", "error", "requested_by", "finished_at")

    def has_add_permission(self, request):
        return False
