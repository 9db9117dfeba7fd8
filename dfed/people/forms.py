from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from dfed.core.masking import MaskedFormMixin, Sensitive, reveal
from dfed.core.validators import normalize_id_number

from .models import Person
from .pickers import PersonChoiceField
from .selectors import (
    area_list_communities,
    person_registered_elsewhere,
)
from .services import PERSON_FIELDS


class CommunityChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.parent.name} / {obj.name}" if obj.parent_id else obj.name


class PersonPreselectMixin:
    """A form that needs a person: a ``person`` field shown as the person picker
    (:mod:`dfed.people.pickers`: search by name or ID number among the people ``user`` may see),
    preselected when the page is opened for one person (``?person=<pk>`` from the person page,
    passed as ``initial={"person": pk}``) or with a whole typed number
    (``initial={"id_number": …}``). The typed-number field (``person_text_field``) stays, hidden
    and optional, so a posted whole number still names the person; its errors show on the
    picker. ``preselected`` (the Person) and ``preselected_label`` (name and masked ID) let the
    page say who it is for; ``person_active_only`` offers in-register people only.

    Call ``self.preselect_person(user)`` at the end of ``__init__``; the ``person`` field cleans
    first, to the chosen Person or None, so the typed field's ``clean_*`` may replace it.
    """

    person_text_field = "id_number"
    person_active_only = False
    preselected = None
    preselected_label = ""

    def preselect_person(self, user) -> None:
        name = self.person_text_field
        text = self.fields[name]
        text.widget = forms.HiddenInput()
        text.required = False
        person = PersonChoiceField(user=user, active_only=self.person_active_only)
        # First, so that a clean_<text field>() finding the person may set cleaned_data["person"].
        self.fields = {"person": person, **self.fields}
        if self.is_bound:
            pk = self.data.get(self.add_prefix("person"))
            person.required = not (self.data.get(self.add_prefix(name)) or "").strip()
        else:
            pk = self.initial.get("person") or self._person_by_number(
                person.queryset, self.initial.get(name)
            )
            self.initial["person"] = pk
        if not pk or not str(pk).isdigit():
            return
        self.preselected = person.queryset.filter(pk=pk).first()
        if self.preselected is None:
            return
        number = reveal(self.preselected.id_number, kind=Sensitive.ID, viewer=user)
        self.preselected_label = f"{self.preselected.name}（{number}）"

    @staticmethod
    def _person_by_number(people, text):
        number = normalize_id_number(text or "")
        if len(number) not in (18, 20):  # whole numbers only, as the registry search
            return None
        return people.filter(id_number=number[:18]).values_list("pk", flat=True).first()

    def add_error(self, field, error):
        """Errors of the hidden typed field show on the picker (unless it has its own)."""
        text = self.person_text_field
        if field == text:
            if "person" in (self._errors or {}):
                return
            field = "person"
        elif field is None and text in getattr(error, "error_dict", {}):
            errors = error.error_dict
            error = ValidationError({("person" if k == text else k): v for k, v in errors.items()})
        super().add_error(field, error)


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
        fields = list(PERSON_FIELDS)  # what the services accept
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
        self.user = user
        self.registered_elsewhere = ""  # the ID number, when registered in another town
        self.fields["community"].queryset = area_list_communities(user=user)

    def clean(self):
        cleaned = super().clean()
        number = cleaned.get("id_number")
        if (
            not self.instance.pk
            and number
            and person_registered_elsewhere(user=self.user, id_number=number)
        ):
            self.registered_elsewhere = normalize_id_number(number)
            self.add_error(
                "id_number",
                _("此身份证号已在本区其他镇街道登记。如本人已迁入本镇街道，请申请区内迁移。"),
            )
        return cleaned

    def validate_unique(self):
        if not self.registered_elsewhere:  # the message above says it without naming the town
            super().validate_unique()


class PersonTransferForm(forms.Form):
    """区内迁移 request: the ID number typed on the registration form and the new community."""

    id_number = forms.CharField(label=_("身份证号"), max_length=18, widget=forms.HiddenInput)
    to_community = CommunityChoiceField(label=_("迁入社区（村）"), queryset=None)
    reason = forms.CharField(label=_("迁移说明"), max_length=200, required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to_community"].queryset = area_list_communities(user=user)


class PersonTransferDecisionForm(forms.Form):
    note = forms.CharField(label=_("审批意见"), max_length=200, required=False)


class PersonStatusForm(forms.Form):
    status = forms.ChoiceField(label=_("状态"), choices=Person.Status.choices)
    status_date = forms.DateField(
        label=_("日期"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    reason = forms.CharField(label=_("说明"), max_length=200, required=False)
