"""Subsidy rates: a monthly amount per type and tier over a range of months."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from dfed.core.models import TimeStamped, actor_field

from .choices import SubsidyType, Tier, _check_month, _check_tier, subsidy_type_short


class SubsidyRate(TimeStamped):
    """A monthly amount for one type and tier over a range of months (to month open-ended)."""

    type = models.CharField(_("补贴类型"), max_length=10, choices=SubsidyType.choices)
    tier = models.CharField(_("档次"), max_length=10, choices=Tier.choices, default=Tier.NONE)
    monthly_amount = models.DecimalField(_("月标准（元）"), max_digits=10, decimal_places=2)
    effective_from = models.DateField(_("起始月份"))
    effective_to = models.DateField(_("截止月份"), null=True, blank=True)
    note = models.CharField(_("依据/备注"), max_length=200, blank=True)
    created_by = actor_field(_("录入人"))
    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        verbose_name = _("补贴标准")
        verbose_name_plural = _("补贴标准")
        ordering = ["type", "tier", "-effective_from"]
        constraints = [
            models.CheckConstraint(
                condition=Q(monthly_amount__gt=0), name="subsidyrate_amount_positive"
            ),
            models.CheckConstraint(
                condition=Q(effective_to__isnull=True)
                | Q(effective_to__gte=models.F("effective_from")),
                name="subsidyrate_range_ordered",
            ),
        ]
        # On PostgreSQL migration 0002 adds the exclusion constraint
        # ``subsidyrate_no_overlap`` (btree_gist): ranges of one type+tier never overlap.
        indexes = [models.Index(fields=["type", "tier", "effective_from"])]

    def __str__(self) -> str:
        return f"{subsidy_type_short(self.type)} {self.get_tier_display()} {self.monthly_amount}"

    def covers(self, month) -> bool:
        return self.effective_from <= month and (
            self.effective_to is None or month <= self.effective_to
        )

    def overlapping(self) -> models.QuerySet:
        """Other rates of the same type and tier whose range meets this one."""
        queryset = SubsidyRate.objects.filter(type=self.type, tier=self.tier).exclude(pk=self.pk)
        if self.effective_to is not None:
            queryset = queryset.filter(effective_from__lte=self.effective_to)
        return queryset.filter(
            Q(effective_to__isnull=True) | Q(effective_to__gte=self.effective_from)
        )

    def clean(self) -> None:
        errors: dict[str, list] = {}
        _check_month(self.effective_from, "effective_from", errors)
        _check_month(self.effective_to, "effective_to", errors)
        _check_tier(self.type, self.tier, errors)
        if self.tier == Tier.LEVEL3 and not getattr(
            settings, "SUBSIDY_CARE_INCLUDES_LEVEL3_MENTAL", False
        ):
            errors.setdefault("tier", []).append(
                _("未启用三级智力/精神残疾护理补贴，不能设置三级标准")
            )
        if self.monthly_amount is not None and self.monthly_amount <= 0:
            errors.setdefault("monthly_amount", []).append(_("月标准必须大于0"))
        if self.effective_from and self.effective_to and self.effective_to < self.effective_from:
            errors.setdefault("effective_to", []).append(_("截止月份不能早于起始月份"))
        if not errors and self.effective_from:
            clash = self.overlapping().first()
            if clash is not None:
                errors.setdefault("effective_from", []).append(
                    _("与已有标准（%(from)s 至 %(to)s，%(amount)s 元）时间重叠")
                    % {
                        "from": f"{clash.effective_from:%Y-%m}",
                        "to": f"{clash.effective_to:%Y-%m}" if clash.effective_to else _("长期"),
                        "amount": clash.monthly_amount,
                    }
                )
        if errors:
            raise ValidationError(errors)
