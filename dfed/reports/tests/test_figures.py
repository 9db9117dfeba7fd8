from datetime import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

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


def test_an_import_error_in_a_report_source_fails_loudly(monkeypatch):
    """A domain selector that cannot be imported breaks the summary; it is never turned into a
    quiet "not available" group."""
    import importlib
    import sys

    for name in [m for m in sys.modules if m.startswith("dfed.reports.figures")]:
        monkeypatch.delitem(sys.modules, name)
    monkeypatch.setitem(sys.modules, "homes.selectors", None)  # importing it raises ImportError
    with pytest.raises(ImportError, match="homes.selectors"):
        importlib.import_module("dfed.reports.figures")


def test_an_import_error_in_a_widget_module_fails_loudly(monkeypatch):
    import importlib
    import sys

    for name in [m for m in sys.modules if m.startswith("dfed.reports.widgets")]:
        monkeypatch.delitem(sys.modules, name)
    monkeypatch.setitem(sys.modules, "subsidies.selectors", None)
    with pytest.raises(ImportError, match="subsidies.selectors"):
        importlib.import_module("dfed.reports.widgets")


def test_a_source_that_raises_fails_the_summary(monkeypatch):
    from dfed.reports import figures as figures_module

    def broken(year):
        raise ImportError("No module named 'homes.selectors'")

    monkeypatch.setattr(figures_module, "SOURCES", (broken, *figures_module.SOURCES))
    with pytest.raises(ImportError):
        annual_figures(2026)
