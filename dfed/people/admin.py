from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from dfed.core.masking import mask_id_number

from .models import Area, Person, SensitiveAccessLog


@admin.register(Area)
class AreaAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "level", "parent"]
    list_filter = ["level"]
    search_fields = ["code", "name"]
    raw_id_fields = ["parent"]


@admin.register(Person)
class PersonAdmin(SimpleHistoryAdmin):
    list_display = [
        "name",
        "masked_id",
        "town",
        "community",
        "category",
        "level",
        "household",
        "status",
    ]
    list_filter = ["town", "category", "level", "household", "status"]
    search_fields = ["name", "id_number", "certificate_number"]
    raw_id_fields = ["community"]
    readonly_fields = ["sex", "birth_date", "town", "created_at", "updated_at"]

    @admin.display(description="身份证号")
    def masked_id(self, obj):
        return mask_id_number(obj.id_number)


@admin.register(SensitiveAccessLog)
class SensitiveAccessLogAdmin(admin.ModelAdmin):
    list_display = ["viewed_at", "user", "person", "ip_address", "context"]
    list_filter = ["context"]
    search_fields = ["user__username", "person__name"]
    date_hierarchy = "viewed_at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
