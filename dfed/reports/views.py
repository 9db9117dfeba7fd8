from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import Http404, JsonResponse
from django.views import View
from django.views.generic import TemplateView

from .dashboards import dashboard_widgets, dashboards_for
from .exports import widget_xlsx_response
from .filters import DashboardFilterForm, ReportFilters, current_year
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
        context.update(
            dashboards=dashboards,
            dashboard=dashboard,
            form=form,
            filters=filters,
            widgets=widgets,
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
        return JsonResponse(data, json_dumps_params={"ensure_ascii": False})
