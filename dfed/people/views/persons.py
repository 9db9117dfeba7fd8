"""The registry's pages: the list (and its export), a person's page, registering and editing
a person, changing their status, and the community options of a filter form."""

from django.contrib import messages
from django.contrib.auth.mixins import (
    LoginRequiredMixin,
    PermissionRequiredMixin,
)
from django.http import JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import DetailView

from dfed.core.masking import FullViewLogMixin, sensitive
from dfed.core.views import FilteredListView, ServiceFormView, run_service

from ..access import log_sensitive_view
from ..extensions import person_panels_for
from ..filters import PersonFilter
from ..forms import (
    PersonForm,
    PersonStatusForm,
    PersonTransferForm,
)
from ..selectors import (
    area_list_communities,
    person_get_visible,
    person_list_visible_to,
)
from ..services import (
    PERSON_FIELDS,
    person_create,
    person_set_status,
    person_update,
)


class PersonListView(FilteredListView):
    full_identifiers = True
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
        context["status_form"] = PersonStatusForm(initial={"status": self.object.status})
        context["panels"] = person_panels_for(person=self.object, user=self.request.user)
        return context


def person_fields(form) -> dict:
    """The registry fields of a valid ``PersonForm``, as the services take them."""
    return {k: form.cleaned_data[k] for k in PERSON_FIELDS if k in form.cleaned_data}


class PersonCreateView(ServiceFormView):
    """登记: an ID number already registered in another town offers the 区内迁移 request
    instead (``transfer_form``)."""

    permission_required = "people.add_person"
    template_name = "people/person_form.html"
    form_class = PersonForm
    form_user_kwarg = "user"

    def perform(self, form):
        return person_create(by=self.request.user, **person_fields(form))

    def get_success_message(self, form) -> str:
        return _("已登记 %(name)s") % {"name": self.result.name}

    def get_success_url(self):
        return reverse("people:person-detail", args=[self.result.pk])

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        form, user = context["form"], self.request.user
        if form.registered_elsewhere and user.has_perm("people.add_persontransfer"):
            context["transfer_form"] = PersonTransferForm(
                user=user,
                initial={
                    "id_number": form.registered_elsewhere,
                    "to_community": form.cleaned_data.get("community"),
                },
            )
        return context


class PersonUpdateView(FullViewLogMixin, ServiceFormView):
    """The registry form for one person; each response showing it is logged (kind edit)."""

    permission_required = "people.change_person"
    template_name = "people/person_form.html"
    form_class = PersonForm
    form_user_kwarg = "user"

    @cached_property
    def person(self):
        return person_get_visible(user=self.request.user, pk=self.kwargs["pk"])

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "instance": self.person}

    def perform(self, form):
        return person_update(person=self.person, by=self.request.user, **person_fields(form))

    def get_success_message(self, form) -> str:
        return _("已保存 %(name)s") % {"name": self.person.name}

    def get_success_url(self):
        return reverse("people:person-detail", args=[self.person.pk])

    def get_context_data(self, **kwargs):
        self.log_full_view(kind="edit", person=self.person)
        return super().get_context_data(person=self.person, **kwargs)


class PersonStatusView(LoginRequiredMixin, PermissionRequiredMixin, View):
    permission_required = "people.change_person"

    def post(self, request, pk):
        person = person_get_visible(user=request.user, pk=pk)
        form = PersonStatusForm(request.POST)
        if form.is_valid():
            run_service(
                request,
                lambda: person_set_status(
                    person=person,
                    status=form.cleaned_data["status"],
                    on=form.cleaned_data["status_date"],
                    by=request.user,
                    reason=form.cleaned_data["reason"],
                ),
                _("状态已更新"),
            )
        else:
            messages.error(request, _("状态变更有误，请检查后重试"))
        return redirect("people:person-detail", pk=person.pk)


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
