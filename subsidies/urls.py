from django.urls import path

from . import views

app_name = "subsidies"

urlpatterns = [
    path("", views.IndexView.as_view(), name="index"),
    path("applications/", views.ApplicationListView.as_view(), name="application-list"),
    path(
        "applications/drafts/", views.ApplicationDraftListView.as_view(), name="application-drafts"
    ),
    path("applications/queue/", views.ApplicationQueueView.as_view(), name="application-queue"),
    path("applications/new/", views.ApplicationCreateView.as_view(), name="application-create"),
    path(
        "applications/<int:pk>/", views.ApplicationDetailView.as_view(), name="application-detail"
    ),
    path(
        "applications/<int:pk>/attach/",
        views.AttachmentUploadView.as_view(),
        name="application-attach",
    ),
    path(
        "applications/<int:pk>/<slug:action>/",
        views.ApplicationActionView.as_view(),
        name="application-action",
    ),
    path(
        "attachments/<int:pk>/", views.AttachmentDownloadView.as_view(), name="attachment-download"
    ),
    path(
        "attachments/<int:pk>/delete/",
        views.AttachmentDeleteView.as_view(),
        name="attachment-delete",
    ),
    path("entitlements/", views.EntitlementListView.as_view(), name="entitlement-list"),
    path(
        "entitlements/review/", views.EntitlementReviewListView.as_view(), name="entitlement-review"
    ),
    path(
        "entitlements/<int:pk>/", views.EntitlementDetailView.as_view(), name="entitlement-detail"
    ),
    path(
        "entitlements/<int:pk>/<slug:action>/",
        views.EntitlementActionView.as_view(),
        name="entitlement-action",
    ),
    path("findings/", views.FindingListView.as_view(), name="finding-list"),
    path(
        "findings/invitation/",
        views.InvitationTemplateView.as_view(),
        name="invitation-template",
    ),
    path(
        "findings/<int:pk>/<slug:action>/",
        views.FindingActionView.as_view(),
        name="finding-action",
    ),
    path("recoveries/", views.RecoveryListView.as_view(), name="recovery-list"),
    path("recoveries/<int:pk>/recovered/", views.RecoveryMarkView.as_view(), name="recovery-mark"),
    path("rates/", views.RateListView.as_view(), name="rate-list"),
    path("rates/new/", views.RateFormView.as_view(), name="rate-create"),
    path("rates/<int:pk>/edit/", views.RateFormView.as_view(), name="rate-update"),
    path("batches/", views.BatchListView.as_view(), name="batch-list"),
    path("batches/generate/", views.BatchGenerateView.as_view(), name="batch-generate"),
    path(
        "batches/progress/<slug:token>/", views.BatchProgressView.as_view(), name="batch-progress"
    ),
    path("batches/<int:pk>/", views.BatchDetailView.as_view(), name="batch-detail"),
    path(
        "batches/return-template/",
        views.BatchReturnTemplateView.as_view(),
        name="batch-return-template",
    ),
    path("batches/<int:pk>/return/", views.BatchReturnView.as_view(), name="batch-return"),
    path(
        "batches/<int:pk>/return/<slug:job>/",
        views.BatchReturnJobView.as_view(),
        name="batch-return-job",
    ),
    path("batches/<int:pk>/bank-file/", views.BatchBankFileView.as_view(), name="batch-bank-file"),
    path("batches/<int:pk>/<slug:action>/", views.BatchActionView.as_view(), name="batch-action"),
    path("payments/", views.PaymentListView.as_view(), name="payment-list"),
    path("payments/<int:pk>/hold/", views.PaymentHoldView.as_view(), name="payment-hold"),
    path("payments/<int:pk>/fail/", views.PaymentFailView.as_view(), name="payment-fail"),
    path("corrections/", views.AccountCorrectionListView.as_view(), name="correction-list"),
    path("corrections/<int:pk>/", views.AccountCorrectionView.as_view(), name="correction-detail"),
]
