"""django-import-export resource of the retrofit item catalogue for the Django admin: an item
is identified by year and name; category by its label, price caps as sums in yuan."""

from import_export import fields, widgets

from dfed.core.importing.resources import AmountWidget, ChoiceWidget, NormalisedResource, text_field

from .models import RetrofitItem

YES_NO = [(True, "是"), (False, "否")]


class RetrofitItemResource(NormalisedResource):
    year = fields.Field("year", "年度", widget=widgets.IntegerWidget())
    name = text_field("name", "项目名称")
    category = fields.Field(
        "category", "类别", widget=ChoiceWidget(RetrofitItem.Category.choices, label="类别")
    )
    unit = text_field("unit", "单位")
    price_cap = fields.Field("price_cap", "单价上限（元）", widget=AmountWidget())
    active = fields.Field(
        "active", "启用", widget=ChoiceWidget(YES_NO, {"启用": True, "停用": False}, label="启用")
    )
    note = text_field("note", "说明")

    class Meta(NormalisedResource.Meta):
        model = RetrofitItem
        import_id_fields = ["year", "name"]
        fields = ["year", "name", "category", "unit", "price_cap", "active", "note"]
        export_order = fields
