from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin, PermissionRequiredMixin
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import DetailView

from dfed.core.masking import sensitive
from dfed.core.months import month_label
from dfed.core.views import FilteredListView, error_text, run_service
from dfed.people.access import log_sensitive_view

from .. import services
from ..filters import EntitlementFilter, RecoveryFilter
from ..forms import EntitlementEndForm, NoteForm
from ..models import subsidy_type_short
from ..selectors import (
    entitlement_get_visible,
    entitlement_list_review_due,
    entitlement_list_visible_to,
    recovery_list_visible_to,
)


class EntitlementListView(FilteredListView):
    full_identifiers = True
    permission_required = "subsidies.view_entitlement"
    template_name = "subsidies/entitlement_list.html"
    filterset_class = EntitlementFilter
    # "town" sorts by the stored key (town code, then name): an index serves it.
    sort_fields = {"name": "person__name", "town": "sort_key", "start": "start_month"}

    def base_queryset(self):
        return entitlement_list_visible_to(self.request.user)

    def export_table(self, queryset):
        user = self.request.user
        headers = [
            _("姓名"),
            _("身份证号"),
            _("镇街道"),
            _("社区村"),
            _("补贴类型"),
            _("档次"),
            _("起始月份"),
            _("终止月份"),
            _("已发放至"),
            _("状态"),
            _("终止原因"),
            _("开户银行"),
            _("银行账号"),
        ]
        rows = (
            [
                e.person.name,
                sensitive(e.person.id_number, "id", user),
                e.person.town.name,
                e.person.community.name,
                subsidy_type_short(e.type),
                e.get_tier_display(),
                month_label(e.start_month),
                month_label(e.end_month),
                month_label(e.paid_through),
                e.get_state_display(),
                e.get_end_reason_display(),
                e.person.bank_name,
                sensitive(e.person.bank_account, "bank", user),
            ]
            for e in queryset.iterator(chunk_size=2000)
        )
        return "entitlements.xlsx", _("补贴享受人员"), headers, rows, (1, 12)


class EntitlementReviewListView(EntitlementListView):
    """年审: who must be re-confirmed (due, household or level changed, left the registry)."""

    permission_required = "subsidies.review_entitlement"
    template_name = "subsidies/entitlement_review.html"

    def base_queryset(self):
        return entitlement_list_review_due(self.request.user)


class EntitlementDetailView(LoginRequiredMixin, PermissionRequiredMixin, DetailView):
    permission_required = "subsidies.view_entitlement"
    template_name = "subsidies/entitlement_detail.html"
    context_object_name = "entitlement"

    def get_object(self, queryset=None):
        entitlement = entitlement_get_visible(user=self.request.user, pk=self.kwargs["pk"])
        log_sensitive_view(self.request, entitlement.person, "subsidy_entitlement")
        return entitlement

    def get_context_data(self, **kwargs):
        entitlement = self.object
        return super().get_context_data(
            payments=entitlement.payments.select_related("batch").order_by("-month")[:36],
            recoveries=entitlement.recoveries.all(),
            history=entitlement.history.select_related("history_user")[:20],
            end_form=EntitlementEndForm(),
            note_form=NoteForm(),
            **kwargs,
        )


class EntitlementActionView(LoginRequiredMixin, View):
    """POST suspend / resume / end / review: only a step ``available_actions`` offers
    (``action_check``); the services check the permission and the town again."""

    def post(self, request, pk, action):
        entitlement = entitlement_get_visible(user=request.user, pk=pk)
        by = request.user
        if action not in ("end", "suspend", "resume", "review"):
            raise Http404
        try:
            entitlement.action_check(by, action)  # what the page offers
        except ValidationError as exc:
            messages.error(request, error_text(exc))
            return redirect("subsidies:entitlement-detail", pk=pk)
        if action == "end":
            form = EntitlementEndForm(request.POST)
            if form.is_valid():
                data = form.cleaned_data
                run_service(
                    request,
                    lambda: services.entitlement_end(
                        entitlement=entitlement,
                        by=by,
                        reason=data["reason"],
                        end_month=data["end_month"],
                        note=data["note"],
                    ),
                    _("已终止"),
                )
            else:
                messages.error(request, _("请选择终止原因并填写终止月份"))
            return redirect("subsidies:entitlement-detail", pk=pk)
        calls = {
            "suspend": (services.entitlement_suspend, _("已暂停发放")),
            "resume": (services.entitlement_resume, _("已恢复发放")),
            "review": (services.entitlement_review_confirm, _("年审已确认")),
        }
        if action not in calls:
            raise Http404
        service, success = calls[action]
        note = request.POST.get("note", "")[:200]
        run_service(request, lambda: service(entitlement=entitlement, by=by, note=note), success)
        if request.POST.get("next") == "review":
            return redirect("subsidies:entitlement-review")
        return redirect("subsidies:entitlement-detail", pk=pk)


class RecoveryListView(FilteredListView):
    full_identifiers = True
    permission_required = "subsidies.view_recoveryitem"
    template_name = "subsidies/recovery_list.html"
    filterset_class = RecoveryFilter
    sort_fields = {"month": "month", "name": "person__name"}

    def base_queryset(self):
        return recovery_list_visible_to(self.request.user)

    def export_table(self, queryset):
        user = self.request.user
        headers = [
            _("姓名"),
            _("身份证号"),
            _("镇街道"),
            _("补贴类型"),
            _("所属月份"),
            _("应追回金额"),
            _("原因"),
            _("状态"),
            _("追回时间"),
        ]
        rows = (
            [
                r.person.name,
                sensitive(r.person.id_number, "id", user),
                r.person.town.name,
                subsidy_type_short(r.entitlement.type),
                month_label(r.month),
                r.amount,
                r.reason,
                r.get_status_display(),
                r.recovered_at,
            ]
            for r in queryset.iterator(chunk_size=2000)
        )
        return "recoveries.xlsx", _("应追回"), headers, rows, (1,)


class RecoveryMarkView(LoginRequiredMixin, PermissionRequiredMixin, View):
    permission_required = "subsidies.change_recoveryitem"

    def post(self, request, pk):
        item = recovery_list_visible_to(request.user).filter(pk=pk).first()
        if item is None:
            raise Http404
        note = request.POST.get("note", "")[:200]

        def act():
            item.action_check(request.user, "recover")  # what the list offers
            services.recovery_mark_recovered(item=item, by=request.user, note=note)

        run_service(request, act, _("已登记追回"))
        return redirect("subsidies:recovery-list")
