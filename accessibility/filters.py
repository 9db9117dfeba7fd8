import django_filters
from django.utils.translation import gettext_lazy as _

from dfed.core.filters import PortalFilterSet
from dfed.people.models import Area
from dfed.people.selectors import area_list_towns, person_search

from .models import AccessibleCommunity, RetrofitProject
from .selectors import community_year_choices, project_year_choices


class ProjectFilter(PortalFilterSet):
    q = django_filters.CharFilter(label=_("搜索"), method="filter_q")
    town = django_filters.ModelChoiceFilter(label=_("镇街道"), queryset=Area.objects.none())
    year = django_filters.ChoiceFilter(label=_("年度"), choices=())
    status = django_filters.ChoiceFilter(label=_("状态"), choices=RetrofitProject.Status.choices)

    class Meta:
        model = RetrofitProject
        fields = ["q", "town", "year", "status"]

    def __init__(self, *args, request=None, **kwargs):
        super().__init__(*args, request=request, **kwargs)
        self.filters["town"].queryset = area_list_towns(user=request.user)
        self.filters["year"].extra["choices"] = [(y, f"{y}年") for y in project_year_choices()]
        self.form.fields["q"].widget.attrs["placeholder"] = _("姓名或身份证号")

    def filter_q(self, queryset, name, value):
        return person_search(queryset, value, viewer=self.request.user, path="person__")


class CommunityFilter(PortalFilterSet):
    town = django_filters.ModelChoiceFilter(label=_("镇街道"), queryset=Area.objects.none())
    year = django_filters.ChoiceFilter(label=_("年度"), choices=())
    status = django_filters.ChoiceFilter(
        label=_("状态"), choices=AccessibleCommunity.Status.choices
    )

    class Meta:
        model = AccessibleCommunity
        fields = ["town", "year", "status"]

    def __init__(self, *args, request=None, **kwargs):
        super().__init__(*args, request=request, **kwargs)
        self.filters["town"].queryset = area_list_towns(user=request.user)
        self.filters["year"].extra["choices"] = [(y, f"{y}年") for y in community_year_choices()]
