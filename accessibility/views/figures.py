"""Yearly retrofit figures: households completed and spend per town, budget vs actual."""

from django.contrib.auth.mixins import LoginRequiredMixin, PermissionRequiredMixin
from django.utils.translation import gettext as _
from django.views.generic import TemplateView

from dfed.core.xlsx import xlsx_response

from ..selectors import (
    current_year,
    project_count_by_status,
    project_year_choices,
    retrofit_figures_for_year,
)
from .projects import VIEW, S


class FiguresView(LoginRequiredMixin, PermissionRequiredMixin, TemplateView):
    """Households completed and spend in a year: budget vs actual per town."""

    permission_required = VIEW
    template_name = "accessibility/figures.html"

    def get(self, request, *args, **kwargs):
        try:
            year = int(request.GET.get("year") or current_year())
        except ValueError:
            year = current_year()
        figures = retrofit_figures_for_year(user=request.user, year=year)
        if request.GET.get("export") == "xlsx":
            return self.export(figures)
        counts = project_count_by_status(user=request.user, year=year)
        by_status = [(value, S(value).label, counts[value]) for value in S.values]
        context = {"figures": figures, "year": year, "years": project_year_choices()}
        context["by_status"] = by_status
        return self.render_to_response(self.get_context_data(**context))

    def export(self, figures):
        headers = [
            _("镇街道"),
            _("预算（元）"),
            _("已核定（元）"),
            _("剩余（元）"),
            _("实际支出（元）"),
            _("完成户数"),
            _("在办户数"),
        ]
        rows = [
            [t.town.name, t.budget, t.committed, t.remaining, t.spent, t.completed, t.in_progress]
            for t in figures.towns
        ]
        totals = [
            _("合计"),
            figures.budget,
            figures.committed,
            figures.budget - figures.committed,
            figures.spent,
            figures.completed,
            figures.in_progress,
        ]
        title = _("%(year)s年无障碍改造") % {"year": figures.year}
        return xlsx_response(
            f"retrofit-figures-{figures.year}.xlsx", title, headers, rows, totals=totals
        )
