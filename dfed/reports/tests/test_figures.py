from datetime import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

from dfed.people.models import Person
from dfed.reports.figures import annual_figures, to_wan

SH = ZoneInfo("Asia/Shanghai")


def test_to_wan_rounds_half_up_to_one_decimal():
    assert to_wan(Decimal("123456.78")) == Decimal("12.3")
    assert to_wan(Decimal("125000.00")) == Decimal("12.5")
    assert to_wan(Decimal("124999.99")) == Decimal("12.5")
    assert to_wan(Decimal("124900")) == Decimal("12.5")
    assert to_wan(Decimal("124499")) == Decimal("12.4")
    assert to_wan(None) == Decimal("0.0")


def test_registry_figures_count_the_register_at_year_end(registry):
    people = Person.objects.order_by("pk")
    # Registered in 2024: the first three; one of the others left in 2025 (counted at end 2024).
    Person.objects.filter(pk__in=[p.pk for p in people[:3]]).update(
        created_at=datetime(2024, 6, 1, tzinfo=SH)
    )
    gone = Person.objects.get(status="deceased")
    Person.objects.filter(pk=gone.pk).update(created_at=datetime(2024, 2, 1, tzinfo=SH))
    group = annual_figures(2024)["registry"]
    assert group.available
    assert group.value("people") == 4  # three + the one who died in 2025
    assert group.value("severe") == 4  # levels 1, 2, 2 and the deceased level 1
    assert group.value("new") == 4


def test_a_source_not_landed_is_shown_as_not_available(client, official, monkeypatch):
    from django.urls import reverse

    from dfed.reports import figures as figures_module

    sources = [
        ("not_landed_yet", "homes_figures", "homes", "残疾人之家") if s[2] == "homes" else s
        for s in figures_module.SOURCES
    ]
    monkeypatch.setattr(figures_module, "SOURCES", tuple(sources))
    group = annual_figures(2026)["homes"]
    assert not group.available
    assert group.figures == []
    client.force_login(official)
    html = client.get(reverse("reports:annual", args=[2026])).content.decode()
    assert 'data-unavailable="homes"' in html
    assert "该模块尚未上线，本项数据暂未纳入平台统计" in html
