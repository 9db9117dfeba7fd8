from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SubsidiesConfig(AppConfig):
    name = "subsidies"
    label = "subsidies"
    verbose_name = _("残疾人补贴")

    def ready(self) -> None:
        from dfed.accounts.roles import role_permissions_register

        from .roles import ROLE_PERMISSIONS

        role_permissions_register(self.label, ROLE_PERMISSIONS)
        from dfed.people.extensions import demo_step_register, person_panel_register
        from dfed.people.signals import (
            external_list_imported,
            people_changed,
            person_left_registry,
        )

        from . import demo, panels
        from .services import people_changed_receiver, person_left_registry_receiver
        from .tasks import external_list_imported_receiver

        person_left_registry.connect(
            person_left_registry_receiver, dispatch_uid="subsidies_person_left_registry"
        )
        people_changed.connect(people_changed_receiver, dispatch_uid="subsidies_people_changed")
        external_list_imported.connect(
            external_list_imported_receiver, dispatch_uid="subsidies_external_list_imported"
        )

        from dfed.imports.registry import Importer, importer_register

        from .bank_return import RETURN_IMPORTER, bank_return_import
        from .importing import recipient_import
        from .importing.pages import PaidThroughForm, recipient_template
        from .importing.spec import RECIPIENT_SPEC

        importer_register(
            Importer(
                key="recipients",
                label=_("补贴对象花名册"),
                run=recipient_import,
                pages=True,
                permission="subsidies.add_entitlement",
                spec=RECIPIENT_SPEC,
                template=recipient_template,
                options_form=PaidThroughForm,
                description=_(
                    "各镇（街道）报送的困难残疾人生活补贴和重度残疾人护理补贴发放花名册。"
                ),
            )
        )
        importer_register(
            Importer(key=RETURN_IMPORTER, label=_("银行回盘文件"), run=bank_return_import)
        )

        demo_step_register(app=self.label, load=demo.load)
        person_panel_register(
            app=self.label,
            order=10,
            title=_("残疾人补贴"),
            template="subsidies/person_panel.html",
            permission=panels.PERMISSION,
            context=panels.person_panel_context,
        )

        from dfed.notifications.purposes import sms_purpose_register

        sms_purpose_register("subsidy_notice", _("补贴办理进度通知"))
        sms_purpose_register("family_code", _("家属查询验证码"))
        sms_purpose_register("subsidy_invitation", _("补贴申请邀请"))
