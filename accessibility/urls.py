from django.urls import path

from . import views

app_name = "accessibility"

urlpatterns = [
    path("", views.IndexView.as_view(), name="index"),
    path("projects/", views.ProjectListView.as_view(), name="project-list"),
    path("projects/new/", views.ProjectCreateView.as_view(), name="project-create"),
    path("projects/<int:pk>/", views.ProjectDetailView.as_view(), name="project-detail"),
    path("projects/<int:pk>/intake/", views.ProjectIntakeView.as_view(), name="project-intake"),
    path("projects/<int:pk>/assess/", views.ProjectAssessView.as_view(), name="project-assess"),
    path("projects/<int:pk>/approve/", views.ProjectApproveView.as_view(), name="project-approve"),
    path(
        "projects/<int:pk>/construction/",
        views.ProjectConstructionView.as_view(),
        name="project-construction",
    ),
    path("projects/<int:pk>/accept/", views.ProjectAcceptView.as_view(), name="project-accept"),
    path("projects/<int:pk>/return/", views.ProjectReturnView.as_view(), name="project-return"),
    path("projects/<int:pk>/reopen/", views.ProjectReopenView.as_view(), name="project-reopen"),
    path("projects/<int:pk>/photos/", views.PhotoUploadView.as_view(), name="photo-upload"),
    path("photos/<int:pk>/", views.PhotoFileView.as_view(), name="photo-file"),
    path("figures/", views.FiguresView.as_view(), name="figures"),
    path("communities/", views.CommunityListView.as_view(), name="community-list"),
    path("communities/new/", views.CommunityCreateView.as_view(), name="community-create"),
    path("communities/<int:pk>/", views.CommunityDetailView.as_view(), name="community-detail"),
    path("communities/<int:pk>/start/", views.CommunityStartView.as_view(), name="community-start"),
    path(
        "communities/<int:pk>/decide/",
        views.CommunityDecideView.as_view(),
        name="community-decide",
    ),
    path("checks/<int:pk>/", views.CommunityCheckView.as_view(), name="check-update"),
    path("checks/<int:pk>/evidence/", views.EvidenceFileView.as_view(), name="check-evidence"),
]
