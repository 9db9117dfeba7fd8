import django_filters
from django import forms
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from dfed.core.filters import PortalFilterSet

from .models import Area, Person, SensitiveAccessLog
from .selectors import area_list_communities, area_list_towns, person_search


class PersonFilter(PortalFilterSet):
    q = django_filters.CharFilter(label=_("搜索"), method="filter_q")
    town = django_filters.ModelChoiceFilter(label=_("镇街道"), queryset=Area.objects.none())
    community = django_filters.ModelChoiceFilter(label=_("社区村"), queryset=Area.objects.none())
    category = django_filters.ChoiceFilter(label=_("残疾类别"), choices=Person.Category.choices)
    level = django_filters.ChoiceFilter(label=_("残疾等级"), choices=Person.Level.choices)
    household = django_filters.ChoiceFilter(label=_("家庭类型"), choices=Person.Household.choices)
    status = django_filters.ChoiceFilter(label=_("状态"), choices=Person.Status.choices)

    class Meta:
        model = Person
        fields = ["q", "town", "community", "category", "level", "household", "status"]

    def __init__(self, *args, request=None, **kwargs):
        super().__init__(*args, request=request, **kwargs)
        user = request.user
        towns = area_list_towns(user=user)
        self.filters["town"].queryset = towns
        self.filters["community"].queryset = self._community_choices(user, towns)
        self.form.fields["q"].widget.attrs["placeholder"] = _("姓名、身份证号或残疾人证号")

    def _community_choices(self, user, towns):
        """Only the communities of the chosen town (or of the user's one town): a province has
        thousands, and the page loads another town's on demand (static/js/area-options.js)."""
        data = self.data or {}
        town_id = str(data.get("town") or "")
        if town_id.isdigit():
            return area_list_communities(user=user).filter(parent_id=int(town_id))
        if towns.count() <= 1:
            return area_list_communities(user=user)
        community_id = str(data.get("community") or "")
        chosen = int(community_id) if community_id.isdigit() else None
        return area_list_communities(user=user).filter(pk=chosen)

    @property
    def form(self):
        form = super().form
        widget = form.fields["community"].widget
        widget.attrs["data-options-url"] = reverse("people:community-options")
        widget.attrs["data-depends-on"] = "town"
        return form

    def filter_q(self, queryset, name, value):
        return person_search(queryset, value, viewer=self.request.user)


class AccessLogFilter(PortalFilterSet):
    """Who saw full identifiers: by viewer, kind of view, person, date range."""

    user = django_filters.CharFilter(
        label=_("查看人"), field_name="user__username", lookup_expr="icontains"
    )
    kind = django_filters.ChoiceFilter(label=_("查看方式"), choices=SensitiveAccessLog.Kind.choices)
    person = django_filters.CharFilter(
        label=_("被查看人"), field_name="person__name", lookup_expr="icontains"
    )
    viewed_from = django_filters.DateFilter(
        label=_("起始日期"),
        field_name="viewed_at",
        lookup_expr="date__gte",
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    viewed_to = django_filters.DateFilter(
        label=_("截止日期"),
        field_name="viewed_at",
        lookup_expr="date__lte",
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    ip_address = django_filters.CharFilter(label=_("IP 地址"), field_name="ip_address")

    class Meta:
        model = SensitiveAccessLog
        fields = ["user", "kind", "person", "viewed_from", "viewed_to", "ip_address"]
