from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin, PermissionRequiredMixin
from django.core.exceptions import ValidationError
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse, reverse_lazy
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from dfed.core.masking import full_view_record_always, sensitive
from dfed.core.months import month_label, month_start
from dfed.core.progress import progress_get, progress_new
from dfed.core.views import FilteredListView, ServiceFormView, error_text, run_service

from .. import services
from ..exports import bank_filename, bank_workbook
from ..filters import PaymentFilter
from ..forms import BatchGenerateForm, HoldForm, PaymentFailForm, SubsidyRateForm
from ..models import Payment, SubsidyRate, subsidy_type_short
from ..selectors import (
    entitlement_count_missing_payment,
    payment_batch_get,
    payment_batch_latest_month,
    payment_batch_list,
    payment_batch_totals,
    payment_list_visible_to,
    subsidy_rate_list,
)
from ..tasks import BATCH_PROGRESS, payment_batch_generate_task


class BatchListView(FilteredListView):
    permission_required = "subsidies.view_paymentbatch"
    template_name = "subsidies/batch_list.html"

    def base_queryset(self):
        return payment_batch_list()

    def get_context_data(self, **kwargs):
        form = BatchGenerateForm(initial={"month": month_start(timezone.localdate())})
        return super().get_context_data(generate_form=form, **kwargs)


class BatchGenerateView(LoginRequiredMixin, PermissionRequiredMixin, View):
    """Start the Celery task and show its progress bar (eager: already done when shown)."""

    permission_required = "subsidies.add_paymentbatch"

    def post(self, request):
        form = BatchGenerateForm(request.POST)
        if not form.is_valid():
            messages.error(request, _("请填写正确的发放月份，例如 2025-01"))
            return redirect("subsidies:batch-list")
        token = progress_new(BATCH_PROGRESS)
        request.session[f"progress-{token}"] = True
        month = form.cleaned_data["month"]
        payment_batch_generate_task.delay_on_commit(month.isoformat(), request.user.pk, token)
        return redirect("subsidies:batch-progress", token=token)


class BatchProgressView(LoginRequiredMixin, PermissionRequiredMixin, View):
    permission_required = "subsidies.add_paymentbatch"

    def get(self, request, token):
        if not request.session.get(f"progress-{token}"):
            raise Http404
        data = progress_get(BATCH_PROGRESS, token) or {
            "state": "failed",
            "percent": 100,
            "message": _("任务已过期"),
        }
        wants_json = (
            "json" in request.headers.get("Accept", "") or request.GET.get("format") == "json"
        )
        if data["state"] == "done" and request.session.pop(f"progress-{token}-open", True):
            # The outcome (counts and total) becomes a message on the page the user lands on.
            request.session[f"progress-{token}-open"] = False
            messages.success(request, data["message"])
            if not wants_json and data.get("redirect"):
                return redirect(data["redirect"])
        if wants_json:
            return JsonResponse(data)
        context = {"token": token, "progress": data}
        return render(request, "subsidies/batch_progress.html", context)


