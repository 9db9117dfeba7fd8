"""Retrofit project pages: list and export, and each step."""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin, PermissionRequiredMixin
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import RedirectView, TemplateView

from dfed.core.masking import sensitive
from dfed.core.views import FilteredListView, ServiceFormView, add_service_error, error_text
from dfed.people.access import log_sensitive_view

from .. import services
from ..filters import ProjectFilter
from ..forms import (
    AcceptForm,
    ApplyForm,
    ApproveForm,
    AssessForm,
    CommentForm,
    ConstructionForm,
    ItemFormSet,
    PhotoForm,
    ReturnForm,
)
from ..models import RetrofitProject
from ..selectors import (
    budget_position,
    project_get_visible,
    project_list_visible_to,
)

S = RetrofitProject.Status
VIEW = "accessibility.view_retrofitproject"
HANDLE = "accessibility.handle_retrofitproject"
APPROVE = "accessibility.approve_retrofitproject"


class IndexView(LoginRequiredMixin, RedirectView):
    pattern_name = "accessibility:project-list"


# --- Retrofit projects ------------------------------------------------------------------------


class ProjectListView(FilteredListView):
    full_identifiers = True
    permission_required = VIEW
    template_name = "accessibility/project_list.html"
    filterset_class = ProjectFilter
    sort_fields = {
        "year": "year",
        "name": "person__name",
        "town": "town__code",
        "status": "status",
        "estimate": "estimate",
        "actual": "actual_total",
        "applied": "applied_at",
    }

    def base_queryset(self):
        return project_list_visible_to(self.request.user)

    def export_table(self, queryset):
        user = self.request.user
        headers = [
            _("编号"),
            _("年度"),
            _("姓名"),
            _("身份证号"),
            _("家庭类型"),
            _("镇街道"),
            _("社区村"),
            _("状态"),
            _("估价（元）"),
            _("核定金额（元）"),
            _("实际费用（元）"),
            _("施工单位"),
            _("申请时间"),
            _("完成时间"),
        ]
        rows = (
            [
                p.pk,
                p.year,
                p.person.name,
                sensitive(p.person.id_number, "id", user),
                p.person.get_household_display(),
                p.town.name,
                p.person.community.name,
                p.get_status_display(),
                p.estimate,
                p.approved_amount,
                p.actual_total,
                p.contractor,
                p.applied_at,
                p.completed_at,
            ]
            for p in queryset.iterator(chunk_size=2000)
        )
        return "retrofits.xlsx", _("无障碍改造项目"), headers, rows, (3,)


class ProjectCreateView(ServiceFormView):
    """New retrofit application: ``?id_number=`` fills the number, ``?person=<pk>`` (from the
    person page) preselects the person."""

    permission_required = "accessibility.add_retrofitproject"
    template_name = "accessibility/project_apply.html"
    form_class = ApplyForm
    form_user_kwarg = "user"

    def get_initial(self):
        get = self.request.GET
        return {"id_number": get.get("id_number", ""), "person": get.get("person")}

    def perform(self, form):
        return services.project_apply(
            person=form.person,
            year=form.cleaned_data["year"],
            by=self.request.user,
            needs=form.cleaned_data["needs"],
        )

    def get_success_message(self, form):
        return _("已提交 %(name)s 的改造申请") % {"name": self.result.person}

    def get_success_url(self):
        return reverse("accessibility:project-detail", args=[self.result.pk])


class ProjectDetailView(LoginRequiredMixin, PermissionRequiredMixin, TemplateView):
    permission_required = VIEW
    template_name = "accessibility/project_detail.html"

    def get_context_data(self, **kwargs):
        project = project_get_visible(user=self.request.user, pk=self.kwargs["pk"])
        log_sensitive_view(self.request, project.person, "retrofit_project")
        context = super().get_context_data(project=project, **kwargs)
        context["pipeline"] = [(s, S(s).label) for s in RetrofitProject.PIPELINE]
        context["item_names"] = "、".join(line.item.name for line in project.items.all())
        context["return_form"] = ReturnForm()
        context["photo_form"] = PhotoForm()
        return context


