from django.contrib import admin, messages

from dfed.core.admin_a11y import LabelledListEditableMixin
from dfed.core.history_admin import DisplayHistoryAdmin
from dfed.core.importing.resources import AllOrNothingImportMixin

from .models import (
    AccessibleCommunity,
    ChecklistItem,
    CommunityCheck,
    ProjectItem,
    ProjectStep,
    RetrofitBudget,
    RetrofitItem,
    RetrofitProject,
)
from .resources import RetrofitItemResource
from .services import retrofit_item_copy_year


@admin.register(RetrofitItem)
class RetrofitItemAdmin(AllOrNothingImportMixin, LabelledListEditableMixin, admin.ModelAdmin):
    resource_classes = [RetrofitItemResource]
    list_display = ["year", "name", "category", "unit", "price_cap", "active"]
    list_filter = ["year", "category", "active"]
    list_editable = ["price_cap", "active"]
    search_fields = ["name"]
    actions = ["copy_to_next_year"]

    @admin.action(description="将所选年度的目录复制到下一年度")
    def copy_to_next_year(self, request, queryset):
        for year in sorted(set(queryset.values_list("year", flat=True))):
            count = retrofit_item_copy_year(source=year, target=year + 1)
            self.message_user(
                request,
                f"已将 {year} 年目录复制到 {year + 1} 年：新增 {count} 项",
                messages.SUCCESS,
            )


@admin.register(RetrofitBudget)
class RetrofitBudgetAdmin(DisplayHistoryAdmin):
    list_display = ["year", "town", "amount", "note"]
    list_filter = ["year", "town"]


@admin.register(ChecklistItem)
class ChecklistItemAdmin(LabelledListEditableMixin, admin.ModelAdmin):
    list_display = ["code", "title", "order", "active"]
    list_editable = ["order", "active"]
    search_fields = ["code", "title"]


class ProjectItemInline(admin.TabularInline):
    model = ProjectItem
    extra = 0
    can_delete = False
    readonly_fields = ["item", "quantity", "unit_price", "over_cap_reason", "actual_cost"]

    def has_add_permission(self, request, obj=None):
        return False


class ProjectStepInline(admin.TabularInline):
    model = ProjectStep
    extra = 0
    can_delete = False
    readonly_fields = ["action", "from_status", "to_status", "by", "at", "comment"]

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(RetrofitProject)
class RetrofitProjectAdmin(DisplayHistoryAdmin):
    """Read-only here: status changes go through the portal's pages and services."""

    list_display = ["year", "person", "town", "status", "estimate", "actual_total"]
    list_filter = ["year", "status", "town"]
    search_fields = ["person__name", "person__id_number"]
    inlines = [ProjectItemInline, ProjectStepInline]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class CommunityCheckInline(admin.TabularInline):
    model = CommunityCheck
    extra = 0
    can_delete = False
    readonly_fields = ["item", "state", "note", "evidence", "updated_by", "updated_at"]

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(AccessibleCommunity)
class AccessibleCommunityAdmin(DisplayHistoryAdmin):
    list_display = ["year", "community", "town", "status"]
    list_filter = ["year", "status", "town"]
    inlines = [CommunityCheckInline]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
