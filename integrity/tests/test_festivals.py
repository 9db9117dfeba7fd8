from datetime import date, timedelta

import pytest

from integrity.festivals import (
    FESTIVAL_HOLIDAY_NAMES,
    holiday_period,
    is_working_day,
    send_day,
)

# The last working day before each holiday period, from the State Council's notices.
EXPECTED = {
    (2025, "new_year"): date(2024, 12, 31),
    (2025, "spring"): date(2025, 1, 27),
    (2025, "qingming"): date(2025, 4, 3),
    (2025, "labour"): date(2025, 4, 30),
    (2025, "dragon_boat"): date(2025, 5, 30),
    (2025, "mid_autumn"): date(2025, 9, 30),  # 中秋 falls inside the 国庆 holiday
    (2025, "national"): date(2025, 9, 30),
    (2026, "new_year"): date(2025, 12, 31),
    (2026, "spring"): date(2026, 2, 14),  # a Saturday, a make-up working day
    (2026, "qingming"): date(2026, 4, 3),
    (2026, "labour"): date(2026, 4, 30),
    (2026, "dragon_boat"): date(2026, 6, 18),
    (2026, "mid_autumn"): date(2026, 9, 24),
    (2026, "national"): date(2026, 9, 30),
}


@pytest.mark.parametrize(("year", "festival"), sorted(EXPECTED))
def test_send_day_is_last_working_day_before_holiday(year, festival):
    assert send_day(festival, year) == EXPECTED[(year, festival)]


def test_spring_festival_2026_period_and_make_up_saturday():
    period = holiday_period("spring", 2026)
    assert (period.start, period.end) == (date(2026, 2, 15), date(2026, 2, 23))
    assert send_day("spring", 2026).weekday() == 5  # Saturday
    assert is_working_day(date(2026, 2, 14))


def test_national_day_2026():
    assert send_day("national", 2026) == date(2026, 9, 30)
    assert holiday_period("national", 2026).end == date(2026, 10, 7)


@pytest.mark.parametrize("festival", sorted(FESTIVAL_HOLIDAY_NAMES))
def test_send_day_2027_is_a_working_day_right_before_the_holiday(festival):
    period = holiday_period(festival, 2027)
    day = send_day(festival, 2027)
    assert is_working_day(day)
    assert day < period.start <= period.festival_day <= period.end
    gap = day + timedelta(days=1)
    while gap < period.start:  # nothing but rest days between send day and holiday
        assert not is_working_day(gap)
        gap += timedelta(days=1)


def test_offset_moves_back_by_working_days():
    # 2026-02-14 (Sat, make-up day) → 2026-02-13 (Fri) → 2026-02-12 (Thu)
    assert send_day("spring", 2026, offset=1) == date(2026, 2, 13)
    assert send_day("spring", 2026, offset=2) == date(2026, 2, 12)
    # 2026-04-03 (Fri) minus one working day skips the weekend back to Thursday
    assert send_day("qingming", 2026, offset=1) == date(2026, 4, 2)
