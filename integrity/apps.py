from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IntegrityConfig(AppConfig):
    name = "integrity"
    label = "integrity"
    verbose_name = _("党风廉政建设")

    def ready(self) -> None:
        from dfed.accounts.roles import role_permissions_register

        from .roles import ROLE_PERMISSIONS

        role_permissions_register(self.label, ROLE_PERMISSIONS)
        from dfed.notifications.purposes import sms_purpose_register
        from dfed.people.extensions import demo_step_register

        from . import demo

        sms_purpose_register("integrity_reminder", _("节日廉洁提醒"))
        sms_purpose_register("integrity_reminder_test", _("节日廉洁提醒（测试）"))
        demo_step_register(app=self.label, load=demo.load)

        from dfed.imports.registry import Importer, importer_register

        from .importing import KEY, LABEL, SPEC, staff_import, staff_template

        importer_register(
            Importer(
                key=KEY,
                label=LABEL,
                run=staff_import,
                pages=True,
                permission="integrity.add_staff",
                spec=SPEC,
                template=staff_template,
                description=_("区残联工作人员：姓名、科室、职务、手机号（节日廉洁提醒发到这里）。"),
            )
        )
