from decimal import Decimal

import pytest

from homes.stars import star_compute


def sheet(template, *points):
    items = list(template.items.order_by("order"))
    return {
        item.pk: (None if p is None else Decimal(str(p)))
        for item, p in zip(items, points, strict=False)
    }


@pytest.mark.parametrize(
    ("points", "level"),
    [
        ((20, 20, 20, 20, 20), 5),
        ((20, 18, 18, 18, 16), 5),  # exactly 90
        ((20, 18, 18, 18, 15.5), 4),  # 89.5
        ((20, 16, 16, 16, 12), 4),  # exactly 80
        ((20, 14, 14, 14, 8), 3),  # 70
        ((20, 10, 10, 10, 10), 2),  # 60
        ((20, 10, 10, 10, 9), 1),  # 59
    ],
)
def test_star_compute_thresholds(template, points, level):
    result = star_compute(template=template, scores=sheet(template, *points))
    assert result.level == level
    assert result.total == sum(Decimal(str(p)) for p in points)
    assert not result.failed_items


def test_star_compute_failed_fire_safety_caps_at_two_stars(template):
    result = star_compute(template=template, scores=sheet(template, 19, 20, 20, 20, 20))
    assert result.total == Decimal("99")
    assert result.by_total == 5
    assert result.level == 2
    assert [i.title for i in result.failed_items] == ["消防验收"]
    why = " ".join(result.reasons)
    assert "达到五星标准" in why
    assert "必备项“消防验收”未达标" in why
    assert "降为二星" in why


def test_star_compute_pass_points_below_maximum(template):
    passed = star_compute(template=template, scores=sheet(template, 20, 20, 10, 20, 20))
    assert passed.level == 5
    failed = star_compute(template=template, scores=sheet(template, 20, 20, 9.5, 20, 20))
    assert failed.by_total == 4
    assert failed.level == 3


def test_star_compute_cap_does_not_raise_a_low_level(template):
    result = star_compute(template=template, scores=sheet(template, 0, 15, 15, 15, 10))
    assert result.by_total == 1
    assert result.level == 1
    assert "降为" not in " ".join(result.reasons)


def test_star_compute_thresholds_are_data(template):
    scores = sheet(template, 20, 18, 18, 18, 16)
    template.five_star_min = Decimal("95")
    assert star_compute(template=template, scores=scores).level == 4


def test_star_compute_unscored_items_count_as_zero(template):
    result = star_compute(template=template, scores=sheet(template, 20, 20, 20, None, None))
    assert result.total == Decimal("60")
    assert result.unscored == 2
    assert "2 项未评分" in " ".join(result.reasons)
