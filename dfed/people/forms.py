from django import forms
from django.utils.translation import gettext_lazy as _

from dfed.core.masking import MaskedFormMixin, Sensitive

from .models import Person
from .selectors import area_list_communities


class CommunityChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.parent.name} / {obj.name}" if obj.parent_id else obj.name


class PersonForm(MaskedFormMixin, forms.ModelForm):
    """The registry form; checks live in ``Person.clean`` so imports and services agree.
    Identifiers are shown masked to users without ``people.view_sensitive``."""

    masked_fields = {
        "id_number": Sensitive.ID,
        "certificate_number": Sensitive.CERTIFICATE,
        "phone": Sensitive.PHONE,
        "guardian_phone": Sensitive.PHONE,
        "bank_account": Sensitive.BANK,
    }

    community = CommunityChoiceField(label=_("社区（村）"), queryset=None)

    class Meta:
        model = Person
        fields = [
            "name",
            "id_number",
            "ethnicity",
            "certificate_number",
            "category",
            "level",
            "household",
            "community",
            "address",
            "phone",
            "bank_name",
            "bank_account",
            "guardian_name",
            "guardian_phone",
            "note",
        ]
        widgets = {
            "note": forms.Textarea(attrs={"rows": 3}),
            "id_number": forms.TextInput(attrs={"autocomplete": "off", "inputmode": "text"}),
            "phone": forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "off"}),
            "guardian_phone": forms.TextInput(attrs={"inputmode": "tel"}),
            "bank_account": forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
        }
        help_texts = {
            "id_number": _("18位公民身份号码，性别和出生日期据此自动填写"),
            "certificate_number": _("第二代残疾人证号：身份证号+类别+等级，共20位"),
            "phone": _("11位手机号或带区号的固定电话"),
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, viewer=user, **kwargs)
        self.fields["community"].queryset = area_list_communities(user=user)


class PersonStatusForm(forms.Form):
    status = forms.ChoiceField(label=_("状态"), choices=Person.Status.choices)
    status_date = forms.DateField(
        label=_("日期"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    reason = forms.CharField(label=_("说明"), max_length=200, required=False)
