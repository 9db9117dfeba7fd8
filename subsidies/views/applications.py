from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin, PermissionRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import DetailView

from dfed.core.files import protected_file_response
from dfed.core.masking import sensitive
from dfed.core.views import FilteredListView, ServiceFormView, error_text, run_service
from dfed.people.access import log_sensitive_view

from .. import services
from ..eligibility import eligibility_check
from ..filters import ApplicationFilter
from ..forms import ApplicationCommentForms, ApplicationCreateForm, AttachmentForm
from ..models import subsidy_type_short
from ..selectors import (
    application_get_visible,
    application_list_drafts_of,
    application_list_visible_to,
    application_list_waiting_for,
    attachment_get_visible,
)


class ApplicationListView(FilteredListView):
    full_identifiers = True
    permission_required = "subsidies.view_application"
    template_name = "subsidies/application_list.html"
    filterset_class = ApplicationFilter
    sort_fields = {"created": "created_at", "name": "person__name", "town": "person__town__code"}
    default_sort = "-created"
    title = gettext_lazy("全部申请")

    def base_queryset(self):
        return application_list_visible_to(self.request.user)

    def get_context_data(self, **kwargs):
        return super().get_context_data(title=self.title, **kwargs)

    def export_table(self, queryset):
        user = self.request.user
        headers = [
            _("姓名"),
            _("身份证号"),
            _("镇街道"),
            _("补贴类型"),
            _("档次"),
            _("状态"),
            _("经办人"),
            _("创建时间"),
            _("提交时间"),
            _("审定时间"),
            _("审定意见"),
        ]
        rows = (
            [
                a.person.name,
                sensitive(a.person.id_number, "id", user),
                a.person.town.name,
                subsidy_type_short(a.type),
                a.get_tier_display(),
                a.get_status_display(),
                str(a.created_by or a.get_channel_display()),
                a.created_at,
                a.submitted_at,
                a.decided_at,
                a.decision_comment,
            ]
            for a in queryset.iterator(chunk_size=2000)
        )
        return "applications.xlsx", _("补贴申请"), headers, rows, (1,)


class ApplicationDraftListView(ApplicationListView):
    permission_required = "subsidies.add_application"
    title = gettext_lazy("我的草稿")

    def base_queryset(self):
        return application_list_drafts_of(self.request.user)


class ApplicationQueueView(ApplicationListView):
    title = gettext_lazy("待我审核")
    default_sort = ""

    def has_permission(self):
        user = self.request.user
        return user.has_perm("subsidies.town_review_application") or user.has_perm(
            "subsidies.district_review_application"
        )

    def base_queryset(self):
        return application_list_waiting_for(self.request.user)


class ApplicationCreateView(ServiceFormView):
    """New application: ``?id_number=`` fills the number, ``?person=<pk>`` (from the person page)
    preselects the person."""

    permission_required = "subsidies.add_application"
    template_name = "subsidies/application_form.html"
    form_class = ApplicationCreateForm
    form_user_kwarg = "user"

    def get_initial(self):
        get = self.request.GET
        return {"id_number": get.get("id_number", ""), "person": get.get("person")}

    def perform(self, form):
        data, user = form.cleaned_data, self.request.user
        application = services.application_create(
            person=data["person"], type=data["type"], reason=data["reason"], by=user
        )
        if data.get("attachment"):
            services.application_attach(application=application, upload=data["attachment"], by=user)
        if "submit" in self.request.POST:
            services.application_submit(application=application, by=user)
        return application

    def get_success_message(self, form):
        return _("已提交乡镇审核") if "submit" in self.request.POST else _("草稿已保存")

    def get_success_url(self):
        return reverse("subsidies:application-detail", args=[self.result.pk])


