from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from dfed.core.months import month_parse
from dfed.core.validators import (
    normalize_id_number,
    normalize_phone,
    validate_id_number,
    validate_mobile,
)
from dfed.people.forms import PersonPreselectMixin
from dfed.people.selectors import person_list_visible_to

from .models import Entitlement, FailureReason, SubsidyRate, SubsidyType


class MonthField(forms.CharField):
    """A month typed as 2025-01, 2025年1月 or 202501 (``<input type=month>`` in browsers)."""

    widget = forms.TextInput(attrs={"type": "month", "placeholder": "2025-01"})

    def to_python(self, value):
        value = super().to_python(value)
        if not value:
            return None
        return month_parse(value)

    def prepare_value(self, value):
        if hasattr(value, "strftime"):
            return value.strftime("%Y-%m")
        return value


class ApplicationCreateForm(PersonPreselectMixin, forms.Form):
    id_number = forms.CharField(
        label=_("身份证号"),
        max_length=20,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
        help_text=_("本镇街道在册残疾人的18位身份证号"),
    )
    type = forms.ChoiceField(label=_("补贴类型"), choices=SubsidyType.choices)
    reason = forms.CharField(
        label=_("申请理由"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    attachment = forms.FileField(
        label=_("附件（PDF/JPG/PNG）"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png"}),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.preselect_person(user)

    def clean_id_number(self):
        if self.preselected is not None:
            return self.preselected.id_number
        number = normalize_id_number(self.cleaned_data["id_number"])
        person = person_list_visible_to(self.user).filter(id_number=number).first()
        if person is None:
            raise ValidationError(_("本镇街道名册中没有该身份证号的残疾人"))
        self.cleaned_data["person"] = person
        return number


class AttachmentForm(forms.Form):
    attachment = forms.FileField(
        label=_("附件（PDF/JPG/PNG）"),
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png"}),
    )


class CommentForm(forms.Form):
    comment = forms.CharField(
        label=_("意见"), required=False, max_length=1000, widget=forms.Textarea(attrs={"rows": 2})
    )


class ApproveForm(CommentForm):
    approved_from = MonthField(
        label=_("批准起始月份"),
        required=False,
        help_text=_("留空则从审批次月开始；补批时可填更早的月份"),
    )


class EntitlementEndForm(forms.Form):
    reason = forms.ChoiceField(label=_("终止原因"), choices=Entitlement.EndReason.choices)
    end_month = MonthField(label=_("终止月份（含当月）"))
    note = forms.CharField(label=_("说明"), required=False, max_length=200)


class NoteForm(forms.Form):
    note = forms.CharField(label=_("说明"), required=False, max_length=200)


class SubsidyRateForm(forms.ModelForm):
    effective_from = MonthField(label=_("起始月份"))
    effective_to = MonthField(label=_("截止月份"), required=False, help_text=_("留空表示长期有效"))

    class Meta:
        model = SubsidyRate
        fields = ["type", "tier", "monthly_amount", "effective_from", "effective_to", "note"]


class BatchGenerateForm(forms.Form):
    month = MonthField(label=_("发放月份"))


class HoldForm(forms.Form):
    held = forms.BooleanField(label=_("暂缓发放"), required=False)
    reason = forms.CharField(label=_("暂缓原因"), required=False, max_length=200)


class PaymentFailForm(forms.Form):
    failure_code = forms.ChoiceField(label=_("失败原因"), choices=FailureReason.choices)
    failure_text = forms.CharField(label=_("银行说明"), required=False, max_length=200)


RETURN_SIGNATURES = {".xlsx": b"PK\x03\x04", ".xls": b"\xd0\xcf\x11\xe0"}
RETURN_MAX_BYTES = 20 * 1024 * 1024


class BankReturnForm(forms.Form):
    file = forms.FileField(label=_("银行回盘文件"), help_text=_("xlsx、xls 或 csv，不超过 20 MB"))

    def clean_file(self):
        upload = self.cleaned_data["file"]
        ext = "." + upload.name.rsplit(".", 1)[-1].lower() if "." in upload.name else ""
        if ext not in (".xlsx", ".xls", ".csv"):
            raise ValidationError(_("只能导入 xlsx、xls 或 csv 文件"))
        if upload.size > RETURN_MAX_BYTES:
            raise ValidationError(_("文件不能超过 20 MB"))
        head = upload.read(8)
        upload.seek(0)
        if ext in RETURN_SIGNATURES and not head.startswith(RETURN_SIGNATURES[ext]):
            raise ValidationError(_("文件内容与扩展名不符，请上传真实的 Excel 文件"))
        return upload


class AccountCorrectionForm(forms.Form):
    bank_name = forms.CharField(label=_("开户银行"), max_length=50)
    bank_account = forms.CharField(
        label=_("新银行账号"),
        max_length=30,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
        help_text=_("留空表示账号不变"),
    )
    note = forms.CharField(
        label=_("说明"),
        required=False,
        max_length=200,
        help_text=_("银行信息未修改时必填，例如：账户已解冻"),
    )


class ApplicationCommentForms:
    """The small forms of the review steps, one per action, sharing the POST data."""

    def __init__(self, data=None):
        self.data = data
        self.comment = CommentForm(data)
        self.approve = ApproveForm(data)

    def for_action(self, action: str):
        return self.approve if action == "approve" else self.comment


# --- the family service (/service/) ----------------------------------------------------------


class ServiceVerifyForm(forms.Form):
    """ID number and a phone: checked for shape only (nothing says whether they are on file)."""

    id_number = forms.CharField(
        label=_("身份证号"),
        max_length=20,
        widget=forms.TextInput(attrs={"autocomplete": "off", "inputmode": "text"}),
        help_text=_("残疾人本人的18位身份证号"),
    )
    phone = forms.CharField(
        label=_("手机号"),
        max_length=20,
        widget=forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel"}),
        help_text=_("登记过的本人或监护人手机号"),
    )

    def clean_id_number(self):
        value = normalize_id_number(self.cleaned_data["id_number"])
        validate_id_number(value)
        return value

    def clean_phone(self):
        value = normalize_phone(self.cleaned_data["phone"])
        validate_mobile(value)
        return value


class ServiceCodeForm(forms.Form):
    code = forms.CharField(
        label=_("短信验证码"),
        max_length=6,
        min_length=6,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "pattern": "[0-9]*"}
        ),
        help_text=_("6位数字，10分钟内有效"),
    )


class ServiceApplyForm(forms.Form):
    type = forms.ChoiceField(
        label=_("申请哪项补贴"), choices=SubsidyType.choices, widget=forms.RadioSelect
    )
    reason = forms.CharField(
        label=_("想说明的情况（可不填）"),
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    id_card = forms.FileField(
        label=_("身份证"), required=False, help_text=_("正反面照片或PDF，JPG/PNG/PDF")
    )
    hukou = forms.FileField(
        label=_("户口本"), required=False, help_text=_("户主页和本人页照片或PDF")
    )
    certificate = forms.FileField(
        label=_("残疾人证"), required=False, help_text=_("第二代残疾人证照片或PDF")
    )
    consent = forms.BooleanField(label=_("我同意数据比对（见上方说明）"), required=False)
