from django.urls import path

from . import views

app_name = "reports"

urlpatterns = [
    path("", views.HomeView.as_view(), name="home"),
    path("reports/api/<slug:key>/", views.WidgetDataView.as_view(), name="widget-data"),
]
