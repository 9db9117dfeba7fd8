from decimal import Decimal

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dfed.people.forms import CommunityChoiceField, PersonPreselectMixin
from dfed.people.selectors import area_list_communities

from .models import Home, ServiceRecord, ServiceType, StarAssessment

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class HomeForm(forms.ModelForm):
    community = CommunityChoiceField(label=_("社区（村）"), queryset=None)
    services = forms.ModelMultipleChoiceField(
        label=_("提供服务"),
        queryset=ServiceType.objects.all(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    class Meta:
        model = Home
        fields = [
            "name",
            "community",
            "address",
            "floor_area",
            "opened_on",
            "operator",
            "capacity",
            "services",
            "contact_name",
            "contact_phone",
            "status",
            "note",
        ]
        widgets = {
            "opened_on": DATE,
            "note": forms.Textarea(attrs={"rows": 3}),
            "contact_phone": forms.TextInput(attrs={"inputmode": "tel"}),
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["community"].queryset = area_list_communities(user=user)


class MembershipJoinForm(forms.Form):
    id_number = forms.CharField(
        label=_("身份证号或残疾人证号"),
        max_length=20,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    joined_on = forms.DateField(label=_("加入日期"), widget=DATE, initial=timezone.localdate)


class MembershipCreateForm(PersonPreselectMixin, forms.Form):
    """Join a home chosen from the open homes the user may see (the page opened for a person)."""

    home = forms.ModelChoiceField(label=_("残疾人之家"), queryset=None)
    id_number = forms.CharField(
        label=_("身份证号或残疾人证号"),
        max_length=20,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    joined_on = forms.DateField(label=_("加入日期"), widget=DATE, initial=timezone.localdate)

    def __init__(self, *args, user, homes, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["home"].queryset = homes
        self.user = user
        self.preselect_person(user)


class MembershipLeaveForm(forms.Form):
    left_on = forms.DateField(label=_("退出日期"), widget=DATE, initial=timezone.localdate)
    reason = forms.CharField(label=_("退出原因"), max_length=200, required=False)


class ServiceRecordForm(forms.ModelForm):
    attendees = forms.ModelMultipleChoiceField(
        label=_("参加成员"), queryset=None, widget=forms.CheckboxSelectMultiple, required=False
    )

    class Meta:
        model = ServiceRecord
        fields = ["date", "service_type", "hours", "staff", "attendees", "note"]
        widgets = {"date": DATE}

    def __init__(self, *args, members, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["attendees"].queryset = members
        self.fields["attendees"].label_from_instance = lambda p: p.name
        self.fields["date"].initial = timezone.localdate


class AssessmentCreateForm(forms.Form):
    year = forms.IntegerField(label=_("年度"), min_value=2000, max_value=2100)
    assessors = forms.CharField(label=_("评定人员"), max_length=200, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].initial = timezone.localdate().year


class ScoreSheetForm(forms.Form):
    """One score and one remark per line of the assessment's sheet."""

    assessors = forms.CharField(label=_("评定人员"), max_length=200, required=False)

    def __init__(self, *args, assessment: StarAssessment, **kwargs):
        super().__init__(*args, **kwargs)
        self.lines = list(assessment.scores.select_related("item").order_by("item__order"))
        self.fields["assessors"].initial = assessment.assessors
        for line in self.lines:
            self.fields[f"score_{line.item_id}"] = forms.DecimalField(
                label=_("得分：%(t)s") % {"t": line.item.title},
                max_digits=5,
                decimal_places=1,
                min_value=Decimal("0"),
                max_value=line.item.max_points,
                required=False,
                initial=line.score,
                widget=forms.NumberInput(attrs={"step": "0.5", "class": "form-control"}),
            )
            self.fields[f"remark_{line.item_id}"] = forms.CharField(
                label=_("说明：%(t)s") % {"t": line.item.title},
                max_length=200,
                required=False,
                initial=line.remark,
                widget=forms.TextInput(attrs={"class": "form-control"}),
            )

    def rows(self):
        """(ItemScore, score field, remark field) in sheet order, for the template."""
        return [
            (line, self[f"score_{line.item_id}"], self[f"remark_{line.item_id}"])
            for line in self.lines
        ]

    def scores(self) -> dict:
        data = self.cleaned_data
        return {
            line.item_id: (data.get(f"score_{line.item_id}"), data.get(f"remark_{line.item_id}"))
            for line in self.lines
        }


class ReturnForm(forms.Form):
    comment = forms.CharField(
        label=_("退回意见"), widget=forms.Textarea(attrs={"rows": 2}), max_length=1000
    )


class AttendancePickForm(forms.Form):
    home = forms.ModelChoiceField(label=_("残疾人之家"), queryset=None)
    date = forms.DateField(label=_("日期"), widget=DATE)

    def __init__(self, *args, homes, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["home"].queryset = homes
        self.fields["date"].widget.attrs["class"] = "form-control form-control-lg"
        self.fields["home"].widget.attrs["class"] = "form-select form-select-lg"
