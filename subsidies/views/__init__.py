from django.contrib.auth.mixins import LoginRequiredMixin
from django.shortcuts import redirect
from django.views import View

from .applications import (
    ApplicationActionView,
    ApplicationCreateView,
    ApplicationDetailView,
    ApplicationDraftListView,
    ApplicationListView,
    ApplicationQueueView,
    AttachmentDeleteView,
    AttachmentDownloadView,
    AttachmentUploadView,
)
from .batches import (
    BatchActionView,
    BatchBankFileView,
    BatchDetailView,
    BatchGenerateView,
    BatchListView,
    BatchProgressView,
    PaymentHoldView,
    PaymentListView,
    RateFormView,
    RateListView,
)
from .entitlements import (
    EntitlementActionView,
    EntitlementDetailView,
    EntitlementListView,
    EntitlementReviewListView,
    RecoveryListView,
    RecoveryMarkView,
)
from .findings import FindingActionView, FindingListView, InvitationTemplateView
from .results import (
    AccountCorrectionListView,
    AccountCorrectionView,
    BatchReturnJobView,
    BatchReturnTemplateView,
    BatchReturnView,
    PaymentFailView,
)


class IndexView(LoginRequiredMixin, View):
    """Send each role to where its work is."""

    def get(self, request):
        user = request.user
        if user.has_perm("subsidies.district_review_application") or user.has_perm(
            "subsidies.town_review_application"
        ):
            return redirect("subsidies:application-queue")
        if user.has_perm("subsidies.add_application"):
            return redirect("subsidies:application-drafts")
        if user.has_perm("subsidies.view_application"):
            return redirect("subsidies:application-list")
        if user.has_perm("subsidies.view_paymentbatch"):
            return redirect("subsidies:batch-list")
        return redirect("subsidies:rate-list")


__all__ = [
    "AccountCorrectionListView",
    "AccountCorrectionView",
    "PaymentFailView",
    "FindingActionView",
    "FindingListView",
    "InvitationTemplateView",
    "ApplicationActionView",
    "ApplicationCreateView",
    "ApplicationDetailView",
    "ApplicationDraftListView",
    "ApplicationListView",
    "ApplicationQueueView",
    "AttachmentDeleteView",
    "AttachmentDownloadView",
    "AttachmentUploadView",
    "BatchActionView",
    "BatchBankFileView",
    "BatchDetailView",
    "BatchGenerateView",
    "BatchListView",
    "BatchProgressView",
    "BatchReturnJobView",
    "BatchReturnTemplateView",
    "BatchReturnView",
    "EntitlementActionView",
    "EntitlementDetailView",
    "EntitlementListView",
    "EntitlementReviewListView",
    "IndexView",
    "PaymentHoldView",
    "PaymentListView",
    "RateFormView",
    "RateListView",
    "RecoveryListView",
    "RecoveryMarkView",
]