class ApplicationDetailView(LoginRequiredMixin, PermissionRequiredMixin, DetailView):
    permission_required = "subsidies.view_application"
    template_name = "subsidies/application_detail.html"
    context_object_name = "application"

    def get_object(self, queryset=None):
        application = application_get_visible(user=self.request.user, pk=self.kwargs["pk"])
        log_sensitive_view(self.request, application.person, "subsidy_application")
        return application

    def get_context_data(self, **kwargs):
        application = self.object
        context = super().get_context_data(**kwargs)
        context["events"] = application.events.select_related("by")
        context["attachments"] = application.attachments.all()
        context["forms"] = ApplicationCommentForms()
        context["attachment_form"] = AttachmentForm()
        context["entitlement"] = application.entitlements.first()
        if application.is_open:
            context["reasons"] = eligibility_check(
                person=application.person, type=application.type, exclude_application=application
            )
        return context


# The service and success message of each step; which steps a user may take is
# Application.ACTIONS (available_actions / action_check).
ACTIONS = {
    "submit": (
        services.application_submit,
        gettext_lazy("已提交乡镇审核"),
    ),
    "town-approve": (
        services.application_town_approve,
        gettext_lazy("乡镇审核已通过，已报区残联审定"),
    ),
    "return": (
        services.application_return,
        gettext_lazy("已退回经办人"),
    ),
    "approve": (
        services.application_approve,
        gettext_lazy("已批准，享受资格已生成"),
    ),
    "reject": (
        services.application_reject,
        gettext_lazy("已驳回"),
    ),
}


class ApplicationActionView(LoginRequiredMixin, View):
    """POST one step of the review chain: only a step ``available_actions`` offers (else 404 or
    a message); the service checks the permission and the town again."""

    def post(self, request, pk, action):
        if action not in ACTIONS:
            raise Http404
        service, success = ACTIONS[action]
        application = application_get_visible(user=request.user, pk=pk)
        try:
            application.action_check(request.user, action)
        except PermissionDenied:
            raise Http404 from None
        except ValidationError as exc:
            messages.error(request, error_text(exc))
            return redirect("subsidies:application-detail", pk=pk)
        forms = ApplicationCommentForms(request.POST)
        form = forms.for_action(action)
        if not form.is_valid():
            messages.error(request, _("填写有误：%(e)s") % {"e": form.errors.as_text()})
            return redirect("subsidies:application-detail", pk=pk)
        kwargs = {"application": application, "by": request.user}
        if action != "submit":
            kwargs["comment"] = form.cleaned_data["comment"]
        if action == "approve" and form.cleaned_data.get("approved_from"):
            kwargs["approved_from"] = form.cleaned_data["approved_from"]
        run_service(request, lambda: service(**kwargs), success)
        return redirect("subsidies:application-detail", pk=pk)


class AttachmentUploadView(LoginRequiredMixin, PermissionRequiredMixin, View):
    permission_required = "subsidies.change_application"

    def post(self, request, pk):
        application = application_get_visible(user=request.user, pk=pk)
        form = AttachmentForm(request.POST, request.FILES)
        if not form.is_valid():
            messages.error(request, _("请选择要上传的文件"))
        else:
            try:
                services.application_attach(
                    application=application, upload=form.cleaned_data["attachment"], by=request.user
                )
            except ValidationError as exc:
                messages.error(request, error_text(exc))
            else:
                messages.success(request, _("附件已上传"))
        return redirect("subsidies:application-detail", pk=pk)


class AttachmentDownloadView(LoginRequiredMixin, PermissionRequiredMixin, View):
    permission_required = "subsidies.view_application"

    def get(self, request, pk):
        attachment = attachment_get_visible(user=request.user, pk=pk)
        return protected_file_response(attachment.file, download_name=attachment.original_name)


class AttachmentDeleteView(LoginRequiredMixin, PermissionRequiredMixin, View):
    permission_required = "subsidies.change_application"

    def post(self, request, pk):
        attachment = attachment_get_visible(user=request.user, pk=pk)
        application_pk = attachment.application_id
        run_service(
            request,
            lambda: services.application_attachment_delete(attachment=attachment, by=request.user),
            _("附件已删除"),
        )
        return redirect("subsidies:application-detail", pk=application_pk)
