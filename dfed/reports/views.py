from urllib.parse import urlsplit

from django.contrib.auth.mixins import LoginRequiredMixin, PermissionRequiredMixin
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import Resolver404, resolve
from django.views import View
from django.views.generic import TemplateView

from dfed.core.files import protected_file_response

from .dashboards import dashboard_widgets, dashboards_for
from .exports import widget_xlsx_response
from .figures import annual_figures, summary_parts
from .filters import FIRST_YEAR, DashboardFilterForm, ReportFilters, current_year
from .models import AnnualSummary
from .services import annual_summary_progress, annual_summary_request
from .widgets import get_widget


def filters_from_request(request) -> tuple[DashboardFilterForm, ReportFilters]:
    """The GET filter form and what it asks for; an invalid form falls back to this year."""
    form = DashboardFilterForm(request.GET or None, user=request.user)
    if form.is_bound and form.is_valid():
        return form, form.filters()
    return form, ReportFilters.for_year(current_year())


class HomeView(LoginRequiredMixin, TemplateView):
    """The user's dashboard: the widgets of their role, filtered by the URL."""

    template_name = "reports/dashboard.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        dashboards = dashboards_for(self.request.user)
        chosen = self.request.GET.get("view")
        dashboard = next((d for d in dashboards if d.key == chosen), None) or (
            dashboards[0] if dashboards else None
        )
        form, filters = filters_from_request(self.request)
        widgets = dashboard_widgets(dashboard, self.request.user) if dashboard else []
        cards = [(w, w.link_url(self.request.user)) for w in widgets]
        context.update(
            dashboards=dashboards,
            dashboard=dashboard,
            form=form,
            filters=filters,
            widgets=widgets,
            cards=cards,
            query=filters.querystring(),
        )
        return context


class WidgetDataView(LoginRequiredMixin, View):
    """One widget's figures as JSON, or as xlsx with ``?export=xlsx``; scoped to the user."""

    def get(self, request, key):
        widget = get_widget(key)
        if widget is None or not widget.visible_to(request.user):
            raise Http404
        form = DashboardFilterForm(request.GET, user=request.user)
        if not form.is_valid():
            if "town" in form.errors:  # a town outside the user's towns: never its figures
                raise Http404
            return JsonResponse({"errors": form.errors}, status=400)
        filters = form.filters()
        if request.GET.get("export") == "xlsx":
            return widget_xlsx_response(widget, filters, request.user)
        data = widget.render(filters, request.user)
        response = JsonResponse(data, json_dumps_params={"ensure_ascii": False})
        response["Cache-Control"] = "private, no-store"  # figures scoped to this user
        return response


class AnnualRedirectView(LoginRequiredMixin, PermissionRequiredMixin, View):
    permission_required = "reports.view_annualsummary"

    def get(self, request):
        try:
            year = int(request.GET.get("year") or current_year())
        except ValueError:
            year = current_year()
        return redirect("reports:annual", year=max(FIRST_YEAR, min(year, current_year() + 1)))


def _may_open(user, url: str) -> bool:
    """Whether ``user`` has the permissions of the view behind ``url``."""
    try:
        match = resolve(urlsplit(url).path)
    except Resolver404:
        return False
    view_class = getattr(match.func, "view_class", None)
    if not hasattr(view_class, "get_permission_required"):
        return True
    view = view_class(**match.func.view_initkwargs)
    view.kwargs = match.kwargs
    return user.has_perms(view.get_permission_required())


def _openable(figures, user):
    """Drop the links of figures whose list ``user`` may not open (they would answer 403)."""
    for group in figures.groups:
        for figure in group.figures:
            if figure.url and not _may_open(user, figure.url):
                figure.url = ""
    return figures


class AnnualView(LoginRequiredMixin, PermissionRequiredMixin, TemplateView):
    """The year's summary figures, each linking to the list it counts, and the generate button."""

    permission_required = "reports.view_annualsummary"
    template_name = "reports/annual.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        year = self.kwargs["year"]
        if not FIRST_YEAR <= year <= current_year() + 1:
            raise Http404
        figures = _openable(annual_figures(year), self.request.user)
        context.update(
            year=year,
            years=range(current_year() + 1, FIRST_YEAR - 1, -1),
            figures=figures,
            parts=summary_parts(figures),
            summaries=AnnualSummary.objects.filter(year=year).select_related("requested_by")[:10],
        )
        return context


class AnnualGenerateView(LoginRequiredMixin, PermissionRequiredMixin, View):
    permission_required = "reports.add_annualsummary"

    def post(self, request, year):
        if not FIRST_YEAR <= year <= current_year() + 1:
            raise Http404
        summary = annual_summary_request(year=year, by=request.user)
        return redirect("reports:annual-progress", pk=summary.pk)


class AnnualProgressView(LoginRequiredMixin, PermissionRequiredMixin, View):
    """The progress page, or its JSON when asked for JSON (polled by dfed.js)."""

    permission_required = "reports.view_annualsummary"

    def get(self, request, pk):
        summary = get_object_or_404(AnnualSummary, pk=pk)
        progress = annual_summary_progress(summary)
        if request.GET.get("format") == "json":
            return JsonResponse(progress, json_dumps_params={"ensure_ascii": False})
        context = {"summary": summary, "progress": progress}
        return render(request, "reports/annual_progress.html", context)


class AnnualDownloadView(LoginRequiredMixin, PermissionRequiredMixin, View):
    permission_required = "reports.view_annualsummary"

    def get(self, request, pk):
        summary = get_object_or_404(AnnualSummary, pk=pk, status=AnnualSummary.Status.DONE)
        response = protected_file_response(summary.file, download_name=summary.filename)
        response["Content-Disposition"] = response["Content-Disposition"].replace(
            "inline", "attachment"
        )
        return response
