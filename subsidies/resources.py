"""django-import-export resource of the subsidy rates for the Django admin: 补贴类型 and 档次
by their labels (or the short names towns use), months and sums read as the engine reads them;
a rate is identified by type, tier and first month."""

from import_export import fields

from dfed.core.importing.resources import (
    AmountWidget,
    ChoiceWidget,
    MonthWidget,
    NormalisedResource,
    text_field,
)

from .models import SubsidyRate
from .models.choices import SubsidyType, Tier

TYPE_ALIASES = {
    "生活补贴": SubsidyType.LIVING,
    "困难残疾人生活补贴": SubsidyType.LIVING,
    "护理补贴": SubsidyType.CARE,
    "重度残疾人护理补贴": SubsidyType.CARE,
}


class SubsidyRateResource(NormalisedResource):
    type = fields.Field(
        "type", "补贴类型", widget=ChoiceWidget(SubsidyType.choices, TYPE_ALIASES, label="补贴类型")
    )
    tier = fields.Field("tier", "档次", widget=ChoiceWidget(Tier.choices, label="档次"))
    monthly_amount = fields.Field("monthly_amount", "月标准（元）", widget=AmountWidget())
    effective_from = fields.Field("effective_from", "起始月份", widget=MonthWidget())
    effective_to = fields.Field("effective_to", "截止月份", widget=MonthWidget())
    note = text_field("note", "依据/备注")

    class Meta(NormalisedResource.Meta):
        model = SubsidyRate
        import_id_fields = ["type", "tier", "effective_from"]
        fields = ["type", "tier", "monthly_amount", "effective_from", "effective_to", "note"]
        export_order = fields
