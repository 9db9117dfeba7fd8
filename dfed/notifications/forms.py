from django import forms

from .models import SmsOptOut


class SmsOptOutForm(forms.ModelForm):
    class Meta:
        model = SmsOptOut
        fields = ["phone", "reason"]

    def validate_unique(self):
        pass  # the service updates an existing row
