"""Read-only admin screens: every change goes through the portal pages and their services."""

from django.contrib import admin

from dfed.core.history_admin import DisplayHistoryAdmin
from dfed.core.importing.resources import AllOrNothingImportMixin

from .models import (
    Application,
    Entitlement,
    PaymentBatch,
    PaymentSummary,
    RecoveryItem,
    ServiceLog,
    SubsidyRate,
)
from .resources import SubsidyRateResource


class ReadOnlyAdmin(DisplayHistoryAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(SubsidyRate)
class SubsidyRateAdmin(AllOrNothingImportMixin, ReadOnlyAdmin):
    """Read-only screens; the rate table is imported and exported as a whole
    (django-import-export: preview, then confirm; any row error writes nothing)."""

    resource_classes = [SubsidyRateResource]
    list_display = ["type", "tier", "monthly_amount", "effective_from", "effective_to", "note"]
    list_filter = ["type", "tier"]


@admin.register(Application)
class ApplicationAdmin(ReadOnlyAdmin):
    list_display = ["person", "type", "tier", "status", "created_by", "created_at"]
    list_filter = ["type", "status"]
    search_fields = ["person__name", "person__id_number"]
    list_select_related = ["person", "created_by"]


@admin.register(Entitlement)
class EntitlementAdmin(ReadOnlyAdmin):
    list_display = ["person", "type", "tier", "start_month", "end_month", "state", "paid_through"]
    list_filter = ["type", "tier", "state"]
    search_fields = ["person__name", "person__id_number"]
    list_select_related = ["person"]


@admin.register(PaymentBatch)
class PaymentBatchAdmin(ReadOnlyAdmin):
    list_display = ["month", "status", "payment_count", "total_amount", "generated_at"]


@admin.register(RecoveryItem)
class RecoveryItemAdmin(ReadOnlyAdmin):
    list_display = ["person", "month", "amount", "status", "reason"]
    list_filter = ["status"]
    list_select_related = ["person"]


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


@admin.register(ServiceLog)
class ServiceLogAdmin(admin.ModelAdmin):
    """网上办事记录: every code request, code sent, verification, view and online application."""

    list_display = ["at", "action", "person", "client_ip", "detail", "challenge"]
    list_filter = ["action"]
    search_fields = ["person__name", "client_ip", "detail"]
    date_hierarchy = "at"
    list_select_related = ["person"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
