"""Star assessments and the per-year standards."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import TemplateView

from dfed.core.views import FilteredListView, error_text

from .. import selectors, services
from ..filters import AssessmentFilter
from ..forms import AssessmentCreateForm, ReturnForm, ScoreSheetForm
from .base import Perm


class AssessmentListView(FilteredListView):
    permission_required = "homes.view_starassessment"
    template_name = "homes/assessment_list.html"
    filterset_class = AssessmentFilter
    sort_fields = {"year": "year", "home": "home__name", "total": "total"}
    default_sort = "-year"

    def base_queryset(self):
        return selectors.assessment_list_visible_to(self.request.user)

    def export_table(self, queryset):
        headers = [_("年度"), _("镇街道"), _("残疾人之家"), _("总分"), _("星级"), _("状态")]
        rows = (
            [
                a.year,
                a.home.town.name,
                a.home.name,
                a.total,
                a.get_star_level_display() or "",
                a.get_status_display(),
            ]
            for a in queryset
        )
        return "star-assessments.xlsx", _("星级评定"), headers, rows, ()


class AssessmentCreateView(Perm, View):
    permission_required = "homes.add_starassessment"

    def post(self, request, pk):
        home = selectors.home_get_visible(user=request.user, pk=pk)
        form = AssessmentCreateForm(request.POST)
        if not form.is_valid():
            messages.error(request, _("请填写正确的年度"))
            return redirect("homes:home-detail", pk=home.pk)
        try:
            assessment = services.assessment_create(home=home, by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            messages.error(request, error_text(exc))
            return redirect("homes:home-detail", pk=home.pk)
        messages.success(request, _("已建立评定表，请逐项评分"))
        return redirect("homes:assessment-detail", pk=assessment.pk)


class AssessmentDetailView(Perm, View):
    permission_required = "homes.view_starassessment"
    template_name = "homes/assessment_detail.html"

    def render_page(self, request, assessment, sheet=None, status=200):
        user = request.user
        can_score = assessment.is_editable and user.has_perm("homes.change_starassessment")
        sheet = sheet or (ScoreSheetForm(assessment=assessment) if can_score else None)
        sections = selectors.assessment_scores_by_section(assessment=assessment)
        if sheet is not None:
            fields = {line.item_id: (score, remark) for line, score, remark in sheet.rows()}
            for _label, lines, _max, _score in sections:
                for line in lines:
                    line.score_field, line.remark_field = fields[line.item_id]
        context = {
            "assessment": assessment,
            "result": services.assessment_result(assessment),
            "sections": sections,
            "sections_total": sum(max_points for _l, _s, max_points, _p in sections),
            "sheet": sheet,
            "own": assessment.is_assessed_by(user),
            "return_form": ReturnForm(),
            "history": assessment.history.select_related("history_user")[:10],
        }
        return render(request, self.template_name, context, status=status)

    def get(self, request, pk):
        assessment = selectors.assessment_get_visible(user=request.user, pk=pk)
        return self.render_page(request, assessment)

    def post(self, request, pk):
        """Save the score sheet."""
        if not request.user.has_perm("homes.change_starassessment"):
            return self.handle_no_permission()
        assessment = selectors.assessment_get_visible(user=request.user, pk=pk)
        sheet = ScoreSheetForm(request.POST, assessment=assessment)
        if sheet.is_valid():
            try:
                services.assessment_score(
                    assessment=assessment,
                    by=request.user,
                    scores=sheet.scores(),
                    assessors=sheet.cleaned_data["assessors"],
                )
            except ValidationError as exc:
                sheet.add_error(None, exc)
            else:
                messages.success(request, _("评分已保存"))
                return redirect("homes:assessment-detail", pk=assessment.pk)
        return self.render_page(request, assessment, sheet=sheet, status=400)


class AssessmentActionView(Perm, View):
    """Submit, approve or return: only a step ``available_actions`` offers (``action_check``),
    then one service call, a message, back to the sheet."""

    action = ""
    done = ""

    def act(self, request, assessment) -> None:
        raise NotImplementedError

    def post(self, request, pk):
        assessment = selectors.assessment_get_visible(user=request.user, pk=pk)
        try:
            assessment.action_check(request.user, self.action)
            self.act(request, assessment)
        except ValidationError as exc:
            messages.error(request, error_text(exc))
        else:
            messages.success(request, self.done)
        return redirect("homes:assessment-detail", pk=assessment.pk)


class AssessmentSubmitView(AssessmentActionView):
    action = "submit"
    permission_required = "homes.change_starassessment"
    done = gettext_lazy("已提交审定")

    def act(self, request, assessment) -> None:
        services.assessment_submit(assessment=assessment, by=request.user)


class AssessmentApproveView(AssessmentActionView):
    action = "approve"
    permission_required = "homes.approve_starassessment"
    done = gettext_lazy("已审定，星级已生效")

    def act(self, request, assessment) -> None:
        services.assessment_approve(assessment=assessment, by=request.user)


class AssessmentReturnView(AssessmentActionView):
    action = "return"
    permission_required = "homes.approve_starassessment"
    done = gettext_lazy("已退回")

    def act(self, request, assessment) -> None:
        services.assessment_return(
            assessment=assessment, by=request.user, comment=request.POST.get("comment", "")
        )


class TemplateListView(Perm, TemplateView):
    permission_required = "homes.view_starassessmenttemplate"
    template_name = "homes/template_list.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(templates=selectors.template_list(), **kwargs)


class TemplateDetailView(Perm, TemplateView):
    permission_required = "homes.view_starassessmenttemplate"
    template_name = "homes/template_detail.html"

    def get_context_data(self, **kwargs):
        template = selectors.template_get(pk=self.kwargs["pk"])
        items = template.items.order_by("order", "pk")
        total = sum(i.max_points for i in items)
        return super().get_context_data(template=template, items=items, total=total, **kwargs)
