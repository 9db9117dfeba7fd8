from django import forms

from .models import ReminderCampaign


class ReminderCampaignForm(forms.ModelForm):
    class Meta:
        model = ReminderCampaign
        fields = ["template", "audience", "departments", "offset_days"]
        widgets = {
            "template": forms.Textarea(attrs={"rows": 4}),
            "departments": forms.CheckboxSelectMultiple(),
        }
