from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "dfed.reports"
    label = "reports"
    verbose_name = _("统计报表")

    def ready(self) -> None:
        from subsidies.signals import payment_batch_confirmed

        from .summaries import on_payment_batch_confirmed

        payment_batch_confirmed.connect(
            on_payment_batch_confirmed, dispatch_uid="reports-payment-summary"
        )
