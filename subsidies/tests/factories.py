from datetime import date
from decimal import Decimal

import factory

from subsidies.models import Entitlement, SubsidyRate, SubsidyType, Tier, entitlement_sort_key


class SubsidyRateFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SubsidyRate

    type = SubsidyType.LIVING
    tier = Tier.NONE
    monthly_amount = Decimal("300.00")
    effective_from = date(2025, 1, 1)


class EntitlementFactory(factory.django.DjangoModelFactory):
    """An active entitlement; pass ``person=``."""

    class Meta:
        model = Entitlement

    type = SubsidyType.LIVING
    tier = Tier.NONE
    start_month = date(2025, 1, 1)
    sort_key = factory.LazyAttribute(
        lambda o: entitlement_sort_key(town_code=o.person.town.code, name=o.person.name)
    )


def demo_rates() -> list[SubsidyRate]:
    """生活补贴 300, 护理补贴 一级 300 / 二级 200, all from 2025-01."""
    return [
        SubsidyRateFactory(type=SubsidyType.LIVING, tier=Tier.NONE, monthly_amount=Decimal(300)),
        SubsidyRateFactory(type=SubsidyType.CARE, tier=Tier.LEVEL1, monthly_amount=Decimal(300)),
        SubsidyRateFactory(type=SubsidyType.CARE, tier=Tier.LEVEL2, monthly_amount=Decimal(200)),
    ]


PDF_BYTES = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG_BYTES = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


def exported(month, reviewer):
    """The batch of ``month``, generated, confirmed and exported to the bank."""
    from subsidies.services import (
        payment_batch_confirm,
        payment_batch_generate,
        payment_batch_mark_exported,
    )

    batch = payment_batch_generate(month=month)
    payment_batch_confirm(batch=batch, by=reviewer)
    return payment_batch_mark_exported(batch=batch, by=reviewer)
