"""Reads for subsidies; every user-facing read is scoped by the person's town."""

from datetime import date

from django.db.models import Q

from .models import SubsidyRate


def rate_for(*, type: str, tier: str, month: date) -> SubsidyRate | None:  # noqa: A002
    """The rate in force for ``month`` (the one whose range covers it), or ``None``."""
    return (
        SubsidyRate.objects.filter(type=type, tier=tier, effective_from__lte=month)
        .filter(Q(effective_to__isnull=True) | Q(effective_to__gte=month))
        .order_by("-effective_from")
        .first()
    )
