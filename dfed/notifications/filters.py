import django_filters
from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from dfed.core.filters import PortalFilterSet
from dfed.core.masking import can_view_sensitive

from .models import SmsMessage
from .purposes import purpose_choices

SENDING = "sending"


def status_choices():
    return [*SmsMessage.Status.choices, (SENDING, _("发送中"))]


class SmsMessageFilter(PortalFilterSet):
    q = django_filters.CharFilter(label=_("搜索"), method="search")
    status = django_filters.ChoiceFilter(
        label=_("状态"), choices=status_choices, method="filter_status"
    )
    purpose = django_filters.ChoiceFilter(label=_("用途"), choices=purpose_choices)
    campaign = django_filters.CharFilter(label=_("所属活动"), widget=forms.HiddenInput)
    created_from = django_filters.DateFilter(
        label=_("创建起"), field_name="created_at", lookup_expr="date__gte"
    )
    created_to = django_filters.DateFilter(
        label=_("创建止"), field_name="created_at", lookup_expr="date__lte"
    )

    class Meta:
        model = SmsMessage
        fields = ["q", "status", "purpose", "created_from", "created_to", "campaign"]

    def search(self, queryset, name, value):
        # A phone matches in part only for those who may see phones whole (no search oracle).
        partial = can_view_sensitive(self.request.user)
        phone = Q(phone__contains=value) if partial else Q(phone=value.strip())
        return queryset.filter(phone | Q(body__icontains=value))

    def filter_status(self, queryset, name, value):
        if value == SENDING:
            return queryset.filter(status=SmsMessage.Status.QUEUED, in_progress=True)
        if value == SmsMessage.Status.QUEUED:
            return queryset.filter(status=value, in_progress=False)
        return queryset.filter(status=value)
