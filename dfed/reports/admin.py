from django.contrib import admin

from .models import AnnualSummary, PaymentSummary


@admin.register(PaymentSummary)
class PaymentSummaryAdmin(admin.ModelAdmin):
    """Derived rows: read-only here; rebuilt by ``payment_summary_refresh``."""

    list_display = ("month", "town", "type", "recipients", "payments", "amount", "refreshed_at")
    list_filter = ("type", "town", "month")
    date_hierarchy = "month"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(AnnualSummary)
class AnnualSummaryAdmin(admin.ModelAdmin):
    list_display = ("year", "status", "requested_by", "created_at", "finished_at")
    list_filter = ("status", "year")
    readonly_fields = ("year", "status", "file", "figures", "error", "requested_by", "finished_at")

    def has_add_permission(self, request):
        return False
