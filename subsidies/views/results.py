"""The bank's results on the batch page: manual results, the return file, 银行信息更正."""

import uuid
from pathlib import Path

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin, PermissionRequiredMixin
from django.core.exceptions import ValidationError
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import View

from dfed.core.importing.progress import job_get, job_set
from dfed.core.importing.report import ImportReport
from dfed.core.importing.tasks import import_job_run
from dfed.core.views import FilteredListView, run_service

from .. import services
from ..bank_return import bank_return_template
from ..forms import AccountCorrectionForm, BankReturnForm, PaymentFailForm
from ..models import Payment
from ..selectors import (
    account_correction_get_visible,
    account_correction_list_visible_to,
    payment_batch_get,
)


class PaymentFailView(LoginRequiredMixin, PermissionRequiredMixin, View):
    """The bank said (without a file) that this payment's transfer failed."""

    permission_required = "subsidies.confirm_paymentbatch"

    def post(self, request, pk):
        payment = get_object_or_404(Payment.objects.select_related("batch"), pk=pk)
        form = PaymentFailForm(request.POST)
        url = reverse("subsidies:batch-detail", args=[payment.batch_id]) + "#payments"
        if not form.is_valid():
            messages.error(request, _("请选择失败原因"))
            return redirect(url)
        run_service(
            request,
            lambda: services.payment_mark_failed(
                payment=payment, by=request.user, **form.cleaned_data
            ),
            _("已登记发放失败"),
        )
        return redirect(url)


class AccountCorrectionListView(FilteredListView):
    permission_required = "subsidies.view_accountcorrection"
    template_name = "subsidies/correction_list.html"

    def base_queryset(self):
        queryset = account_correction_list_visible_to(self.request.user)
        if self.request.GET.get("status", "open") == "open":
            queryset = queryset.filter(status="open")
        return queryset


class AccountCorrectionView(LoginRequiredMixin, PermissionRequiredMixin, View):
    permission_required = "subsidies.change_accountcorrection"
    template_name = "subsidies/correction_form.html"

    def get(self, request, pk):
        correction = account_correction_get_visible(user=request.user, pk=pk)
        form = AccountCorrectionForm(initial={"bank_name": correction.person.bank_name})
        return render(request, self.template_name, {"form": form, "correction": correction})

    def post(self, request, pk):
        correction = account_correction_get_visible(user=request.user, pk=pk)
        form = AccountCorrectionForm(request.POST)
        if form.is_valid():
            try:
                services.account_correction_complete(
                    correction=correction, by=request.user, **form.cleaned_data
                )
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(request, _("银行信息已更正，失败的月份将在下一批次补发"))
                return redirect("subsidies:correction-list")
        context = {"form": form, "correction": correction}
        return render(request, self.template_name, context, status=400)


RETURN_IMPORTER = "subsidies.bank_return.bank_return_import"


class BatchReturnMixin(LoginRequiredMixin, PermissionRequiredMixin):
    permission_required = "subsidies.confirm_paymentbatch"

    def get_job(self, pk: int, job: str) -> dict:
        data = job_get(job)
        if (
            data is None
            or data.get("user_id") != self.request.user.pk
            or data.get("importer") != RETURN_IMPORTER
            or data.get("options", {}).get("batch") != pk
        ):
            raise Http404
        return data


def _start(job: str, data: dict, *, dry_run: bool, next_url: str):
    job_set(
        job,
        **{
            **data,
            "options": {**data["options"], "dry_run": dry_run},
            "state": "pending",
            "percent": 0,
            "message": _("排队中……"),
            "redirect": next_url,
            "report": None,
        },
    )
    import_job_run.delay(job)


class BatchReturnView(BatchReturnMixin, View):
    """Upload the return file; the preview runs as the engine's task."""

    template_name = "subsidies/batch_return.html"

    def get(self, request, pk):
        batch = payment_batch_get(pk=pk)
        return render(request, self.template_name, {"batch": batch, "form": BankReturnForm()})

    def post(self, request, pk):
        batch = payment_batch_get(pk=pk)
        form = BankReturnForm(request.POST, request.FILES)
        if not form.is_valid():
            context = {"batch": batch, "form": form}
            return render(request, self.template_name, context, status=400)
        upload, job = form.cleaned_data["file"], uuid.uuid4().hex
        folder = Path(settings.MEDIA_ROOT) / "imports"
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / f"{job}{Path(upload.name).suffix.lower()}"
        with path.open("wb") as handle:
            for chunk in upload.chunks():
                handle.write(chunk)
        data = {
            "importer": RETURN_IMPORTER,
            "path": str(path),
            "filename": Path(upload.name).name,
            "user_id": request.user.pk,
            "options": {"batch": batch.pk},
        }
        url = reverse("subsidies:batch-return-job", args=[batch.pk, job])
        _start(job, data, dry_run=True, next_url=url)
        return redirect(url)


class BatchReturnJobView(BatchReturnMixin, View):
    """Progress, then the preview (confirm) or the result of a return file."""

    template_name = "subsidies/batch_return_job.html"

    def get(self, request, pk, job):
        data = self.get_job(pk, job)
        if "json" in request.headers.get("Accept", ""):
            keys = ("state", "percent", "message")
            return JsonResponse({key: data.get(key, "") for key in keys} | {"redirect": ""})
        report = ImportReport.from_dict(data["report"]) if data.get("report") else None
        context = {"batch": payment_batch_get(pk=pk), "job": job, "data": data, "report": report}
        return render(request, self.template_name, context)

    def post(self, request, pk, job):
        data = self.get_job(pk, job)
        report = data.get("report")
        if not report or report["errors"] or report["file_error"] or report["written"]:
            return redirect("subsidies:batch-return-job", pk=pk, job=job)
        url = reverse("subsidies:batch-return-job", args=[pk, job])
        _start(job, data, dry_run=False, next_url=url)
        return redirect(url)


class BatchReturnTemplateView(LoginRequiredMixin, PermissionRequiredMixin, View):
    permission_required = "subsidies.view_paymentbatch"

    def get(self, request):
        return bank_return_template().response("bank-return-template.xlsx")
