"""Input shapes for each step; the rules live in services."""

from django import forms
from django.utils.translation import gettext_lazy as _

from dfed.people.forms import CommunityChoiceField, PersonPreselectMixin
from dfed.people.selectors import area_list_communities

from .models import CommunityCheck, Photo
from .selectors import current_year, person_find_for_application, retrofit_item_list_for_year

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
TEXTAREA = forms.Textarea(attrs={"rows": 3})
MONEY_INPUT = forms.NumberInput(attrs={"step": "0.01", "min": "0", "inputmode": "decimal"})


class ApplyForm(PersonPreselectMixin, forms.Form):
    id_number = forms.CharField(
        label=_("身份证号"),
        max_length=30,
        help_text=_("申请人（残疾人）的18位身份证号，须为本镇街道名册中的人员"),
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    year = forms.IntegerField(label=_("年度"), min_value=2000, max_value=2100)
    needs = forms.CharField(label=_("改造需求"), required=False, widget=TEXTAREA)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["year"].initial = current_year()
        self.preselect_person(user)

    def clean_id_number(self):
        if self.preselected is not None:
            self.person = self.preselected
            return self.preselected.id_number
        person = person_find_for_application(
            user=self.user, id_number=self.cleaned_data["id_number"]
        )
        if person is None:
            raise forms.ValidationError(_("您可见的名册中没有该身份证号的残疾人"))
        self.person = person
        return person.id_number


class CommentForm(forms.Form):
    comment = forms.CharField(label=_("意见"), required=False, widget=TEXTAREA)

    def __init__(self, *args, project=None, user=None, **kwargs):
        super().__init__(*args, **kwargs)


class ReturnForm(CommentForm):
    comment = forms.CharField(
        label=_("退回意见"), widget=forms.Textarea(attrs={"rows": 3}), required=True
    )


class AssessForm(forms.Form):
    assessor = forms.CharField(label=_("评估人"), max_length=50)
    assessed_on = forms.DateField(label=_("评估日期"), widget=DATE)
    findings = forms.CharField(label=_("评估意见"), required=False, widget=TEXTAREA)

    def __init__(self, *args, project, user, **kwargs):
        super().__init__(*args, **kwargs)


class ItemLineForm(forms.Form):
    """One line of the assessment table (rendered in table cells, so widgets carry their class)."""

    item = forms.ModelChoiceField(
        label=_("改造内容"),
        queryset=None,
        required=False,
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    quantity = forms.DecimalField(
        label=_("数量"),
        max_digits=8,
        decimal_places=2,
        min_value=0,
        required=False,
        widget=forms.NumberInput(attrs={"class": "form-control"}),
    )
    unit_price = forms.DecimalField(
        label=_("估价单价（元）"),
        max_digits=12,
        decimal_places=2,
        min_value=0,
        required=False,
        widget=forms.NumberInput(attrs={**MONEY_INPUT.attrs, "class": "form-control"}),
    )
    over_cap_reason = forms.CharField(
        label=_("超上限理由"),
        max_length=200,
        required=False,
        widget=forms.TextInput(attrs={"class": "form-control"}),
    )

    def __init__(self, *args, year, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["item"].queryset = retrofit_item_list_for_year(year)

    def clean(self):
        data = super().clean()
        if data.get("item") and (data.get("quantity") is None or data.get("unit_price") is None):
            raise forms.ValidationError(_("请填写数量和估价单价"))
        if not data.get("item") and (data.get("quantity") or data.get("unit_price")):
            raise forms.ValidationError(_("请选择改造内容"))
        return data


ItemFormSet = forms.formset_factory(ItemLineForm, extra=0, min_num=5, max_num=30)


class ApproveForm(CommentForm):
    override_reason = forms.CharField(
        label=_("超预算审批理由"),
        required=False,
        widget=TEXTAREA,
        help_text=_("仅在估价超出镇街道剩余预算、确需审批时填写"),
    )

    def __init__(self, *args, project=None, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        if user is None or not user.has_perm("accessibility.override_retrofitbudget"):
            del self.fields["override_reason"]


class ConstructionForm(forms.Form):
    contractor = forms.CharField(label=_("施工单位"), max_length=100)
    construction_start = forms.DateField(label=_("开工日期"), widget=DATE)
    construction_finish = forms.DateField(label=_("完工日期"), widget=DATE)

    def __init__(self, *args, project, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.lines = list(project.items.all())
        for line in self.lines:
            self.fields[f"cost_{line.pk}"] = forms.DecimalField(
                label=_("%(item)s 实际费用（元）") % {"item": line.item.name},
                max_digits=12,
                decimal_places=2,
                min_value=0,
                initial=line.actual_cost if line.actual_cost is not None else line.estimate,
                widget=MONEY_INPUT,
                help_text=_("估价 %(amount)s 元") % {"amount": line.estimate},
            )

    def actual_costs(self) -> dict:
        return {line.pk: self.cleaned_data[f"cost_{line.pk}"] for line in self.lines}


class PhotoField(forms.FileField):
    widget = forms.FileInput(attrs={"accept": "image/jpeg,image/png"})


class AcceptForm(forms.Form):
    items_done = forms.BooleanField(label=_("改造内容已全部完成"), required=False)
    family_satisfied = forms.BooleanField(label=_("家庭对改造满意"), required=False)
    signed_by = forms.CharField(label=_("验收签字人"), max_length=50)
    accepted_on = forms.DateField(label=_("验收日期"), widget=DATE)
    note = forms.CharField(label=_("验收意见"), required=False, widget=TEXTAREA)
    before_photo = PhotoField(label=_("改造前照片"), required=False)
    after_photo = PhotoField(
        label=_("改造后照片"),
        required=False,
        help_text=_("JPG 或 PNG；验收须至少有一张改造后照片"),
    )

    def __init__(self, *args, project, user, **kwargs):
        super().__init__(*args, **kwargs)

    def photos(self) -> list[tuple[str, object]]:
        out = []
        if self.cleaned_data.get("before_photo"):
            out.append((Photo.Kind.BEFORE, self.cleaned_data["before_photo"]))
        if self.cleaned_data.get("after_photo"):
            out.append((Photo.Kind.AFTER, self.cleaned_data["after_photo"]))
        return out


class PhotoForm(forms.Form):
    kind = forms.ChoiceField(label=_("照片类型"), choices=Photo.Kind.choices)
    file = PhotoField(label=_("照片文件"), help_text=_("JPG 或 PNG"))
    caption = forms.CharField(label=_("说明"), max_length=100, required=False)

    def __init__(self, *args, project=None, user=None, **kwargs):
        super().__init__(*args, **kwargs)


# --- Accessible communities ------------------------------------------------------------------


class DeclareForm(forms.Form):
    community = CommunityChoiceField(label=_("社区（村）"), queryset=None)
    year = forms.IntegerField(label=_("年度"), min_value=2000, max_value=2100)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["community"].queryset = area_list_communities(user=user)
        self.fields["year"].initial = current_year()


class CheckForm(forms.Form):
    state = forms.ChoiceField(label=_("状态"), choices=CommunityCheck.State.choices)
    note = forms.CharField(label=_("说明"), required=False, widget=forms.TextInput())
    evidence = forms.FileField(
        label=_("佐证材料"),
        required=False,
        help_text=_("JPG、PNG 或 PDF"),
        widget=forms.FileInput(attrs={"accept": "image/jpeg,image/png,application/pdf"}),
    )


class DecideForm(forms.Form):
    passed = forms.TypedChoiceField(
        label=_("验收结论"),
        choices=[("1", _("验收通过")), ("0", _("未通过"))],
        coerce=lambda v: v == "1",
    )
    note = forms.CharField(label=_("验收意见"), required=False, widget=TEXTAREA)
