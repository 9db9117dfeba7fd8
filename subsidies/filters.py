import django_filters
from django import forms
from django.db.models import Q
from django.http import QueryDict
from django.utils.translation import gettext_lazy as _

from dfed.core.filters import PortalFilterSet
from dfed.core.months import month_add, month_parse
from dfed.people.models import Area
from dfed.people.selectors import area_list_towns, person_search

from .models import (
    Application,
    Entitlement,
    FailureReason,
    Finding,
    Payment,
    PaymentBatch,
    RecoveryItem,
    SubsidyType,
    Tier,
)


class MonthFilter(django_filters.CharFilter):
    """Rows whose date field falls in a month typed as 2025-01 (others ignored)."""

    def filter(self, qs, value):
        if not value:
            return qs
        try:
            month = month_parse(value)
        except Exception:  # noqa: BLE001 - a bad month filters nothing
            return qs.none()
        name = self.field_name
        return qs.filter(**{f"{name}__gte": month, f"{name}__lt": month_add(month, 1)})


class TownScopedFilterSet(PortalFilterSet):
    q = django_filters.CharFilter(label=_("搜索"), method="filter_q")
    town = django_filters.ModelChoiceFilter(
        label=_("镇街道"), queryset=Area.objects.none(), field_name="person__town"
    )
    type = django_filters.ChoiceFilter(label=_("补贴类型"), choices=SubsidyType.choices)

    def __init__(self, *args, request=None, **kwargs):
        super().__init__(*args, request=request, **kwargs)
        # PortalFilterSet.__init__ has already built the form: set the choices on both.
        towns = area_list_towns(user=request.user)
        self.filters["town"].queryset = towns
        self.form.fields["town"].queryset = towns
        self.form.fields["q"].widget.attrs["placeholder"] = _("姓名或身份证号")

    def filter_q(self, queryset, name, value):
        from dfed.people.models import Person

        people = person_search(Person.objects.all(), value, viewer=self.request.user)
        people = people.values("pk")
        return queryset.filter(person__in=people)


class ApplicationFilter(TownScopedFilterSet):
    status = django_filters.ChoiceFilter(label=_("状态"), choices=Application.Status.choices)
    month = MonthFilter(label=_("申请月份"), field_name="created_at__date")

    class Meta:
        model = Application
        fields = ["q", "town", "type", "status", "month"]


class EntitlementFilter(TownScopedFilterSet):
    tier = django_filters.ChoiceFilter(label=_("档次"), choices=Tier.choices)
    state = django_filters.ChoiceFilter(label=_("状态"), choices=Entitlement.State.choices)
    month = MonthFilter(label=_("起始月份"), field_name="start_month")
    town = django_filters.ModelChoiceFilter(
        label=_("镇街道"), queryset=Area.objects.none(), method="filter_town"
    )

    def filter_town(self, queryset, name, value):
        """The town's entitlements, also as a range of the sort key ("<town code> …") so the
        sort-key index serves the filter and the default order together."""
        if not value:
            return queryset
        return queryset.filter(
            person__town=value, sort_key__gte=f"{value.code} ", sort_key__lt=f"{value.code}!"
        )

    class Meta:
        model = Entitlement
        fields = ["q", "town", "type", "tier", "state", "month"]


class PaymentFilter(TownScopedFilterSet):
    town = django_filters.ModelChoiceFilter(label=_("镇街道"), queryset=Area.objects.none())
    month = MonthFilter(label=_("所属月份"), field_name="month")
    batch = django_filters.ModelChoiceFilter(
        label=_("批次"), queryset=PaymentBatch.objects.order_by("-month")
    )
    is_arrears = django_filters.BooleanFilter(label=_("补发"))
    held = django_filters.BooleanFilter(label=_("暂缓"))
    status = django_filters.ChoiceFilter(label=_("发放结果"), choices=Payment.Status.choices)
    failure_code = django_filters.ChoiceFilter(label=_("失败原因"), choices=FailureReason.choices)

    class Meta:
        model = Payment
        fields = [
            "q",
            "town",
            "type",
            "month",
            "batch",
            "is_arrears",
            "held",
            "status",
            "failure_code",
        ]


class RecoveryFilter(TownScopedFilterSet):
    status = django_filters.ChoiceFilter(label=_("状态"), choices=RecoveryItem.Status.choices)

    class Meta:
        model = RecoveryItem
        fields = ["q", "town", "status"]

    type = django_filters.ChoiceFilter(
        label=_("补贴类型"), choices=SubsidyType.choices, field_name="entitlement__type"
    )


class FindingFilter(PortalFilterSet):
    q = django_filters.CharFilter(label=_("搜索"), method="filter_q")
    town = django_filters.ModelChoiceFilter(label=_("镇街道"), queryset=Area.objects.none())
    kind = django_filters.ChoiceFilter(label=_("类别"), choices=Finding.Kind.choices)
    rule = django_filters.ChoiceFilter(label=_("比对规则"), choices=Finding.Rule.choices)
    status = django_filters.ChoiceFilter(
        label=_("状态"), choices=Finding.Status.choices, empty_label=_("全部")
    )
    proposed = django_filters.BooleanFilter(
        label=_("待确认停发"), method="filter_proposed", widget=forms.CheckboxInput
    )

    class Meta:
        model = Finding
        fields = ["q", "town", "kind", "rule", "status", "proposed"]

    def __init__(self, data=None, *args, request=None, **kwargs):
        data = data.copy() if data is not None else QueryDict(mutable=True)
        data.setdefault("status", Finding.Status.OPEN)  # the worklist: open findings
        super().__init__(data, *args, request=request, **kwargs)
        towns = area_list_towns(user=request.user)
        self.filters["town"].queryset = towns
        self.form.fields["town"].queryset = towns
        self.form.fields["q"].widget.attrs["placeholder"] = _("姓名或身份证号")

    def filter_q(self, queryset, name, value):
        value = value.strip()
        if len(value) >= 6 and value[:6].isdigit():
            return queryset.filter(id_number__startswith=value.upper())
        return queryset.filter(Q(name__contains=value) | Q(person__name__contains=value))

    def filter_proposed(self, queryset, name, value):
        if value:
            return queryset.filter(proposed_by__isnull=False, status=Finding.Status.OPEN)
        return queryset
