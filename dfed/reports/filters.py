"""The dashboard filters (year, month range, town) that live in the URL.

``?year=2026&from=2026-01&to=2026-06&town=12``: a month range, when given, overrides the year;
the town choices are the towns the user may see, so a caseworker can never ask for another
town's figures.
"""

from dataclasses import dataclass
from datetime import date
from urllib.parse import urlencode

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dfed.core.filters import FilterFormHelper
from dfed.core.months import month_label, month_parse, months_between
from dfed.core.scoping import user_town_ids
from dfed.people.models import Area
from dfed.people.selectors import area_list_towns

FIRST_YEAR = 2015


def current_year() -> int:
    return timezone.localdate().year


@dataclass(frozen=True)
class ReportFilters:
    """What a widget is asked for: the months ``start``..``end`` (first days) and a town."""

    year: int
    start: date
    end: date
    town: Area | None = None

    @classmethod
    def for_year(cls, year: int, town: Area | None = None) -> "ReportFilters":
        return cls(year=year, start=date(year, 1, 1), end=date(year, 12, 1), town=town)

    @property
    def months(self) -> list[date]:
        return months_between(self.start, self.end)

    @property
    def end_exclusive(self) -> date:
        """The first day after the period (for ``date < end_exclusive`` filters)."""
        return date(self.end.year + self.end.month // 12, self.end.month % 12 + 1, 1)

    def town_ids(self, user) -> list[int] | None:
        """The towns to count: the chosen one, else the user's (``None`` = whole district)."""
        if self.town is not None:
            return [self.town.pk]
        return user_town_ids(user)

    @property
    def label(self) -> str:
        if self.start == date(self.year, 1, 1) and self.end == date(self.year, 12, 1):
            period = f"{self.year}年"
        else:
            period = f"{month_label(self.start)}—{month_label(self.end)}"
        return f"{period}（{self.town.name}）" if self.town else period

    def querystring(self) -> str:
        params = {"year": self.year}
        if (self.start, self.end) != (date(self.year, 1, 1), date(self.year, 12, 1)):
            params["from"] = f"{self.start:%Y-%m}"
            params["to"] = f"{self.end:%Y-%m}"
        if self.town is not None:
            params["town"] = self.town.pk
        return urlencode(params)

    def as_dict(self) -> dict:
        return {
            "year": self.year,
            "from": f"{self.start:%Y-%m}",
            "to": f"{self.end:%Y-%m}",
            "town": self.town.pk if self.town else None,
            "label": self.label,
        }


class MonthInput(forms.DateInput):
    input_type = "month"


class DashboardFilterForm(forms.Form):
    """The GET form above every dashboard; ``from`` and ``to`` are added below (keywords)."""

    year = forms.TypedChoiceField(label=_("年度"), coerce=int, required=False)
    town = forms.ModelChoiceField(
        label=_("镇街道"), queryset=Area.objects.none(), required=False, empty_label=_("全部")
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        this_year = current_year()
        self.fields["year"].choices = [
            (y, f"{y}年") for y in range(this_year + 1, FIRST_YEAR - 1, -1)
        ]
        self.fields["year"].initial = this_year  # an unfiltered page shows this year
        self.fields["town"].queryset = area_list_towns(user=user)
        town_ids = user_town_ids(user)
        if town_ids is not None and len(town_ids) <= 1:
            self.fields["town"].empty_label = _("本镇街道")
        # The page reports errors above the widgets (and falls back to this year).
        self.helper = FilterFormHelper(self, show_errors=False)

    def clean_from(self):
        return self._month("from")

    def clean_to(self):
        return self._month("to")

    def _month(self, name):
        value = self.cleaned_data.get(name)
        if not value:
            return None
        try:
            return month_parse(value)
        except ValidationError as exc:
            raise ValidationError(exc.messages) from None

    def clean(self):
        data = super().clean()
        start, end = data.get("from"), data.get("to")
        if start and end and start > end:
            raise ValidationError(_("起始月份不能晚于结束月份"))
        if start and end and (end.year - start.year) * 12 + end.month - start.month >= 60:
            raise ValidationError(_("月份范围不能超过五年"))
        return data

    def filters(self) -> ReportFilters:
        """The filters this (valid) form asks for, with the defaults filled in."""
        data = self.cleaned_data
        year = data.get("year") or current_year()
        start, end = data.get("from"), data.get("to")
        if start and not end:
            end = date(start.year, 12, 1)
        elif end and not start:
            start = date(end.year, 1, 1)
        if start is None:
            return ReportFilters.for_year(year, town=data.get("town"))
        # A month range decides the year too (year-based widgets use the end month's year).
        return ReportFilters(year=end.year, start=start, end=end, town=data.get("town"))


DashboardFilterForm.base_fields["from"] = forms.CharField(
    label=_("起始月份"), required=False, widget=MonthInput()
)
DashboardFilterForm.base_fields["to"] = forms.CharField(
    label=_("结束月份"), required=False, widget=MonthInput()
)
# Keep the order year, from, to, town.
DashboardFilterForm.base_fields = {
    k: DashboardFilterForm.base_fields[k] for k in ("year", "from", "to", "town")
}
