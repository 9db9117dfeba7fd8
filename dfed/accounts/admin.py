from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from .models import User


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    list_display = ["username", "display_name", "role_list", "town_list", "is_active", "last_login"]
    list_filter = ["groups", "towns", "is_active", "is_staff"]
    search_fields = ["username", "display_name", "phone"]
    filter_horizontal = ["groups", "user_permissions", "towns"]
    fieldsets = BaseUserAdmin.fieldsets + (
        (_("业务信息"), {"fields": ("display_name", "phone", "towns")}),
    )
    add_fieldsets = BaseUserAdmin.add_fieldsets + (
        (_("业务信息"), {"fields": ("display_name", "phone", "groups", "towns")}),
    )

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("groups", "towns")

    @admin.display(description=_("角色"))
    def role_list(self, obj):
        return "、".join(g.name for g in obj.groups.all())

    @admin.display(description=_("镇街道"))
    def town_list(self, obj):
        return "、".join(t.name for t in obj.towns.all())
