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
from django.core.paginator import Paginator
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import DetailView

from dfed.accounts.roles import Role
from dfed.core.importing.readers import EXTENSIONS, file_extension
from dfed.core.importing.report import ImportReport
from dfed.core.masking import FullViewLogMixin, sensitive
from dfed.core.scoping import user_sees_district
from dfed.core.views import FilteredListView, error_text
from dfed.core.xlsx import xlsx_response
from dfed.imports.models import ImportJob
from dfed.imports.selectors import import_job_confirmed, import_job_get_own, import_job_status
from dfed.imports.services import import_job_start, import_upload_save

from .access import log_sensitive_view
from .extensions import person_panels_for
from .filters import AccessLogFilter, PersonFilter
from .forms import (
    PersonForm,
    PersonStatusForm,
    PersonTransferDecisionForm,
    PersonTransferForm,
)
from .lists import LIST_IMPORTER, list_template_rows
from .models import ExternalList
from .selectors import (
    area_list_communities,
    external_list_list,
    person_get_visible,
    person_list_visible_to,
    person_transfer_list_visible_to,
    sensitive_access_log_list,
)
from .services import (
    PERSON_FIELDS,
    person_create,
    person_set_status,
    person_transfer_decide,
    person_transfer_request,
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
        context = {"form": form}
        if form.registered_elsewhere and request.user.has_perm("people.add_persontransfer"):
            context["transfer_form"] = PersonTransferForm(
                user=request.user,
                initial={
                    "id_number": form.registered_elsewhere,
                    "to_community": form.cleaned_data.get("community"),
                },
            )
        return render(request, self.template_name, context, status=400)


class PersonUpdateView(FullViewLogMixin, LoginRequiredMixin, PermissionRequiredMixin, View):
    permission_required = "people.change_person"
    template_name = "people/person_form.html"

    def get(self, request, pk):
        person = person_get_visible(user=request.user, pk=pk)
        form = PersonForm(instance=person, user=request.user)
        self.log_full_view(kind="edit", person=person)
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
        self.log_full_view(kind="edit", person=person)
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
                messages.error(request, error_text(exc))
            else:
                messages.success(request, _("状态已更新"))
        else:
            messages.error(request, _("状态变更有误，请检查后重试"))
        return redirect("people:person-detail", pk=person.pk)


class AccessLogListView(FilteredListView):
    """The access log for admins and the 纪检 role: filters and an xlsx export."""

    permission_required = "people.view_sensitiveaccesslog"
    template_name = "people/accesslog_list.html"
    filterset_class = AccessLogFilter

    def base_queryset(self):
        return sensitive_access_log_list()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["retention_months"] = settings.ACCESS_LOG_RETENTION_MONTHS
        return context

    def export_table(self, queryset):
        headers = [
            _("查看时间"),
            _("查看人"),
            _("查看方式"),
            _("页面"),
            _("被查看人"),
            _("筛选条件"),
            _("人数"),
            _("IP 地址"),
        ]
        rows = (
            [
                timezone.localtime(log.viewed_at).strftime("%Y-%m-%d %H:%M:%S"),
                str(log.user),
                log.get_kind_display(),
                log.context,
                log.person.name if log.person_id else "",
                log.query,
                log.count if log.count is not None else "",
                log.ip_address or "",
            ]
            for log in queryset.iterator(chunk_size=2000)
        )
        return "access-log.xlsx", _("敏感信息查看记录"), headers, rows, (5, 7)


class PersonTransferListView(FilteredListView):
    """区内迁移 requests: into the user's towns, or all of them for the district's reviewers."""

    permission_required = "people.view_persontransfer"
    template_name = "people/persontransfer_list.html"

    def base_queryset(self):
        return person_transfer_list_visible_to(self.request.user)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["district"] = user_sees_district(self.request.user)
        context["decision_form"] = PersonTransferDecisionForm()
        return context


class PersonTransferCreateView(LoginRequiredMixin, PermissionRequiredMixin, View):
    permission_required = "people.add_persontransfer"

    def post(self, request):
        form = PersonTransferForm(request.POST, user=request.user)
        if form.is_valid():
            try:
                person_transfer_request(by=request.user, **form.cleaned_data)
            except ValidationError as exc:
                messages.error(request, error_text(exc))
            else:
                messages.success(request, _("已提交区内迁移申请，待区残联审核"))
                return redirect("people:transfer-list")
        else:
            messages.error(request, _("请选择迁入的社区（村）"))
        return redirect("people:person-create")


class PersonTransferDecideView(LoginRequiredMixin, PermissionRequiredMixin, View):
    permission_required = "people.approve_persontransfer"

    def post(self, request, pk, action):
        if action not in ("approve", "reject"):
            raise Http404
        transfer = get_object_or_404(person_transfer_list_visible_to(request.user), pk=pk)
        form = PersonTransferDecisionForm(request.POST)
        form.is_valid()
        try:
            transfer.action_check(request.user, action)  # what the list offers
            person_transfer_decide(
                transfer=transfer,
                by=request.user,
                approve=action == "approve",
                note=form.cleaned_data.get("note", ""),
            )
        except ValidationError as exc:
            messages.error(request, error_text(exc))
        else:
            messages.success(request, _("已处理区内迁移申请"))
        return redirect("people:transfer-list")


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

    def get_job(self, job: str) -> ImportJob:
        record = import_job_get_own(pk=job, user=self.request.user, importer=LIST_IMPORTER)
        if record is None:
            raise Http404
        return record

    def start(self, *, path: str, filename: str, size: int, kind: str, dry_run: bool):
        job = import_job_start(
            importer=LIST_IMPORTER,
            path=path,
            filename=filename,
            size=size,
            by=self.request.user,
            dry_run=dry_run,
            options={"kind": kind},
        )
        return redirect("people:externallist-preview", job=job.pk)


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
        return self.start(
            path=import_upload_save(upload=upload),
            filename=Path(upload.name).name,
            size=upload.size,
            kind=form.cleaned_data["kind"],
            dry_run=True,
        )


class ExternalListPreviewView(ListImportMixin, View):
    """Progress, then the dry run's report (confirm) or the real run's; confirming runs the
    same import for real from the same upload (then compares)."""

    def get(self, request, job):
        record = self.get_job(job)
        data = import_job_status(job=record)
        if "json" in request.headers.get("Accept", ""):
            keys = ("state", "percent", "message")
            return JsonResponse({key: data[key] for key in keys} | {"redirect": ""})
        report = ImportReport.from_dict(record.report) if record.report else None
        lines = report.error_lines() if report else []
        return render(request, "people/externallist_preview.html", {
            "report": report, "job": record.pk, "data": data, "record": record,
            "error_page": Paginator(lines, 200).get_page(request.GET.get("page")),
            "kind": ExternalList.Kind(record.options["kind"]).label,
        })  # fmt: skip

    def post(self, request, job):
        record = self.get_job(job)
        report = record.report or {}
        if not report or report.get("errors") or report.get("file_error"):
            return redirect("people:externallist-preview", job=record.pk)
        if not record.dry_run:
            return redirect("people:externallist-list")
        confirmed = import_job_confirmed(job=record)
        if confirmed is not None:  # confirmed twice: show the first run, do not import again
            return redirect("people:externallist-preview", job=confirmed.pk)
        return self.start(
            path=record.path,
            filename=record.filename,
            size=record.size,
            kind=record.options["kind"],
            dry_run=False,
        )


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
