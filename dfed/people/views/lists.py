"""External lists: their templates, the upload, and the import's preview and confirmation."""

from pathlib import Path

from django import forms
from django.contrib.auth.mixins import (
    LoginRequiredMixin,
    UserPassesTestMixin,
)
from django.core.paginator import Paginator
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from dfed.accounts.roles import Role
from dfed.core.importing.readers import EXTENSIONS, file_extension
from dfed.core.importing.report import ImportReport
from dfed.core.xlsx import xlsx_response
from dfed.imports.models import ImportJob
from dfed.imports.selectors import import_job_confirmed, import_job_get_own, import_job_status
from dfed.imports.services import import_job_start, import_upload_save

from ..lists import LIST_IMPORTER, list_template_rows
from ..models import ExternalList
from ..selectors import (
    external_list_list,
)


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
