from django.urls import path
from django.views.generic import RedirectView

from . import views
from .ledger import ENTITIES

app_name = "integrity"

urlpatterns = [
    path("", RedirectView.as_view(pattern_name="integrity:overview"), name="index"),
    path("overview/", views.OverviewView.as_view(), name="overview"),
    path("letters/chain/", views.LetterChainView.as_view(), name="letter-chain"),
    path("talks/<int:pk>/", views.TalkDetailView.as_view(), name="talk-detail"),
    path("campaigns/", views.CampaignListView.as_view(), name="campaign-list"),
    path("campaigns/<int:pk>/", views.CampaignDetailView.as_view(), name="campaign-detail"),
    path("campaigns/<int:pk>/edit/", views.CampaignUpdateView.as_view(), name="campaign-edit"),
    path("campaigns/<int:pk>/send/", views.CampaignSendNowView.as_view(), name="campaign-send"),
    path("campaigns/<int:pk>/test/", views.CampaignTestSmsView.as_view(), name="campaign-test"),
    path("campaigns/<int:pk>/cancel/", views.CampaignCancelView.as_view(), name="campaign-cancel"),
]
for entity in ENTITIES:
    urlpatterns += [
        path(
            f"{entity.slug}s/",
            views.LedgerListView.as_view(entity_slug=entity.slug),
            name=f"{entity.slug}-list",
        ),
        path(
            f"{entity.slug}s/new/",
            views.LedgerFormView.as_view(entity_slug=entity.slug),
            name=f"{entity.slug}-create",
        ),
        path(
            f"{entity.slug}s/<int:pk>/edit/",
            views.LedgerFormView.as_view(entity_slug=entity.slug),
            name=f"{entity.slug}-edit",
        ),
    ]
