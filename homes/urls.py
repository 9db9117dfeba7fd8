from django.urls import path
from django.views.generic import RedirectView

from . import views

app_name = "homes"

urlpatterns = [
    path("", RedirectView.as_view(pattern_name="homes:home-list"), name="index"),
    path("centres/", views.HomeListView.as_view(), name="home-list"),
    path("centres/new/", views.HomeCreateView.as_view(), name="home-create"),
    path("centres/<int:pk>/", views.HomeDetailView.as_view(), name="home-detail"),
    path("centres/<int:pk>/edit/", views.HomeUpdateView.as_view(), name="home-update"),
    path(
        "centres/<int:pk>/attendance/",
        views.HomeAttendanceMonthView.as_view(),
        name="home-attendance-month",
    ),
    path("centres/<int:pk>/join/", views.MembershipJoinView.as_view(), name="membership-join"),
    path(
        "centres/<int:pk>/services/new/",
        views.ServiceRecordCreateView.as_view(),
        name="servicerecord-create",
    ),
    path(
        "centres/<int:pk>/assess/", views.AssessmentCreateView.as_view(), name="assessment-create"
    ),
    path("members/new/", views.MembershipCreateView.as_view(), name="membership-create"),
    path("members/<int:pk>/leave/", views.MembershipLeaveView.as_view(), name="membership-leave"),
    path("services/", views.ServiceRecordListView.as_view(), name="servicerecord-list"),
    path("coverage/", views.CoverageView.as_view(), name="coverage"),
    path("attendance/", views.AttendanceView.as_view(), name="attendance"),
    path("figures/", views.FiguresView.as_view(), name="figures"),
    path("assessments/", views.AssessmentListView.as_view(), name="assessment-list"),
    path("assessments/<int:pk>/", views.AssessmentDetailView.as_view(), name="assessment-detail"),
    path(
        "assessments/<int:pk>/submit/",
        views.AssessmentSubmitView.as_view(),
        name="assessment-submit",
    ),
    path(
        "assessments/<int:pk>/approve/",
        views.AssessmentApproveView.as_view(),
        name="assessment-approve",
    ),
    path(
        "assessments/<int:pk>/return/",
        views.AssessmentReturnView.as_view(),
        name="assessment-return",
    ),
    path("standards/", views.TemplateListView.as_view(), name="template-list"),
    path("standards/<int:pk>/", views.TemplateDetailView.as_view(), name="template-detail"),
]
