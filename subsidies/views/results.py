"""The bank's results on the batch page: manual results, the return file, 银行信息更正."""

from pathlib import Path

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin, PermissionRequiredMixin
from django.core.exceptions import ValidationError
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import View

from dfed.core.importing.report import ImportReport
from dfed.core.views import FilteredListView, run_service
from dfed.imports.models import ImportJob
from dfed.imports.selectors import import_job_confirmed, import_job_get_own, import_job_status
from dfed.imports.services import import_job_start, import_upload_save

from .. import services
from ..bank_return import RETURN_IMPORTER, bank_return_template
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

        def act():
            payment.batch.action_check(request.user, "fail")
            services.payment_mark_failed(payment=payment, by=request.user, **form.cleaned_data)

        run_service(request, act, _("已登记发放失败"))
        return redirect(url)


class AccountCorrectionListView(FilteredListView):
    permission_required = "subsidies.view_accountcorrection"
    template_name = "subsidies/correction_list.html"

    def base_queryset(self):
        queryset = account_correction_list_visible_to(self.request.user)
        if self.request.GET.get("status", "open") == "open":
            queryset = queryset.filter(status="open")
        return queryset

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            showing_all=self.request.GET.get("status") == "all", **kwargs
        )


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
                correction.action_check(request.user, "correct")
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


class BatchReturnMixin(LoginRequiredMixin, PermissionRequiredMixin):
    permission_required = "subsidies.confirm_paymentbatch"

    def get_job(self, pk: int, job: str) -> ImportJob:
        record = import_job_get_own(
            pk=job, user=self.request.user, importer=RETURN_IMPORTER, batch=pk
        )
        if record is None:
            raise Http404
        return record

    def start(self, batch_pk: int, *, path: str, filename: str, size: int, dry_run: bool):
        job = import_job_start(
            importer=RETURN_IMPORTER,
            path=path,
            filename=filename,
            size=size,
            by=self.request.user,
            dry_run=dry_run,
            options={"batch": batch_pk},
        )
        return redirect("subsidies:batch-return-job", pk=batch_pk, job=job.pk)


class BatchReturnView(BatchReturnMixin, View):
    """Upload the return file; the preview (a dry run) runs as the import engine's task."""

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
        upload = form.cleaned_data["file"]
        return self.start(
            batch.pk,
            path=import_upload_save(upload=upload),
            filename=Path(upload.name).name,
            size=upload.size,
            dry_run=True,
        )


class BatchReturnJobView(BatchReturnMixin, View):
    """Progress, then the preview (confirm) or the result of a return file."""

    template_name = "subsidies/batch_return_job.html"

    def get(self, request, pk, job):
        record = self.get_job(pk, job)
        data = import_job_status(job=record)
        if "json" in request.headers.get("Accept", ""):
            keys = ("state", "percent", "message")
            return JsonResponse({key: data[key] for key in keys} | {"redirect": ""})
        report = ImportReport.from_dict(record.report) if record.report else None
        context = {
            "batch": payment_batch_get(pk=pk),
            "job": record.pk,
            "data": data,
            "report": report,
        }
        return render(request, self.template_name, context)

    def post(self, request, pk, job):
        record = self.get_job(pk, job)
        report = record.report
        if not report or report["errors"] or report["file_error"] or not record.dry_run:
            return redirect("subsidies:batch-return-job", pk=pk, job=record.pk)
        confirmed = import_job_confirmed(job=record)
        if confirmed is not None:  # confirmed twice: show the first run, record nothing again
            return redirect("subsidies:batch-return-job", pk=pk, job=confirmed.pk)
        return self.start(
            pk, path=record.path, filename=record.filename, size=record.size, dry_run=False
        )


class BatchReturnTemplateView(LoginRequiredMixin, PermissionRequiredMixin, View):
    permission_required = "subsidies.view_paymentbatch"

    def get(self, request):
        return bank_return_template().response("bank-return-template.xlsx")
