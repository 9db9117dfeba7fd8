"""The retrofit item catalogue and the towns' yearly budgets (admin and demo)."""

from decimal import Decimal

from django.db import transaction

from dfed.core.history import save_with_history
from dfed.people.models import Area

from ..models import (
    RetrofitBudget,
    RetrofitItem,
)

# --- Catalogue and budgets (admin and demo) -------------------------------------------------


@transaction.atomic
def retrofit_budget_set(*, town: Area, year: int, amount: Decimal, by=None) -> RetrofitBudget:
    budget = RetrofitBudget.objects.filter(town=town, year=year).first() or RetrofitBudget(
        town=town, year=year
    )
    budget.amount = amount
    budget.full_clean()
    save_with_history(budget, by=by)
    return budget


def retrofit_item_copy_year(*, source: int, target: int) -> int:
    """Copy a year's catalogue to another year (items already there are kept); returns count."""
    have = set(RetrofitItem.objects.filter(year=target).values_list("name", flat=True))
    new = [
        RetrofitItem(
            year=target,
            name=i.name,
            category=i.category,
            unit=i.unit,
            price_cap=i.price_cap,
            note=i.note,
        )
        for i in RetrofitItem.objects.filter(year=source, active=True)
        if i.name not in have
    ]
    RetrofitItem.objects.bulk_create(new)
    return len(new)
