from django.urls import path

from . import pickers, views

app_name = "people"

urlpatterns = [
    path("", views.PersonListView.as_view(), name="person-list"),
    path("new/", views.PersonCreateView.as_view(), name="person-create"),
    path("lookup/", pickers.PersonLookupView.as_view(), name="person-lookup"),
    path("<int:pk>/", views.PersonDetailView.as_view(), name="person-detail"),
    path("<int:pk>/edit/", views.PersonUpdateView.as_view(), name="person-update"),
    path("<int:pk>/status/", views.PersonStatusView.as_view(), name="person-status"),
    path("lists/", views.ExternalListListView.as_view(), name="externallist-list"),
    path(
        "lists/jobs/<str:job>/",
        views.ExternalListPreviewView.as_view(),
        name="externallist-preview",
    ),
    path(
        "lists/<str:kind>/template/",
        views.ExternalListTemplateView.as_view(),
        name="externallist-template",
    ),
    path("transfers/", views.PersonTransferListView.as_view(), name="transfer-list"),
    path("transfers/new/", views.PersonTransferCreateView.as_view(), name="transfer-create"),
    path(
        "transfers/<int:pk>/<slug:action>/",
        views.PersonTransferDecideView.as_view(),
        name="transfer-decide",
    ),
    path("communities/", views.CommunityOptionsView.as_view(), name="community-options"),
    path("access-log/", views.AccessLogListView.as_view(), name="accesslog-list"),
]
