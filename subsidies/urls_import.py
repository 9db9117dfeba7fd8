"""Admin pages for spreadsheet imports (upload → preview → confirm)."""

from django.urls import path

from . import views_import as views

app_name = "imports"

urlpatterns = [
    path("", views.ImportUploadView.as_view(), name="index"),
    path("recipients/", views.ImportUploadView.as_view(), name="recipients"),
    path("recipients/template.xlsx", views.ImportTemplateView.as_view(), name="template"),
    path("jobs/<str:job>/", views.ImportProgressView.as_view(), name="progress"),
    path("jobs/<str:job>/status/", views.ImportStatusView.as_view(), name="status"),
    path("jobs/<str:job>/preview/", views.ImportPreviewView.as_view(), name="preview"),
    path("jobs/<str:job>/result/", views.ImportResultView.as_view(), name="result"),
    path("jobs/<str:job>/errors.xlsx", views.ImportErrorFileView.as_view(), name="error-file"),
]
