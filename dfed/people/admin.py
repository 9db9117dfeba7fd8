from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from dfed.core.history_admin import DisplayHistoryAdmin
from dfed.core.importing.resources import AllOrNothingImportMixin
from dfed.core.masking import (
    MaskedFormMixin,
    can_view_sensitive,
    full_view_record,
    mask,
    reveal,
)

from .forms import PersonForm
from .models import Area, Person, SensitiveAccessLog
from .resources import AreaResource


@admin.register(Area)
class AreaAdmin(AllOrNothingImportMixin, admin.ModelAdmin):
    resource_classes = [AreaResource]
    list_display = ["code", "name", "level", "parent"]
    list_filter = ["level"]
    search_fields = ["code", "name"]
    raw_id_fields = ["parent"]


@admin.register(Person)
class PersonAdmin(DisplayHistoryAdmin):
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

    @admin.display(description=_("身份证号"))
    def masked_id(self, obj):
        return mask(obj.id_number, "id")

    def get_list_display(self, request):
        viewer = request.user

        @admin.display(description=_("身份证号"))
        def masked_id(obj):
            return reveal(obj.id_number, kind="id", viewer=viewer)

        return [masked_id if c == "masked_id" else c for c in super().get_list_display(request)]

    def get_form(self, request, obj=None, change=False, **kwargs):
        """The admin form shows identifiers masked to staff without view_sensitive, like the
        portal's form (a masked value left as it is keeps the stored one)."""
        base = super().get_form(request, obj, change=change, **kwargs)
        viewer = request.user

        class MaskedPersonAdminForm(MaskedFormMixin, base):
            masked_fields = PersonForm.masked_fields

            def __init__(self, *args, **kw):
                super().__init__(*args, viewer=viewer, **kw)

        return MaskedPersonAdminForm

    def change_view(self, request, object_id, form_url="", extra_context=None):
        response = super().change_view(request, object_id, form_url, extra_context)
        if request.method == "GET" and response.status_code == 200:
            full_view_record(request, kind="admin", person=self.get_object(request, object_id))
        return response

    def history_view(self, request, object_id, extra_context=None):
        response = super().history_view(request, object_id, extra_context)
        if response.status_code == 200:
            full_view_record(request, kind="admin", person=self.get_object(request, object_id))
        return response

    def changelist_view(self, request, extra_context=None):
        response = super().changelist_view(request, extra_context)
        changelist = getattr(response, "context_data", {}) or {}
        if "cl" in changelist:
            params = request.GET.copy()
            params.pop("p", None)
            full_view_record(
                request,
                kind="admin",
                query=params.urlencode(),
                count=len(changelist["cl"].result_list),
            )
        return response

    def get_search_results(self, request, queryset, search_term):
        """Without view_sensitive a number matches only whole (no prefix oracle)."""
        if can_view_sensitive(request.user):
            return super().get_search_results(request, queryset, search_term)
        from .selectors import person_search

        return person_search(queryset, search_term, viewer=request.user), False


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
