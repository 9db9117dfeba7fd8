"""Accessible-community creation pages."""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin, PermissionRequiredMixin
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import TemplateView

from dfed.core.files import protected_file_response
from dfed.core.views import FilteredListView, ServiceFormView, error_text

from .. import services
from ..filters import CommunityFilter
from ..forms import (
    CheckForm,
    DecideForm,
    DeclareForm,
)
from ..models import RetrofitProject
from ..selectors import (
    community_check_get_visible,
    community_get_visible,
    community_list_visible_to,
)

S = RetrofitProject.Status
VIEW = "accessibility.view_retrofitproject"
HANDLE = "accessibility.handle_retrofitproject"
APPROVE = "accessibility.approve_retrofitproject"


# --- Accessible communities -------------------------------------------------------------------


class CommunityListView(FilteredListView):
    permission_required = "accessibility.view_accessiblecommunity"
    template_name = "accessibility/community_list.html"
    filterset_class = CommunityFilter
    sort_fields = {"year": "year", "community": "community__code", "status": "status"}

    def base_queryset(self):
        return community_list_visible_to(self.request.user)

    def export_table(self, queryset):
        headers = [_("年度"), _("镇街道"), _("社区村"), _("状态"), _("已达标"), _("条目总数")]
        rows = (
            [
                c.year,
                c.town.name,
                c.community.name,
                c.get_status_display(),
                c.checks_done,
                c.checks_total,
            ]
            for c in queryset
        )
        return "accessible-communities.xlsx", _("无障碍社区创建"), headers, rows, ()


class CommunityCreateView(ServiceFormView):
    permission_required = "accessibility.add_accessiblecommunity"
    template_name = "accessibility/community_form.html"
    form_class = DeclareForm
    form_user_kwarg = "user"

    def perform(self, form):
        return services.community_declare(by=self.request.user, **form.cleaned_data)

    def get_success_message(self, form):
        return _("已申报 %(c)s") % {"c": self.result.community}

    def get_success_url(self):
        return reverse("accessibility:community-detail", args=[self.result.pk])


class CommunityDetailView(LoginRequiredMixin, PermissionRequiredMixin, TemplateView):
    permission_required = "accessibility.view_accessiblecommunity"
    template_name = "accessibility/community_detail.html"

    def get_context_data(self, **kwargs):
        creation = community_get_visible(user=self.request.user, pk=self.kwargs["pk"])
        checks = [
            (c, CheckForm(prefix=f"c{c.pk}", initial={"state": c.state, "note": c.note}))
            for c in creation.checks.all()
        ]
        return super().get_context_data(
            creation=creation, checks=checks, decide_form=DecideForm(), **kwargs
        )


class CommunityActionView(LoginRequiredMixin, PermissionRequiredMixin, View):
    """POSTs from the community page: start, decide (``action``, an
    ``AccessibleCommunity.ACTIONS`` step the page offers)."""

    action = ""

    def post(self, request, pk):
        creation = community_get_visible(user=request.user, pk=pk)
        try:
            creation.action_check(request.user, self.action)  # what the page offers
            message = self.perform(request, creation)
        except ValidationError as exc:
            messages.error(request, error_text(exc))
        else:
            messages.success(request, message)
        return redirect(reverse("accessibility:community-detail", args=[creation.pk]))


class CommunityStartView(CommunityActionView):
    action = "start"
    permission_required = "accessibility.add_accessiblecommunity"

    def perform(self, request, creation):
        services.community_start(creation=creation, by=request.user)
        return _("已开始创建")


class CommunityDecideView(CommunityActionView):
    action = "decide"
    permission_required = "accessibility.decide_accessiblecommunity"

    def perform(self, request, creation):
        form = DecideForm(request.POST)
        if not form.is_valid():
            raise ValidationError(_("请选择验收结论"))
        services.community_decide(creation=creation, by=request.user, **form.cleaned_data)
        return _("验收结论已登记")


class CommunityCheckView(LoginRequiredMixin, PermissionRequiredMixin, View):
    permission_required = "accessibility.change_communitycheck"

    def post(self, request, pk):
        check = community_check_get_visible(user=request.user, pk=pk)
        form = CheckForm(request.POST, request.FILES, prefix=f"c{check.pk}")
        try:
            if not form.is_valid():
                raise ValidationError([e for errs in form.errors.values() for e in errs])
            check.creation.action_check(request.user, "check")
            services.community_check_update(check=check, by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            messages.error(request, f"{check.item.code}：{error_text(exc)}")
        else:
            messages.success(request, _("%(code)s 已更新") % {"code": check.item.code})
        return redirect(reverse("accessibility:community-detail", args=[check.creation_id]))


class EvidenceFileView(LoginRequiredMixin, PermissionRequiredMixin, View):
    permission_required = "accessibility.view_accessiblecommunity"

    def get(self, request, pk):
        check = community_check_get_visible(user=request.user, pk=pk)
        if not check.evidence:
            raise Http404
        return protected_file_response(check.evidence)
