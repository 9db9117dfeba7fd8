"""What the engine's import pages need of the recipient roster: the paid-through field on the
upload and confirm forms, and the downloadable template."""

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from dfed.core.importing.normalizers import CATEGORY_NAMES
from dfed.core.importing.template import template_workbook
from dfed.core.months import month_label
from dfed.imports.forms import ImportOptionsForm
from dfed.people.selectors import area_list_towns

from .run import default_paid_through, parse_paid_through
from .spec import RECIPIENT_SPEC, TEMPLATE_EXAMPLE


class PaidThroughField(forms.CharField):
    def to_python(self, value):
        value = super().to_python(value)
        if not value:
            return None
        try:
            return parse_paid_through(value)
        except forms.ValidationError:
            raise forms.ValidationError(_("请填写年月，例如 2025-06")) from None


class PaidThroughForm(ImportOptionsForm):
    """已发放至: the last month the old process paid; the portal pays only the months after."""

    paid_through = PaidThroughField(
        label=gettext_lazy("已发放至（年月）"),
        help_text=gettext_lazy("原发放方式已发放到哪个月，系统只发放之后的月份"),
    )

    def options(self) -> dict:
        month = self.cleaned_data.get("paid_through") or default_paid_through()
        return {"paid_through": month.isoformat()}

    @classmethod
    def initial_for(cls, options: dict | None) -> dict:
        if options and options.get("paid_through"):
            return {"paid_through": options["paid_through"][:7]}
        return {"paid_through": f"{default_paid_through():%Y-%m}"}

    @classmethod
    def describe(cls, options: dict) -> list[tuple[str, str]]:
        if not options.get("paid_through"):
            return []
        return [(_("已发放至"), month_label(parse_paid_through(options["paid_through"])))]


def recipient_template() -> bytes:
    """The roster template: header, one example row, drop-down lists (category, level,
    household type, subsidy type, town)."""
    return template_workbook(
        spec=RECIPIENT_SPEC,
        title=_("补贴对象花名册"),
        example=TEMPLATE_EXAMPLE,
        choices={
            "category": list(CATEGORY_NAMES.values()),
            "level": ["一级", "二级", "三级", "四级"],
            "household": ["低保", "低保边缘", "特困", "一般"],
            "type": ["生活补贴", "护理补贴"],
            "town": list(area_list_towns().values_list("name", flat=True)),
        },
    )
