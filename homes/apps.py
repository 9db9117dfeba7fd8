from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HomesConfig(AppConfig):
    name = "homes"
    label = "homes"
    verbose_name = _("残疾人之家")

    def ready(self) -> None:
        from dfed.accounts.roles import role_permissions_register

        from .roles import ROLE_PERMISSIONS

        role_permissions_register(self.label, ROLE_PERMISSIONS)
        from dfed.people.extensions import demo_step_register, person_panel_register
        from dfed.people.signals import person_left_registry

        from . import demo, panels
        from .services import on_person_left_registry

        person_left_registry.connect(on_person_left_registry, dispatch_uid="homes-end-memberships")
        demo_step_register(app=self.label, load=demo.load)
        person_panel_register(
            app=self.label,
            order=20,
            title=_("残疾人之家"),
            template="homes/person_panel.html",
            permission=panels.PERMISSION,
            context=panels.person_panel_context,
        )

        from dfed.imports.registry import Importer, importer_register

        from .importing import KEY, LABEL, SPEC, home_members_import, home_members_template

        importer_register(
            Importer(
                key=KEY,
                label=LABEL,
                run=home_members_import,
                pages=True,
                permission="homes.add_membership",
                spec=SPEC,
                template=home_members_template,
                description=_("各残疾人之家的成员：残疾人之家、身份证号（须已登记）、加入日期等。"),
            )
        )
