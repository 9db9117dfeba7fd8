from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin, PermissionRequiredMixin
from django.core.exceptions import ValidationError
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import DetailView

from dfed.core.masking import sensitive
from dfed.core.views import FilteredListView

from .access import log_sensitive_view
from .filters import PersonFilter
from .forms import PersonForm, PersonStatusForm
from .selectors import (
    area_list_communities,
    person_get_visible,
    person_list_visible_to,
    sensitive_access_log_list,
)
from .services import (
    PERSON_FIELDS,
    person_create,
    person_set_status,
    person_update,
)


class PersonListView(FilteredListView):
    permission_required = "people.view_person"
    template_name = "people/person_list.html"
    filterset_class = PersonFilter
    sort_fields = {
        "name": "name",
        "id_number": "id_number",
        "town": "town__code",
        "level": "level",
        "category": "category",
        "updated": "updated_at",
    }

    def base_queryset(self):
        return person_list_visible_to(self.request.user)

    def export_table(self, queryset):
        user = self.request.user
        headers = [
            _("姓名"),
            _("性别"),
            _("身份证号"),
            _("残疾人证号"),
            _("残疾类别"),
            _("残疾等级"),
            _("家庭类型"),
            _("镇街道"),
            _("社区村"),
            _("联系电话"),
            _("开户银行"),
            _("银行账号"),
            _("状态"),
        ]
        rows = (
            [
                p.name,
                p.get_sex_display(),
                sensitive(p.id_number, "id", user),
                sensitive(p.certificate_number, "id", user),
                p.get_category_display(),
                p.get_level_display(),
                p.get_household_display(),
                p.town.name,
                p.community.name,
                sensitive(p.phone, "phone", user),
                p.bank_name,
                sensitive(p.bank_account, "bank", user),
                p.get_status_display(),
            ]
            for p in queryset.iterator(chunk_size=2000)
        )
        return "people.xlsx", _("残疾人名册"), headers, rows, (2, 3, 9, 11)


class PersonDetailView(LoginRequiredMixin, PermissionRequiredMixin, DetailView):
    permission_required = "people.view_person"
    template_name = "people/person_detail.html"
    context_object_name = "person"

    def get_object(self, queryset=None):
        person = person_get_visible(user=self.request.user, pk=self.kwargs["pk"])
        log_sensitive_view(self.request, person)
        return person

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["history"] = self.object.history.select_related("history_user")[:20]
        context["status_form"] = PersonStatusForm(initial={"status": self.object.status})
        return context


class PersonCreateView(LoginRequiredMixin, PermissionRequiredMixin, View):
    permission_required = "people.add_person"
    template_name = "people/person_form.html"

    def get(self, request):
        return render(request, self.template_name, {"form": PersonForm(user=request.user)})

    def post(self, request):
        form = PersonForm(request.POST, user=request.user)
        if form.is_valid():
            data = {k: form.cleaned_data[k] for k in PERSON_FIELDS if k in form.cleaned_data}
            try:
                person = person_create(by=request.user, **data)
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(request, _("已登记 %(name)s") % {"name": person.name})
                return redirect("people:person-detail", pk=person.pk)
        return render(request, self.template_name, {"form": form}, status=400)


class PersonUpdateView(LoginRequiredMixin, PermissionRequiredMixin, View):
    permission_required = "people.change_person"
    template_name = "people/person_form.html"

    def get(self, request, pk):
        person = person_get_visible(user=request.user, pk=pk)
        form = PersonForm(instance=person, user=request.user)
        return render(request, self.template_name, {"form": form, "person": person})

    def post(self, request, pk):
        person = person_get_visible(user=request.user, pk=pk)
        form = PersonForm(request.POST, instance=person, user=request.user)
        if form.is_valid():
            data = {k: form.cleaned_data[k] for k in PERSON_FIELDS if k in form.cleaned_data}
            try:
                person_update(person=person, by=request.user, **data)
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(request, _("已保存 %(name)s") % {"name": person.name})
                return redirect("people:person-detail", pk=person.pk)
        context = {"form": form, "person": person}
        return render(request, self.template_name, context, status=400)


class PersonStatusView(LoginRequiredMixin, PermissionRequiredMixin, View):
    permission_required = "people.change_person"

    def post(self, request, pk):
        person = person_get_visible(user=request.user, pk=pk)
        form = PersonStatusForm(request.POST)
        if form.is_valid():
            try:
                person_set_status(
                    person=person,
                    status=form.cleaned_data["status"],
                    on=form.cleaned_data["status_date"],
                    by=request.user,
                    reason=form.cleaned_data["reason"],
                )
            except ValidationError as exc:
                messages.error(request, "；".join(exc.messages))
            else:
                messages.success(request, _("状态已更新"))
        else:
            messages.error(request, _("状态变更有误，请检查后重试"))
        return redirect("people:person-detail", pk=person.pk)


class AccessLogListView(FilteredListView):
    permission_required = "people.view_sensitiveaccesslog"
    template_name = "people/accesslog_list.html"

    def base_queryset(self):
        return sensitive_access_log_list()


class CommunityOptionsView(LoginRequiredMixin, View):
    """The communities of one town the user may see, as JSON options for a filter form."""

    def get(self, request):
        town = request.GET.get("town", "")
        communities = area_list_communities(user=request.user)
        communities = (
            communities.filter(parent_id=int(town)) if town.isdigit() else communities.none()
        )
        return JsonResponse(
            {
                "options": [
                    {"value": a.pk, "label": a.name}
                    for a in communities.select_related(None).only("pk", "name")
                ]
            }
        )
