"""django-import-export resource of the areas (区→镇街道→社区村) for the Django admin: codes
Excel stored as numbers read back as digits, cells normalised as the engine does."""

from import_export import fields, widgets

from dfed.core.importing.resources import ChoiceWidget, CodeWidget, NormalisedResource, text_field

from .models import Area


class AreaCodeWidget(widgets.ForeignKeyWidget):
    """The parent area by its 12-digit code (a number in Excel)."""

    def clean(self, value, row=None, **kwargs):
        code = CodeWidget().clean(value)
        if not code:
            return None
        try:
            return self.model.objects.get(code=code)
        except self.model.DoesNotExist:
            raise ValueError(f"上级区划不存在：{code}") from None


class AreaResource(NormalisedResource):
    code = fields.Field("code", "行政区划代码", widget=CodeWidget())
    name = text_field("name", "名称")
    level = fields.Field("level", "层级", widget=ChoiceWidget(Area.Level.choices, label="层级"))
    parent = fields.Field("parent", "上级区划代码", widget=AreaCodeWidget(Area, field="code"))

    class Meta(NormalisedResource.Meta):
        model = Area
        import_id_fields = ["code"]
        fields = ["code", "name", "level", "parent"]
        export_order = ["code", "name", "level", "parent"]