class BatchDetailView(FilteredListView):
    """A batch: totals per town and type, its payments (hold while draft), the next action."""

    full_identifiers = True

    permission_required = "subsidies.view_paymentbatch"
    template_name = "subsidies/batch_detail.html"
    filterset_class = PaymentFilter
    sort_fields = {"name": "person__name", "town": "town__code", "amount": "amount"}

    def dispatch(self, request, *args, **kwargs):
        self.batch = payment_batch_get(pk=kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def base_queryset(self):
        return payment_list_visible_to(self.request.user).filter(batch=self.batch)

    def get_context_data(self, **kwargs):
        missing = 0
        if self.batch.status == self.batch.Status.DRAFT:
            missing = entitlement_count_missing_payment(self.batch.month)
        return super().get_context_data(
            batch=self.batch,
            totals=payment_batch_totals(self.batch),
            hold_form=HoldForm(),
            fail_form=PaymentFailForm(),
            missing=missing,
            **kwargs,
        )

    def export_table(self, queryset):
        return payment_export_table(
            queryset, self.request.user, f"payments-{self.batch.month:%Y-%m}"
        )


def payment_export_table(queryset, user, name="payments"):
    headers = [
        _("姓名"),
        _("身份证号"),
        _("镇街道"),
        _("补贴类型"),
        _("档次"),
        _("所属月份"),
        _("金额"),
        _("补发"),
        _("暂缓"),
        _("批次"),
        _("开户银行"),
        _("银行账号"),
        _("发放结果"),
        _("失败原因"),
    ]
    rows = (
        [
            p.person.name,
            sensitive(p.person.id_number, "id", user),
            p.town.name,
            subsidy_type_short(p.type),
            p.get_tier_display(),
            month_label(p.month),
            p.amount,
            _("是") if p.is_arrears else "",
            _("是") if p.held else "",
            str(p.batch),
            p.person.bank_name,
            sensitive(p.person.bank_account, "bank", user),
            p.get_status_display(),
            p.failure_text or p.get_failure_code_display(),
        ]
        for p in queryset.iterator(chunk_size=2000)
    )
    return f"{name}.xlsx", _("发放明细"), headers, rows, (1, 11)


class PaymentListView(FilteredListView):
    full_identifiers = True
    permission_required = "subsidies.view_payment"
    template_name = "subsidies/payment_list.html"
    filterset_class = PaymentFilter
    sort_fields = {"name": "person__name", "town": "town__code", "month": "month"}
    default_sort = "-month"

    def get(self, request, *args, **kwargs):
        # Opened without filters, the list shows the latest batch's month, not every payment
        # ever made (18M a year at province scale); 「全部月份」 is one click away.
        if not request.GET:
            latest = payment_batch_latest_month()
            if latest is not None:
                return redirect(f"{request.path}?month={latest:%Y-%m}")
        return super().get(request, *args, **kwargs)

    def base_queryset(self):
        return payment_list_visible_to(self.request.user)

    def export_table(self, queryset):
        return payment_export_table(queryset, self.request.user)


BATCH_ACTIONS = {
    "confirm": (services.payment_batch_confirm, gettext_lazy("批次已确认")),
    "paid": (services.payment_batch_mark_paid, gettext_lazy("其余明细已登记为已发放")),
}


class BatchActionView(LoginRequiredMixin, View):
    def post(self, request, pk, action):
        batch = payment_batch_get(pk=pk)
        if action not in BATCH_ACTIONS:
            raise Http404
        service, success = BATCH_ACTIONS[action]

        def act():
            batch.action_check(request.user, action)  # what the page offers, nothing else
            service(batch=batch, by=request.user)

        run_service(request, act, success)
        return redirect("subsidies:batch-detail", pk=pk)


class BatchBankFileView(LoginRequiredMixin, PermissionRequiredMixin, View):
    """POST: record the export and download the bank's xlsx."""

    permission_required = "subsidies.export_paymentbatch"

    def post(self, request, pk):
        batch = payment_batch_get(pk=pk)
        try:
            batch.action_check(request.user, "export")
            batch = services.payment_batch_mark_exported(batch=batch, by=request.user)
        except ValidationError as exc:
            messages.error(request, error_text(exc))
            return redirect("subsidies:batch-detail", pk=pk)
        full_view_record_always(
            request,
            kind="bank_file",
            query=f"batch={batch.pk}",
            count=batch.payments.values("person_id").distinct().count(),
        )
        return bank_workbook(batch).response(bank_filename(batch))


class PaymentHoldView(LoginRequiredMixin, PermissionRequiredMixin, View):
    permission_required = "subsidies.change_payment"

    def post(self, request, pk):
        payment = get_object_or_404(Payment.objects.select_related("batch"), pk=pk)
        form = HoldForm(request.POST)
        form.is_valid()
        held = form.cleaned_data.get("held", False)

        def act():
            payment.batch.action_check(request.user, "hold")
            services.payment_hold(
                payment=payment,
                by=request.user,
                held=held,
                reason=form.cleaned_data.get("reason", ""),
            )

        run_service(
            request,
            act,
            _("已暂缓发放") if held else _("已恢复发放"),
        )
        return redirect(reverse("subsidies:batch-detail", args=[payment.batch_id]) + "#payments")


class RateListView(FilteredListView):
    permission_required = "subsidies.view_subsidyrate"
    template_name = "subsidies/rate_list.html"

    def base_queryset(self):
        return subsidy_rate_list()


class RateFormView(ServiceFormView):
    template_name = "subsidies/rate_form.html"
    form_class = SubsidyRateForm
    success_message = gettext_lazy("补贴标准已保存")
    success_url = reverse_lazy("subsidies:rate-list")

    def get_permission_required(self):
        return [
            "subsidies.change_subsidyrate" if "pk" in self.kwargs else "subsidies.add_subsidyrate"
        ]

    def get_form_kwargs(self):
        pk = self.kwargs.get("pk")
        self.rate = get_object_or_404(SubsidyRate, pk=pk) if pk else None
        return {**super().get_form_kwargs(), "instance": self.rate}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)  # builds the form, which sets self.rate
        context["rate"] = self.rate
        return context

    def perform(self, form):
        data = {k: form.cleaned_data[k] for k in form.Meta.fields}
        if self.rate is None:
            return services.subsidy_rate_create(by=self.request.user, **data)
        return services.subsidy_rate_update(rate=self.rate, by=self.request.user, **data)
