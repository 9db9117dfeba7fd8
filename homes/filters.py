import django_filters
from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from dfed.core.filters import PortalFilterSet
from dfed.people.models import Area
from dfed.people.selectors import area_list_towns

from .models import STAR_CHOICES, Home, ServiceRecord, ServiceType, StarAssessment

UNRATED = "none"


class HomeFilter(PortalFilterSet):
    q = django_filters.CharFilter(label=_("名称"), method="filter_q")
    town = django_filters.ModelChoiceFilter(label=_("镇街道"), queryset=Area.objects.none())
    star = django_filters.ChoiceFilter(
        label=_("当前星级"),
        choices=[*STAR_CHOICES[::-1], (UNRATED, _("未评定"))],
        method="filter_star",
    )
    service = django_filters.ModelChoiceFilter(
        label=_("提供服务"), queryset=ServiceType.objects.all(), field_name="services"
    )
    status = django_filters.ChoiceFilter(label=_("状态"), choices=Home.Status.choices)

    class Meta:
        model = Home
        fields = ["q", "town", "star", "service", "status"]

    def __init__(self, *args, request=None, **kwargs):
        super().__init__(*args, request=request, **kwargs)
        self.filters["town"].queryset = area_list_towns(user=request.user)

    def filter_q(self, queryset, name, value):
        return queryset.filter(Q(name__icontains=value) | Q(address__icontains=value))

    def filter_star(self, queryset, name, value):
        if value == UNRATED:
            return queryset.filter(current_star__isnull=True)
        return queryset.filter(current_star=int(value))


class AssessmentFilter(PortalFilterSet):
    year = django_filters.NumberFilter(label=_("年度"))
    town = django_filters.ModelChoiceFilter(
        label=_("镇街道"), queryset=Area.objects.none(), field_name="home__town"
    )
    status = django_filters.ChoiceFilter(label=_("状态"), choices=StarAssessment.Status.choices)

    class Meta:
        model = StarAssessment
        fields = ["year", "town", "status"]

    def __init__(self, *args, request=None, **kwargs):
        super().__init__(*args, request=request, **kwargs)
        self.filters["town"].queryset = area_list_towns(user=request.user)


class ServiceRecordFilter(PortalFilterSet):
    home = django_filters.ModelChoiceFilter(label=_("残疾人之家"), queryset=Home.objects.none())
    service_type = django_filters.ModelChoiceFilter(
        label=_("服务类型"), queryset=ServiceType.objects.all()
    )
    date_from = django_filters.DateFilter(
        label=_("起始日期"),
        field_name="date",
        lookup_expr="gte",
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    date_to = django_filters.DateFilter(
        label=_("截止日期"),
        field_name="date",
        lookup_expr="lte",
        widget=forms.DateInput(attrs={"type": "date"}),
    )

    class Meta:
        model = ServiceRecord
        fields = ["home", "service_type", "date_from", "date_to"]

    def __init__(self, *args, request=None, **kwargs):
        super().__init__(*args, request=request, **kwargs)
        from .selectors import home_list_visible_to

        self.filters["home"].queryset = home_list_visible_to(request.user).order_by(
            "town__code", "name"
        )