class ProjectStepView(LoginRequiredMixin, PermissionRequiredMixin, View):
    """One step on a project: a form page (``template_name``) or a POST from the detail page.

    Subclasses set ``action`` (the ``RetrofitProject.ACTIONS`` step: a POST is accepted only
    when ``available_actions`` offers it), ``form_class``, ``permission_required``, ``message``
    and ``perform(form)``.
    """

    action = ""
    form_class = CommentForm
    template_name: str | None = None
    message = ""

    def get_form(self, data=None, files=None):
        return self.form_class(data, files, project=self.project, user=self.request.user)

    def context(self, form, **extra):
        return {"project": self.project, "form": form, **extra}

    def get(self, request, pk):
        self.project = project_get_visible(user=request.user, pk=pk)
        if not self.template_name:
            return redirect("accessibility:project-detail", pk=pk)
        return render(request, self.template_name, self.context(self.get_form()))

    def post(self, request, pk):
        self.project = project_get_visible(user=request.user, pk=pk)
        if self.action:  # a pipeline step (a photo upload is not one)
            try:
                self.project.action_check(request.user, self.action)
            except ValidationError as exc:
                messages.error(request, error_text(exc))
                return redirect("accessibility:project-detail", pk=pk)
        form = self.get_form(request.POST, request.FILES)
        if self.forms_valid(form):
            try:
                self.perform(form)
            except ValidationError as exc:
                add_service_error(form, exc)
            else:
                messages.success(request, self.message)
                return redirect("accessibility:project-detail", pk=pk)
        if self.template_name:
            return render(request, self.template_name, self.context(form), status=400)
        errors = [e for errs in form.errors.values() for e in errs]
        messages.error(request, "；".join(errors))
        return redirect("accessibility:project-detail", pk=pk)

    def forms_valid(self, form) -> bool:
        return form.is_valid()

    def perform(self, form):
        raise NotImplementedError


class ProjectIntakeView(ProjectStepView):
    action = "intake"
    permission_required = HANDLE
    message = gettext_lazy("已受理，请安排入户评估")

    def perform(self, form):
        services.project_intake(
            project=self.project, by=self.request.user, comment=form.cleaned_data["comment"]
        )


class ProjectReturnView(ProjectStepView):
    action = "return"
    permission_required = VIEW  # the service checks the stage's own permission
    form_class = ReturnForm
    message = gettext_lazy("已退回")

    def perform(self, form):
        services.project_return(
            project=self.project, by=self.request.user, comment=form.cleaned_data["comment"]
        )


class ProjectReopenView(ProjectStepView):
    action = "reopen"
    permission_required = HANDLE
    message = gettext_lazy("已重新提交")

    def perform(self, form):
        services.project_reopen(
            project=self.project, by=self.request.user, comment=form.cleaned_data["comment"]
        )


class ProjectAssessView(ProjectStepView):
    action = "assess"
    permission_required = HANDLE
    form_class = AssessForm
    template_name = "accessibility/project_assess.html"
    message = gettext_lazy("入户评估已登记，等待审批")

    def get_formset(self, data=None):
        initial = [
            {
                "item": line.item_id,
                "quantity": line.quantity,
                "unit_price": line.unit_price,
                "over_cap_reason": line.over_cap_reason,
            }
            for line in self.project.items.all()
        ]
        return ItemFormSet(
            data, prefix="items", initial=initial, form_kwargs={"year": self.project.year}
        )

    def context(self, form, **extra):
        self.formset = getattr(self, "formset", None) or self.get_formset()
        return super().context(form, formset=self.formset, **extra)

    def forms_valid(self, form) -> bool:
        self.formset = self.get_formset(self.request.POST)
        return all([form.is_valid(), self.formset.is_valid()])

    def perform(self, form):
        items = [f.cleaned_data for f in self.formset.forms if f.cleaned_data.get("item")]
        services.project_assess(
            project=self.project, by=self.request.user, items=items, **form.cleaned_data
        )


class ProjectApproveView(ProjectStepView):
    action = "approve"
    permission_required = APPROVE
    form_class = ApproveForm
    template_name = "accessibility/project_approve.html"
    message = gettext_lazy("已审批通过，可以安排施工")

    def context(self, form, **extra):
        position = budget_position(
            town=self.project.town, year=self.project.year, exclude_pk=self.project.pk
        )
        over = self.project.estimate > position.remaining
        return super().context(form, position=position, over_budget=over, **extra)

    def perform(self, form):
        services.project_approve(
            project=self.project,
            by=self.request.user,
            comment=form.cleaned_data["comment"],
            override_reason=form.cleaned_data.get("override_reason", ""),
        )


class ProjectConstructionView(ProjectStepView):
    action = "construction"
    permission_required = HANDLE
    form_class = ConstructionForm
    template_name = "accessibility/project_construction.html"
    message = gettext_lazy("施工情况已登记，等待验收")

    def perform(self, form):
        data = form.cleaned_data
        services.project_record_construction(
            project=self.project,
            by=self.request.user,
            contractor=data["contractor"],
            start=data["construction_start"],
            finish=data["construction_finish"],
            actual_costs=form.actual_costs(),
        )


class ProjectAcceptView(ProjectStepView):
    action = "accept"
    permission_required = APPROVE
    form_class = AcceptForm
    template_name = "accessibility/project_accept.html"
    message = gettext_lazy("验收通过，项目已完成")

    def perform(self, form):
        data = form.cleaned_data
        services.project_accept(
            project=self.project,
            by=self.request.user,
            items_done=data["items_done"],
            family_satisfied=data["family_satisfied"],
            signed_by=data["signed_by"],
            accepted_on=data["accepted_on"],
            note=data["note"],
            photos=form.photos(),
        )
