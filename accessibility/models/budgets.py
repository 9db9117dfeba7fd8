"""A town's yearly retrofit budget (元), against which projects are approved."""

from decimal import Decimal

from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from dfed.core.models import TimeStamped
from dfed.people.models import Area

from .retrofits import MONEY, YEAR_VALIDATORS


class RetrofitBudget(TimeStamped):
    """A town's retrofit budget for one year."""

    town = models.ForeignKey(
        Area,
        verbose_name=_("镇街道"),
        on_delete=models.PROTECT,
        related_name="retrofit_budgets",
        limit_choices_to={"level": Area.Level.TOWN},
    )
    year = models.PositiveSmallIntegerField(_("年度"), validators=YEAR_VALIDATORS)
    amount = models.DecimalField(
        _("预算金额（元）"), **MONEY, validators=[MinValueValidator(Decimal("0"))]
    )
    note = models.CharField(_("说明"), max_length=200, blank=True)
    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        verbose_name = _("改造预算")
        verbose_name_plural = _("改造预算")
        ordering = ["-year", "town__code"]
        constraints = [
            models.UniqueConstraint(fields=["town", "year"], name="retrofit_budget_town_year")
        ]

    def __str__(self) -> str:
        return f"{self.town} {self.year}年 {self.amount}元"
