"""The engine's pages for every importer registered with ``pages=True``: upload → (task)
preview → confirm → (task) result, the template download and the annotated error file.

Each step is an ``ImportJob`` run by the engine's Celery task (eager in the embedded default);
the pages poll its progress. Only staff and 管理员 holding the importer's permission may use an
importer's pages, and each sees only their own jobs."""

from urllib.parse import quote

from django.contrib.auth.mixins import LoginRequiredMixin, UserPassesTestMixin
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import View

from dfed.accounts.roles import Role
from dfed.core.importing.annotate import error_filename, error_workbook
from dfed.core.importing.report import ImportReport
from dfed.core.masking import full_view_record_always

from .forms import ImportOptionsForm, UploadForm
from .models import ImportJob
from .preview import preview_rows
from .registry import Importer, importer_get, importer_list
from .selectors import import_job_status
from .services import import_job_start, import_upload_exists, import_upload_read, import_upload_save

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
ERRORS_PER_PAGE = 200


def may_import(user, importer: Importer | None = None) -> bool:
    """Staff or 管理员, holding ``importer``'s permission when it names one."""
    if not user.is_authenticated:
        return False
    if not (user.is_staff or user.groups.filter(name=Role.ADMIN).exists()):
        return False
    return importer is None or not importer.permission or user.has_perm(importer.permission)


def _page_importer(key: str) -> Importer:
    try:
        importer = importer_get(key)
    except KeyError:
        raise Http404 from None
    if not importer.pages:
        raise Http404
    return importer


def _options_form_class(importer: Importer) -> type[ImportOptionsForm]:
    return importer.options_form or ImportOptionsForm


class ImporterMixin(LoginRequiredMixin, UserPassesTestMixin):
    """Pages of one importer, named by ``key`` in the URL."""

    def dispatch(self, request, *args, **kwargs):
        self.importer = _page_importer(kwargs["key"])
        return super().dispatch(request, *args, **kwargs)

    def test_func(self):
        return may_import(self.request.user, self.importer)


class JobMixin(LoginRequiredMixin, UserPassesTestMixin):
    """Pages of one of the user's jobs; ``pages_only`` limits them to importers with pages
    (the error file serves any importer's job: the external lists link to it too)."""

    pages_only = True

    def test_func(self):
        return may_import(self.request.user)

    def get_job(self, job: str) -> dict:
        """The job as the pages show it: its record, with live progress from the cache."""
        try:
            record = ImportJob.objects.filter(created_by=self.request.user, pk=job).first()
        except ValidationError:
            record = None
        if record is None:
            raise Http404
        try:
            importer = importer_get(record.importer)
        except KeyError:
            raise Http404 from None
        if (self.pages_only and not importer.pages) or not may_import(self.request.user, importer):
            raise Http404
        name = "imports:preview" if record.dry_run else "imports:result"
        return import_job_status(job=record) | {
            "record": record,
            "importer": importer,
            "redirect": reverse(name, kwargs={"job": record.pk})
            if record.state == ImportJob.State.DONE
            else "",
            "report": record.report,
            "options": record.options,
        }


def _start(request, *, importer: Importer, path, filename, size, dry_run, options):
    job = import_job_start(
        importer=importer.key,
        path=path,
        filename=filename,
        size=size,
        by=request.user,
        dry_run=dry_run,
        options=options,
    )
    return redirect("imports:progress", job=job.pk)


class ImportIndexView(LoginRequiredMixin, UserPassesTestMixin, View):
    """The importers this user may use, each with its upload page."""

    def test_func(self):
        return may_import(self.request.user)

    def get(self, request):
        importers = [i for i in importer_list(pages=True) if may_import(request.user, i)]
        return render(request, "imports/index.html", {"importers": importers})


