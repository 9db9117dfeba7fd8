"""The subsidy summary table: payments of counted batches per 发放月份 × town × type."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class PaymentSummary(models.Model):
    """Subsidy payments of counted batches (``PaymentBatch.COUNTED_STATUSES``) per 发放月份 ×
    town × type.

    A derived table: rebuilt for a month when its batch is confirmed and for every month each
    night (``subsidies.services.payment_summary_refresh``); never edited by hand. Dashboards
    read it (``subsidies.selectors.payment_summary_list``) instead of scanning payments.
    """

    month = models.DateField(_("发放月份"))
    town = models.ForeignKey(
        "people.Area", verbose_name=_("镇街道"), on_delete=models.PROTECT, related_name="+"
    )
    type = models.CharField(_("补贴类型"), max_length=10)
    recipients = models.PositiveIntegerField(_("发放人数"))
    payments = models.PositiveIntegerField(_("笔数"))
    amount = models.DecimalField(_("金额（元）"), max_digits=14, decimal_places=2)
    arrears_amount = models.DecimalField(
        _("其中补发（元）"), max_digits=14, decimal_places=2, default=0
    )
    refreshed_at = models.DateTimeField(_("刷新时间"))

    class Meta:
        verbose_name = _("补贴发放汇总")
        verbose_name_plural = _("补贴发放汇总")
        ordering = ["month", "town_id", "type"]
        constraints = [
            models.UniqueConstraint(
                fields=["month", "town", "type"], name="paymentsummary_one_per_month_town_type"
            )
        ]

    def __str__(self) -> str:
        return f"{self.month:%Y-%m} {self.town_id} {self.type}: {self.recipients} / {self.amount}"


class PaymentYearSummary(models.Model):
    """Payments the bank has paid (status 已发放) of batches whose 发放月份 falls in a year, per
    type, for the whole district: people distinct over the year, payments and amount (元).

    Distinct people over a year cannot be added up from the monthly rows, so this small table
    keeps them: rebuilt for a year whenever one of its months is refreshed (a batch confirmed,
    its results recorded) and for every year each night (``payment_summary_refresh``). The
    annual summary reads it (``subsidies.selectors.subsidies_figures_for_year``).
    """

    year = models.PositiveSmallIntegerField(_("年度"))
    type = models.CharField(_("补贴类型"), max_length=10)
    recipients = models.PositiveIntegerField(_("发放人数"))
    payments = models.PositiveIntegerField(_("笔数"))
    amount = models.DecimalField(_("金额（元）"), max_digits=14, decimal_places=2)
    refreshed_at = models.DateTimeField(_("刷新时间"))

    class Meta:
        verbose_name = _("补贴年度发放汇总")
        verbose_name_plural = _("补贴年度发放汇总")
        ordering = ["year", "type"]
        constraints = [
            models.UniqueConstraint(fields=["year", "type"], name="paymentyearsummary_unique")
        ]

    def __str__(self) -> str:
        return f"{self.year} {self.type}: {self.recipients} / {self.amount}"
