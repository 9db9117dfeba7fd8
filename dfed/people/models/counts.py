"""Derived figures of the registry."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from .registry import Area, Person


class PersonCount(models.Model):
    """How many people a town has per category, level and status: the registry's figures read
    this small table instead of grouping the whole registry (1.5M people in a province) on every
    dashboard view. Derived data: rebuilt per town whenever a person is saved or deleted
    (``dfed.people.summaries``), after every bulk write, and in full every night."""

    town = models.ForeignKey(
        Area, verbose_name=_("镇街道"), on_delete=models.CASCADE, related_name="+"
    )
    category = models.PositiveSmallIntegerField(_("残疾类别"), choices=Person.Category.choices)
    level = models.PositiveSmallIntegerField(_("残疾等级"), choices=Person.Level.choices)
    status = models.CharField(_("状态"), max_length=10, choices=Person.Status.choices)
    people = models.PositiveIntegerField(_("人数"))

    class Meta:
        verbose_name = _("名册人数汇总")
        verbose_name_plural = _("名册人数汇总")
        constraints = [
            models.UniqueConstraint(
                fields=["town", "category", "level", "status"], name="personcount_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.town_id}/{self.category}/{self.level}/{self.status}: {self.people}"


class PersonYearCount(models.Model):
    """The registry as of the end of a year: people on the register on 31 December (registered
    before the next year and still active, or left after it), how many of them are severe
    (levels 1–2), and how many of them were registered during the year. Derived data, rebuilt
    every night (``dfed.people.summaries.person_year_counts_refresh``) so the annual summary does
    not scan the registry; read through ``dfed.people.selectors.person_year_figures``."""

    year = models.PositiveSmallIntegerField(_("年度"), unique=True)
    people = models.PositiveIntegerField(_("年末在册人数"))
    severe = models.PositiveIntegerField(_("其中重度"))
    new = models.PositiveIntegerField(_("本年新增登记"))
    refreshed_at = models.DateTimeField(_("刷新时间"))

    class Meta:
        verbose_name = _("年度名册人数")
        verbose_name_plural = _("年度名册人数")

    def __str__(self) -> str:
        return f"{self.year}: {self.people} / {self.severe} / {self.new}"
