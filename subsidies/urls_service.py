"""The family service (最多跑一次): public pages, no account."""

from django.urls import path

from .views import family as views

app_name = "service"

urlpatterns = [
    path("", views.ServiceHomeView.as_view(), name="home"),
    path("verify/", views.ServiceVerifyView.as_view(), name="verify"),
    path("verify/code/", views.ServiceCodeView.as_view(), name="code"),
    path("status/", views.ServiceStatusView.as_view(), name="status"),
    path("apply/", views.ServiceApplyView.as_view(), name="apply"),
    path("receipt/<slug:reference>/", views.ServiceReceiptView.as_view(), name="receipt"),
    path("end/", views.ServiceEndView.as_view(), name="end"),
]
