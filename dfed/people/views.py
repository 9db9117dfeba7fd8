import uuid
from pathlib import Path

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.mixins import (
    LoginRequiredMixin,
    PermissionRequiredMixin,
    UserPassesTestMixin,
)
from django.core.exceptions import ValidationError
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import DetailView

from dfed.accounts.roles import Role
from dfed.core.importing.progress import job_get, job_set
from dfed.core.importing.readers import EXTENSIONS, file_extension
from dfed.core.importing.report import ImportReport
from dfed.core.importing.tasks import import_job_run
from dfed.core.masking import sensitive
from dfed.core.views import FilteredListView
from dfed.core.xlsx import xlsx_response

from .access import log_sensitive_view
from .filters import PersonFilter
from .forms import PersonForm, PersonStatusForm
from .lists import list_template_rows
from .models import ExternalList
from .selectors import (
    area_list_communities,
    external_list_list,
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


class ExternalListTemplateView(LoginRequiredMixin, View):
    """The blank template of one external list kind (headers, one example row, text cells)."""

    def get(self, request, kind):
        if kind not in ExternalList.Kind.values:
            raise Http404
        headers, example = list_template_rows(kind)
        label = ExternalList.Kind(kind).label
        return xlsx_response(
            f"{label}模板.xlsx", label, headers, [example], text_columns=range(len(headers))
        )


class ListUploadForm(forms.Form):
    kind = forms.ChoiceField(label=gettext_lazy("名单类型"), choices=ExternalList.Kind.choices)
    file = forms.FileField(
        label=gettext_lazy("名单文件"), help_text=gettext_lazy("xlsx、xls 或 csv")
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if file_extension(upload.name) not in EXTENSIONS:
            raise forms.ValidationError(_("只能导入 xlsx、xls 或 csv 文件"))
        return upload


class ListImportMixin(LoginRequiredMixin, UserPassesTestMixin):
    """Imports are the administrators' (as for rosters); each sees only their own jobs."""

    def test_func(self):
        user = self.request.user
        return user.is_staff or user.groups.filter(name=Role.ADMIN).exists()

    def get_job(self, job: str) -> dict:
        data = job_get(job)
        if data is None or data.get("user_id") != self.request.user.pk:
            raise Http404
        return data

    def start(self, job: str, data: dict, *, dry_run: bool, next_url: str):
        data = {
            **data,
            "options": {"kind": data["kind"], "dry_run": dry_run},
            "state": "pending",
            "percent": 0,
            "message": _("排队中……"),
            "redirect": "",
            "next": next_url,
            "report": None,
        }
        job_set(job, **data)
        import_job_run.delay(job)
        return redirect("imports:progress", job=job)


class ExternalListListView(ListImportMixin, View):
    """The lists imported so far, the templates, and an upload (preview first)."""

    template_name = "people/externallist_list.html"

    def context(self, form):
        lists = external_list_list()[:50]  # the latest; older lists stay as evidence
        return {"form": form, "lists": lists, "kinds": ExternalList.Kind.choices}

    def get(self, request):
        return render(request, self.template_name, self.context(ListUploadForm()))

    def post(self, request):
        form = ListUploadForm(request.POST, request.FILES)
        if not form.is_valid():
            return render(request, self.template_name, self.context(form), status=400)
        upload = form.cleaned_data["file"]
        job = uuid.uuid4().hex
        folder = Path(settings.MEDIA_ROOT) / "imports"
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / f"{job}{file_extension(upload.name)}"
        with path.open("wb") as handle:
            for chunk in upload.chunks():
                handle.write(chunk)
        data = {
            "importer": "dfed.people.lists.external_list_import",
            "path": str(path),
            "filename": Path(upload.name).name,
            "user_id": request.user.pk,
            "kind": form.cleaned_data["kind"],
        }
        next_url = reverse("people:externallist-preview", kwargs={"job": job})
        return self.start(job, data, dry_run=True, next_url=next_url)


class ExternalListPreviewView(ListImportMixin, View):
    """The dry run's report; confirming runs the same import for real (then compares)."""

    def get(self, request, job):
        data = self.get_job(job)
        if data.get("state") != "done":
            return redirect("imports:progress", job=job)
        report = ImportReport.from_dict(data["report"]) if data.get("report") else None
        return render(request, "people/externallist_preview.html", {
            "report": report, "job": job, "data": data,
            "kind": ExternalList.Kind(data["kind"]).label,
        })  # fmt: skip

    def post(self, request, job):
        data = self.get_job(job)
        report = data.get("report") or {}
        if not report or report.get("errors") or report.get("file_error"):
            return redirect("people:externallist-preview", job=job)
        if report.get("written"):
            return redirect("people:externallist-list")
        return self.start(job, data, dry_run=False, next_url=reverse("people:externallist-list"))


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
