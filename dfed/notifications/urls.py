from django.urls import path
from django.views.generic import RedirectView

from . import views

app_name = "notifications"

urlpatterns = [
    path("", RedirectView.as_view(pattern_name="notifications:message-list"), name="index"),
    path("messages/", views.SmsMessageListView.as_view(), name="message-list"),
    path("messages/<int:pk>/", views.SmsMessageDetailView.as_view(), name="message-detail"),
    path("messages/<int:pk>/resend/", views.SmsMessageResendView.as_view(), name="message-resend"),
    path("opt-outs/", views.SmsOptOutView.as_view(), name="optout-list"),
    path("gateway/reports/", views.SmsDeliveryReportView.as_view(), name="gateway-reports"),
]
