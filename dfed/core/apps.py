from axes.apps import AppConfig as AxesAppConfig
from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "dfed.core"
    label = "core"
    verbose_name = _("公共")


class AxesConfig(AxesAppConfig):
    """django-axes (login lockout) with a translatable name in the admin (it has none)."""

    verbose_name = _("登录锁定")
