from django.contrib.auth.mixins import LoginRequiredMixin, PermissionRequiredMixin
from django.core.cache import cache
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.decorators.csrf import csrf_exempt
from django.views.generic import DetailView

from dfed.core.masking import FullViewLogMixin, sensitive
from dfed.core.views import FilteredListView, ServiceFormView, run_service

from .backends.http import ReportRejected, report_parse, report_verify
from .conf import callback_max_age
from .filters import SmsMessageFilter, status_choices
from .forms import SmsOptOutForm
from .models import SmsMessage
from .selectors import sms_message_list, sms_opt_out_list, sms_progress
from .services import sms_delivery_reports_apply, sms_message_resend, sms_opt_out_add


class SmsMessageListView(FilteredListView):
    full_identifiers = True
    permission_required = "notifications.view_smsmessage"
    template_name = "notifications/smsmessage_list.html"
    filterset_class = SmsMessageFilter
    sort_fields = {"created": "created_at", "status": "status", "attempts": "attempts"}
    default_sort = "-created"

    def base_queryset(self):
        return sms_message_list()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        progress = sms_progress(self.object_list)
        context["status_counts"] = [
            (value, label, progress[value]) for value, label in status_choices()
        ]
        return context

    def export_table(self, queryset):
        user = self.request.user
        headers = [_("手机号"), _("内容"), _("用途"), _("状态"), _("尝试次数"), _("最近错误")]
        rows = (
            [
                sensitive(m.phone, "phone", user),
                m.body,
                m.purpose_label,
                m.get_status_display(),
                m.attempts,
                m.last_error,
            ]
            for m in queryset.iterator(chunk_size=2000)
        )
        return "sms.xlsx", _("短信发件箱"), headers, rows, (0,)


class SmsMessageDetailView(
    FullViewLogMixin, LoginRequiredMixin, PermissionRequiredMixin, DetailView
):
    permission_required = "notifications.view_smsmessage"
    template_name = "notifications/smsmessage_detail.html"
    context_object_name = "message"
    queryset = SmsMessage.objects.prefetch_related("attempt_log")

    def get(self, request, *args, **kwargs):
        response = super().get(request, *args, **kwargs)
        self.log_full_view(kind="detail", count=1)  # the phone, whole for view_sensitive
        return response


class SmsMessageResendView(LoginRequiredMixin, PermissionRequiredMixin, View):
    permission_required = "notifications.change_smsmessage"

    def post(self, request, pk):
        message = get_object_or_404(SmsMessage, pk=pk)

        def resend():
            message.action_check(request.user, "resend")
            sms_message_resend(message=message)

        run_service(request, resend, _("已重新加入发送队列"))
        return redirect("notifications:message-detail", pk=pk)


class SmsOptOutView(ServiceFormView):
    """The opt-out list (view permission) and the form adding a phone to it (add permission)."""

    permission_required = "notifications.view_smsoptout"
    template_name = "notifications/smsoptout_list.html"
    form_class = SmsOptOutForm
    success_message = gettext_lazy("已登记退订")

    def post(self, request, *args, **kwargs):
        if not request.user.has_perm("notifications.add_smsoptout"):
            return self.handle_no_permission()
        return super().post(request, *args, **kwargs)

    def perform(self, form):
        return sms_opt_out_add(**form.cleaned_data)

    def get_success_url(self):
        return reverse("notifications:optout-list")

    def get_context_data(self, **kwargs):
        return super().get_context_data(opt_outs=sms_opt_out_list(), **kwargs)


@method_decorator(csrf_exempt, name="dispatch")
class SmsDeliveryReportView(View):
    """The HTTP gateway's delivery-report callback (no session: an HMAC-signed body)."""

    def post(self, request):
        body = request.body
        signature = request.headers.get("X-Sms-Signature", "")
        try:
            report_verify(
                body=body,
                timestamp=request.headers.get("X-Sms-Timestamp", ""),
                signature=signature,
            )
            reports, replies = report_parse(body)
        except ReportRejected as exc:
            return JsonResponse({"error": str(exc)}, status=403)
        # The same signed request within its window is applied once.
        if not cache.add(f"sms-report:{signature}", 1, timeout=callback_max_age() * 2 + 60):
            return JsonResponse({"duplicate": True})
        return JsonResponse(sms_delivery_reports_apply(reports=reports, replies=replies))
