"""Read-only admin screens: every change goes through the portal pages and their services."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import (
    Application,
    Entitlement,
    PaymentBatch,
    RecoveryItem,
    ServiceLog,
    SubsidyRate,
)


class ReadOnlyAdmin(SimpleHistoryAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(SubsidyRate)
class SubsidyRateAdmin(ReadOnlyAdmin):
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


class ReadOnlyPlainAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(ServiceLog)
class ServiceLogAdmin(ReadOnlyPlainAdmin):
    """网上办事记录: every code request, code sent, verification, view and online application."""

    list_display = ["at", "action", "person", "client_ip", "detail", "challenge"]
    list_filter = ["action"]
    search_fields = ["person__name", "client_ip", "detail"]
    date_hierarchy = "at"
    list_select_related = ["person"]
