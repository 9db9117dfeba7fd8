"""Admin pages for spreadsheet imports: upload → (task) preview → confirm → (task) result.

Each step is an ``ImportJob`` (dfed.imports) run by the engine's Celery task (eager in the
embedded default); the pages poll the job's progress. Only staff and 管理员 may import, and only
their own jobs are visible."""

from pathlib import Path
from urllib.parse import quote

from django import forms
from django.contrib.auth.mixins import LoginRequiredMixin, UserPassesTestMixin
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from dfed.accounts.roles import Role
from dfed.core.importing.annotate import error_filename, error_workbook
from dfed.core.importing.normalizers import CATEGORY_NAMES
from dfed.core.importing.readers import EXTENSIONS, file_extension, limits
from dfed.core.importing.report import ImportReport
from dfed.core.importing.template import template_workbook
from dfed.core.masking import full_view_record_always
from dfed.core.months import month_label
from dfed.imports.models import ImportJob
from dfed.imports.preview import preview_rows
from dfed.imports.selectors import import_job_status
from dfed.imports.services import (
    import_job_start,
    import_upload_exists,
    import_upload_read,
    import_upload_save,
)
from dfed.people.selectors import area_list_towns

from .importing import default_paid_through, parse_paid_through
from .importing.spec import RECIPIENT_SPEC, TEMPLATE_EXAMPLE

IMPORTER = "recipients"
SIGNATURES = {".xlsx": b"PK\x03\x04", ".xlsm": b"PK\x03\x04", ".xls": b"\xd0\xcf\x11\xe0"}


def import_max_bytes() -> int:
    return limits().bytes


class PaidThroughField(forms.CharField):
    def to_python(self, value):
        value = super().to_python(value)
        if not value:
            return None
        try:
            return parse_paid_through(value)
        except forms.ValidationError:
            raise forms.ValidationError(_("请填写年月，例如 2025-06")) from None


class UploadForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("花名册文件"), help_text=gettext_lazy("xlsx、xls 或 csv")
    )
    paid_through = PaidThroughField(
        label=gettext_lazy("已发放至（年月）"),
        help_text=gettext_lazy("原发放方式已发放到哪个月，系统只发放之后的月份"),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        ext = file_extension(upload.name)
        if ext not in EXTENSIONS:
            raise forms.ValidationError(_("只能导入 xlsx、xls 或 csv 文件"))
        if upload.size > import_max_bytes():
            raise forms.ValidationError(
                _("文件不能超过 %(mb)d MB") % {"mb": import_max_bytes() // 1024 // 1024}
            )
        head = upload.read(8)
        upload.seek(0)
        if ext in SIGNATURES and not head.startswith(SIGNATURES[ext]):
            raise forms.ValidationError(_("文件内容与扩展名不符，请上传真实的 Excel 文件"))
        return upload


class ConfirmForm(forms.Form):
    paid_through = PaidThroughField(label=gettext_lazy("已发放至（年月）"))


class ImportAdminMixin(LoginRequiredMixin, UserPassesTestMixin):
    def test_func(self):
        user = self.request.user
        return user.is_staff or user.groups.filter(name=Role.ADMIN).exists()

    # The roster's pages show roster jobs only; the error file serves any importer's job
    # (the external lists link to it too).
    importers: tuple[str, ...] | None = (IMPORTER,)

    def get_job(self, job: str) -> dict:
        """The job as the pages show it: its record, with live progress from the cache."""
        jobs = ImportJob.objects.filter(created_by=self.request.user)
        if self.importers is not None:
            jobs = jobs.filter(importer__in=self.importers)
        try:
            record = jobs.filter(pk=job).first()
        except ValidationError:
            record = None
        if record is None:
            raise Http404
        name = "imports:preview" if record.dry_run else "imports:result"
        return import_job_status(job=record) | {
            "record": record,
            "redirect": reverse(name, kwargs={"job": record.pk})
            if record.state == ImportJob.State.DONE
            else "",
            "report": record.report,
            "options": record.options,
        }


def _start(request, *, path: str, filename: str, size: int, dry_run: bool, paid_through):
    job = import_job_start(
        importer=IMPORTER,
        path=path,
        filename=filename,
        size=size,
        by=request.user,
        dry_run=dry_run,
        options={"paid_through": paid_through.isoformat()},
    )
    return redirect("imports:progress", job=job.pk)


class ImportUploadView(ImportAdminMixin, View):
    template_name = "imports/upload.html"

    def get(self, request):
        form = UploadForm(initial={"paid_through": f"{default_paid_through():%Y-%m}"})
        return render(request, self.template_name, {"form": form})

    def post(self, request):
        form = UploadForm(request.POST, request.FILES)
        if not form.is_valid():
            return render(request, self.template_name, {"form": form}, status=400)
        upload = form.cleaned_data["file"]
        path = import_upload_save(upload=upload)
        paid_through = form.cleaned_data["paid_through"] or default_paid_through()
        return _start(
            request,
            path=path,
            filename=Path(upload.name).name,
            size=upload.size,
            dry_run=True,
            paid_through=paid_through,
        )


class ImportProgressView(ImportAdminMixin, View):
    def get(self, request, job):
        data = self.get_job(job)
        if data.get("state") == "done" and data.get("redirect"):
            return redirect(data["redirect"])
        return render(request, "imports/progress.html", {"job": job, "data": data})


class ImportStatusView(ImportAdminMixin, View):
    def get(self, request, job):
        data = self.get_job(job)
        keys = ("state", "percent", "message", "redirect")
        return JsonResponse({key: data.get(key, "") for key in keys})


ERRORS_PER_PAGE = 200


def _report_context(data: dict, request=None) -> dict:
    """The report, and a page of its error lines unless ``request`` is None (the preview
    shows its rows instead)."""
    report = ImportReport.from_dict(data["report"]) if data.get("report") else None
    error_page = None
    if request is not None and report:
        page = request.GET.get("page")
        error_page = Paginator(report.error_lines(), ERRORS_PER_PAGE).get_page(page)
    return {"report": report, "data": data, "error_page": error_page}


def _preview_context(request, data: dict, job, form) -> dict:
    """The report with a page of its rows (filtered by outcome), or of its error lines for a
    job that stored no rows."""
    rows = preview_rows(request, job=data["record"])
    return (
        _report_context(data, None if rows else request)
        | (rows or {})
        | {
            "job": job,
            "form": form,
        }
    )


class ImportPreviewView(ImportAdminMixin, View):
    template_name = "imports/preview.html"

    def get(self, request, job):
        data = self.get_job(job)
        if data.get("state") != "done":
            return redirect("imports:progress", job=job)
        paid = data["options"]["paid_through"][:7]
        form = ConfirmForm(initial={"paid_through": paid})
        return render(request, self.template_name, _preview_context(request, data, job, form))

    def post(self, request, job):
        data = self.get_job(job)
        form = ConfirmForm(request.POST)
        if not form.is_valid() or not data.get("report") or data["report"]["errors"]:
            context = _preview_context(request, data, job, form)
            return render(request, self.template_name, context, status=400)
        paid_through = form.cleaned_data["paid_through"] or default_paid_through()
        record = data["record"]
        return _start(
            request,
            path=record.path,
            filename=record.filename,
            size=record.size,
            dry_run=False,
            paid_through=paid_through,
        )


class ImportResultView(ImportAdminMixin, View):
    def get(self, request, job):
        data = self.get_job(job)
        if data.get("state") != "done":
            return redirect("imports:progress", job=job)
        context = _report_context(data, request) | {
            "job": job,
            "paid_through": month_label(parse_paid_through(data["options"]["paid_through"])),
        }
        return render(request, "imports/result.html", context)


class ImportErrorFileView(ImportAdminMixin, View):
    """下载错误标注文件: the upload with a 错误说明 column and its bad cells filled red."""

    importers = None

    def get(self, request, job):
        data = self.get_job(job)
        record = data["record"]
        if not data.get("report") or not import_upload_exists(job=record):
            raise Http404
        report = ImportReport.from_dict(data["report"])
        # The admin's own upload comes back whole, identifiers included: logged as an export.
        full_view_record_always(request, kind="export", query=f"job={job}", count=report.rows)
        content = error_workbook(
            source=import_upload_read(job=record), filename=record.filename, report=report
        )
        response = HttpResponse(
            content,
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
        name = quote(error_filename(record.filename))
        response["Content-Disposition"] = f"attachment; filename*=UTF-8''{name}"
        return response


class ImportTemplateView(ImportAdminMixin, View):
    """The roster template: header, one example row, drop-down lists (category, level,
    household type, subsidy type, town)."""

    def get(self, request):
        content = template_workbook(
            spec=RECIPIENT_SPEC,
            title=_("补贴对象花名册"),
            example=TEMPLATE_EXAMPLE,
            choices={
                "category": [f"{name}" for name in CATEGORY_NAMES.values()],
                "level": ["一级", "二级", "三级", "四级"],
                "household": ["低保", "低保边缘", "特困", "一般"],
                "type": ["生活补贴", "护理补贴"],
                "town": list(area_list_towns().values_list("name", flat=True)),
            },
        )
        response = HttpResponse(
            content,
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
        name = quote(_("补贴对象花名册模板.xlsx"))
        response["Content-Disposition"] = f"attachment; filename*=UTF-8''{name}"
        return response
