"""The engine's forms: the upload (a roster file, checked before it is stored) and the base of
an importer's own options (``Importer.options_form``)."""

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from dfed.core.importing.readers import EXTENSIONS, file_extension, limits

SIGNATURES = {".xlsx": b"PK\x03\x04", ".xlsm": b"PK\x03\x04", ".xls": b"\xd0\xcf\x11\xe0"}


def import_max_bytes() -> int:
    return limits().bytes


class ImportOptionsForm(forms.Form):
    """An importer's own fields on the upload and confirm forms. Subclasses map their cleaned
    data to the job's options (JSON) and back, and describe them on the result page."""

    def options(self) -> dict:
        """The job's options from ``cleaned_data`` (JSON-serialisable)."""
        return {}

    @classmethod
    def initial_for(cls, options: dict | None) -> dict:
        """The form's initial data: defaults for ``None`` (upload), else from a job's options."""
        return {}

    @classmethod
    def describe(cls, options: dict) -> list[tuple[str, str]]:
        """``(label, value)`` pairs the result page shows for a job's options."""
        return []


class UploadForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("花名册文件"), help_text=gettext_lazy("xlsx、xls 或 csv")
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        ext = file_extension(upload.name)
        if ext not in EXTENSIONS:
            raise forms.ValidationError(_("只能导入 xlsx、xls 或 csv 文件"))
        if upload.size > import_max_bytes():
            raise forms.ValidationError(
                _("文件不能超过 %(mb)d MB") % {"mb": import_max_bytes() // 1024 // 1024}
            )
        head = upload.read(8)
        upload.seek(0)
        if ext in SIGNATURES and not head.startswith(SIGNATURES[ext]):
            raise forms.ValidationError(_("文件内容与扩展名不符，请上传真实的 Excel 文件"))
        return upload
