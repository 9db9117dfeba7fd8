"""The comparison worklist: a town's open findings, most urgent first, and one-click acts."""

from django import forms
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin, PermissionRequiredMixin
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse_lazy
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from dfed.core.masking import sensitive
from dfed.core.views import FilteredListView, ServiceFormView, error_text

from .. import services
from ..filters import FindingFilter
from ..models import Finding, SubsidyType
from ..selectors import finding_get_visible, finding_list_visible_to
from ..services.findings import finding_needs_confirmation, invitation_text


class FindingListView(FilteredListView):
    permission_required = "subsidies.view_finding"
    template_name = "subsidies/finding_list.html"
    filterset_class = FindingFilter
    sort_fields = {"found": "created_at", "name": "name", "effective": "effective_month"}

    def base_queryset(self):
        return finding_list_visible_to(self.request.user)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        for finding in context["object_list"]:
            finding.needs_confirmation = finding_needs_confirmation(finding)
        return context

    def export_table(self, queryset):
        user = self.request.user
        headers = [_("类别"), _("比对规则"), _("姓名"), _("身份证号"), _("镇街道"),
                   _("补贴类型"), _("名单"), _("行号"), _("事件日期"), _("名单所载"),
                   _("系统所载"), _("生效月份"), _("已多发月数"), _("状态")]  # fmt: skip
        rows = (
            [
                f.get_kind_display(),
                f.get_rule_display(),
                f.person.name if f.person_id else f.name,
                sensitive(f.id_number, "id", user),
                f.town.name if f.town_id else "",
                f.get_type_display(),
                f.source.filename if f.source_id else "",
                f.source_row,
                f.event_date,
                f.list_value,
                f.registry_value,
                f.effective_month,
                f.months_overpaid,
                f.get_status_display(),
            ]
            for f in queryset
        )
        return _("比对发现.xlsx"), _("比对发现"), headers, rows, [3]


ACTIONS = {
    "stop": (lambda f, by, text: services.finding_stop(finding=f, by=by, note=text), _("已处理")),
    "start": (lambda f, by, text: services.finding_start(finding=f, by=by, note=text),
              _("已生成申请草稿")),
    "correct": (lambda f, by, text: services.finding_correct(finding=f, by=by, note=text),
                _("已更正登记信息")),
    "dismiss": (lambda f, by, text: services.finding_dismiss(finding=f, by=by, reason=text),
                _("已排除")),
    "invite": (lambda f, by, text: services.finding_invite(finding=f, by=by),
               _("邀请短信已进入发送队列")),
}  # fmt: skip


class FindingActionView(LoginRequiredMixin, PermissionRequiredMixin, View):
    """POST one act on one finding of the user's towns (another town's finding is 404)."""

    permission_required = "subsidies.change_finding"

    def post(self, request, pk, action):
        if action not in ACTIONS:
            raise Http404
        finding = finding_get_visible(user=request.user, pk=pk)
        call, success = ACTIONS[action]
        try:
            finding.action_check(request.user, action)  # what the worklist offers
            finding = call(finding, request.user, request.POST.get("text", "").strip())
        except ValidationError as exc:
            messages.error(request, error_text(exc))
        else:
            if action == "stop" and finding.status == Finding.Status.OPEN:
                success = _("已提议停发，等待区残联审核人确认（将生成应追回）")
            messages.success(request, f"{finding.person or finding.name}：{success}")
        target = request.POST.get("next", "")
        if url_has_allowed_host_and_scheme(target, {request.get_host()}):
            return redirect(target)
        return redirect("subsidies:finding-list")


class InvitationTemplateForm(forms.Form):
    living = forms.CharField(label=gettext_lazy("生活补贴邀请短信"), widget=forms.Textarea(
        attrs={"rows": 3}), max_length=300)  # fmt: skip
    care = forms.CharField(label=gettext_lazy("护理补贴邀请短信"), widget=forms.Textarea(
        attrs={"rows": 3}), max_length=300)  # fmt: skip


class InvitationTemplateView(ServiceFormView):
    """Edit the invitation SMS texts ({name}, {subsidy}, {town} are filled in)."""

    permission_required = "subsidies.change_invitationtemplate"
    template_name = "subsidies/invitation_template_form.html"
    form_class = InvitationTemplateForm
    success_message = gettext_lazy("邀请短信模板已保存")
    success_url = reverse_lazy("subsidies:finding-list")

    def get_initial(self):
        return {t: invitation_text(t) for t in SubsidyType.values}

    def perform(self, form):
        with transaction.atomic():
            for subsidy in SubsidyType.values:
                services.invitation_template_update(
                    type=subsidy, body=form.cleaned_data[subsidy], by=self.request.user
                )
