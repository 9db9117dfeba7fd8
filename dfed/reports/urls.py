from django.urls import path

from . import views

app_name = "reports"

urlpatterns = [
    path("", views.HomeView.as_view(), name="home"),
    path("reports/api/<slug:key>/", views.WidgetDataView.as_view(), name="widget-data"),
    path("reports/annual/", views.AnnualRedirectView.as_view(), name="annual-index"),
    path("reports/annual/<int:year>/", views.AnnualView.as_view(), name="annual"),
    path(
        "reports/annual/<int:year>/generate/",
        views.AnnualGenerateView.as_view(),
        name="annual-generate",
    ),
    path(
        "reports/annual/summary/<int:pk>/",
        views.AnnualProgressView.as_view(),
        name="annual-progress",
    ),
    path(
        "reports/annual/summary/<int:pk>/download/",
        views.AnnualDownloadView.as_view(),
        name="annual-download",
    ),
]