class ImportUploadView(ImporterMixin, View):
    template_name = "imports/upload.html"

    def context(self, form, options_form) -> dict:
        spec = self.importer.spec
        columns = list(spec.columns) if spec is not None else []
        return {
            "importer": self.importer,
            "form": form,
            "options_form": options_form,
            "columns": columns,
        }

    def get(self, request, key):
        options_form = _options_form_class(self.importer)(
            initial=_options_form_class(self.importer).initial_for(None)
        )
        return render(request, self.template_name, self.context(UploadForm(), options_form))

    def post(self, request, key):
        form = UploadForm(request.POST, request.FILES)
        options_form = _options_form_class(self.importer)(request.POST)
        if not (form.is_valid() & options_form.is_valid()):
            context = self.context(form, options_form)
            return render(request, self.template_name, context, status=400)
        upload = form.cleaned_data["file"]
        return _start(
            request,
            importer=self.importer,
            path=import_upload_save(upload=upload),
            filename=upload.name.replace("\\", "/").rsplit("/", 1)[-1],
            size=upload.size,
            dry_run=True,
            options=options_form.options(),
        )


class ImportTemplateView(ImporterMixin, View):
    """The importer's template: header, one example row, drop-down lists."""

    def get(self, request, key):
        if self.importer.template is None:
            raise Http404
        response = HttpResponse(self.importer.template(), content_type=XLSX)
        name = quote(_("%(label)s模板.xlsx") % {"label": self.importer.label})
        response["Content-Disposition"] = f"attachment; filename*=UTF-8''{name}"
        return response


class ImportProgressView(JobMixin, View):
    def get(self, request, job):
        data = self.get_job(job)
        if data.get("state") == "done" and data.get("redirect"):
            return redirect(data["redirect"])
        context = {"job": job, "data": data, "importer": data["importer"]}
        return render(request, "imports/progress.html", context)


class ImportStatusView(JobMixin, View):
    def get(self, request, job):
        data = self.get_job(job)
        keys = ("state", "percent", "message", "redirect")
        return JsonResponse({key: data.get(key, "") for key in keys})


def _report_context(data: dict, request=None) -> dict:
    """The report, and a page of its error lines unless ``request`` is None (the preview
    shows its rows instead)."""
    report = ImportReport.from_dict(data["report"]) if data.get("report") else None
    error_page = None
    if request is not None and report:
        page = request.GET.get("page")
        error_page = Paginator(report.error_lines(), ERRORS_PER_PAGE).get_page(page)
    return {"report": report, "data": data, "error_page": error_page, "importer": data["importer"]}


def _rows_context(request, data: dict, job) -> dict:
    """The report with a page of its rows (filtered by outcome), or of its error lines for a
    job that stored no rows: the preview's and the result's."""
    rows = preview_rows(request, job=data["record"])
    return _report_context(data, None if rows else request) | (rows or {}) | {"job": job}


def _preview_context(request, data: dict, job, form) -> dict:
    return _rows_context(request, data, job) | {"form": form}


class ImportPreviewView(JobMixin, View):
    template_name = "imports/preview.html"

    def get(self, request, job):
        data = self.get_job(job)
        if data.get("state") != "done":
            return redirect("imports:progress", job=job)
        form_class = _options_form_class(data["importer"])
        form = form_class(initial=form_class.initial_for(data["options"]))
        return render(request, self.template_name, _preview_context(request, data, job, form))

    def post(self, request, job):
        data = self.get_job(job)
        form = _options_form_class(data["importer"])(request.POST)
        if not form.is_valid() or not data.get("report") or data["report"]["errors"]:
            context = _preview_context(request, data, job, form)
            return render(request, self.template_name, context, status=400)
        record = data["record"]
        return _start(
            request,
            importer=data["importer"],
            path=record.path,
            filename=record.filename,
            size=record.size,
            dry_run=False,
            options=form.options(),
        )


class ImportResultView(JobMixin, View):
    def get(self, request, job):
        data = self.get_job(job)
        if data.get("state") != "done":
            return redirect("imports:progress", job=job)
        described = _options_form_class(data["importer"]).describe(data["options"])
        # What was written, row by row (新增 / 更新 / 未变化, or 有误 when nothing was), as the
        # preview showed it.
        context = _rows_context(request, data, job) | {"described": described}
        return render(request, "imports/result.html", context)


class ImportErrorFileView(JobMixin, View):
    """下载错误标注文件: the upload with a 错误说明 column and its bad cells filled red."""

    pages_only = False

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
        response = HttpResponse(content, content_type=XLSX)
        name = quote(error_filename(record.filename))
        response["Content-Disposition"] = f"attachment; filename*=UTF-8''{name}"
        return response
