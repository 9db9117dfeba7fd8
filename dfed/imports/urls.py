"""The engine's pages: one upload → preview → confirm flow per importer with pages."""

from django.urls import path

from . import views

app_name = "imports"

urlpatterns = [
    path("", views.ImportIndexView.as_view(), name="index"),
    path("jobs/<str:job>/", views.ImportProgressView.as_view(), name="progress"),
    path("jobs/<str:job>/status/", views.ImportStatusView.as_view(), name="status"),
    path("jobs/<str:job>/preview/", views.ImportPreviewView.as_view(), name="preview"),
    path("jobs/<str:job>/result/", views.ImportResultView.as_view(), name="result"),
    path("jobs/<str:job>/errors.xlsx", views.ImportErrorFileView.as_view(), name="error-file"),
    path("<slug:key>/", views.ImportUploadView.as_view(), name="upload"),
    path("<slug:key>/template.xlsx", views.ImportTemplateView.as_view(), name="template"),
]
