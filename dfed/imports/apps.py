from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ImportsConfig(AppConfig):
    name = "dfed.imports"
    label = "imports"
    verbose_name = _("数据导入")
    default_auto_field = "django.db.models.BigAutoField"
