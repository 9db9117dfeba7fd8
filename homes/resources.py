"""django-import-export resource of the homes (残疾人之家) for the Django admin: a home is
identified by its community (村（社区） within 镇（街道）) and name; dates, areas, operator
and status read as the engine reads them."""

from import_export import fields, widgets

from dfed.core.importing import normalizers as n
from dfed.core.importing.resources import (
    AmountWidget,
    ChoiceWidget,
    DayWidget,
    NormalisedResource,
    text_field,
)
from dfed.people.models import Area

from .models import Home

TOWN_COLUMN = "镇（街道）"


class CommunityWidget(widgets.ForeignKeyWidget):
    """The community by its name under the row's town (镇（街道）)."""

    def clean(self, value, row=None, **kwargs):
        name = n.compact(value)
        town = n.compact((row or {}).get(TOWN_COLUMN))
        if not name:
            return None
        found = Area.objects.filter(level=Area.Level.COMMUNITY, name=name)
        if town:
            found = found.filter(parent__name=town)
        if found.count() != 1:
            raise ValueError(f"“{name}”不是{town or '任何镇（街道）'}下唯一的村（社区）")
        return found.get()

    def render(self, value, obj=None, **kwargs):
        return value.name if value else ""


class TownColumn(widgets.Widget):
    def render(self, value, obj=None, **kwargs):
        return value.name if value else ""


class HomeResource(NormalisedResource):
    town = fields.Field("town", TOWN_COLUMN, widget=TownColumn(), readonly=True)
    community = fields.Field("community", "村（社区）", widget=CommunityWidget(Area))
    name = text_field("name", "名称")
    address = text_field("address", "地址")
    floor_area = fields.Field("floor_area", "建筑面积（㎡）", widget=AmountWidget())
    opened_on = fields.Field("opened_on", "开办日期", widget=DayWidget())
    operator = fields.Field(
        "operator", "运营方式", widget=ChoiceWidget(Home.Operator.choices, label="运营方式")
    )
    capacity = fields.Field("capacity", "可容纳人数", widget=widgets.IntegerWidget())
    contact_name = text_field("contact_name", "联系人")
    contact_phone = text_field("contact_phone", "联系电话")
    status = fields.Field("status", "状态", widget=ChoiceWidget(Home.Status.choices, label="状态"))
    note = text_field("note", "备注")

    class Meta(NormalisedResource.Meta):
        model = Home
        import_id_fields = ["community", "name"]
        fields = [
            "town", "community", "name", "address", "floor_area", "opened_on", "operator",
            "capacity", "contact_name", "contact_phone", "status", "note",
        ]  # fmt: skip
        export_order = fields
