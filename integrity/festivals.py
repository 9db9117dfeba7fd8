"""Festival dates, holiday periods and working days for mainland China, from ``holidays``.

Nothing here is hard-coded: the lunar festivals, the official holiday periods and the make-up
working days (调休, weekends that are working days) all come from ``holidays.China``.

A year's official arrangement (the State Council's 放假安排, published each November for the next
year) is "in the data" when ``holidays.China`` carries that year's special holidays and make-up
days; before that, the periods of that year are an estimate from the statutory days alone.
Upgrading the pinned ``holidays`` package brings a new arrangement (see the README).
"""

from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache

import holidays

# festival value -> the holiday's name in holidays.China (language en_US)
FESTIVAL_HOLIDAY_NAMES = {
    "new_year": "New Year's Day",
    "spring": "Chinese New Year (Spring Festival)",
    "qingming": "Tomb-Sweeping Day",
    "labour": "Labor Day",
    "dragon_boat": "Dragon Boat Festival",
    "mid_autumn": "Mid-Autumn Festival",
    "national": "National Day",
}


@lru_cache(maxsize=16)
def china_calendar(year: int):
    """Holidays of ``year`` and its neighbours (a holiday period may cross the year end)."""
    return holidays.China(years=(year - 1, year, year + 1), language="en_US")


def calendar_reset() -> None:
    """Forget the cached calendars (after the ``holidays`` data changed in this process)."""
    china_calendar.cache_clear()
    arrangement_published.cache_clear()


@lru_cache(maxsize=16)
def arrangement_published(year: int) -> bool:
    """Whether ``holidays.China`` holds the State Council's arrangement (调休) for ``year``."""
    calendar = holidays.China(years=year)
    return year in calendar.special_public_holidays or any(
        day.year == year for day in calendar.weekend_workdays
    )


def festival_day(festival: str, year: int) -> date:
    """The first day named after the festival in ``year`` (e.g. 春节 = 正月初一)."""
    name = FESTIVAL_HOLIDAY_NAMES[festival]
    calendar = china_calendar(year)
    # A day may carry two names (2028-10-03: 国庆 and 中秋), hence get_list.
    days = sorted(d for d in calendar if d.year == year and name in calendar.get_list(d))
    if not days:
        raise LookupError(f"holidays.China has no {name} in {year}")
    return days[0]


def is_working_day(day: date) -> bool:
    return china_calendar(day.year).is_working_day(day)


@dataclass(frozen=True)
class HolidayPeriod:
    festival_day: date
    start: date
    end: date


def holiday_period(festival: str, year: int) -> HolidayPeriod:
    """The run of non-working days that contains the festival."""
    day = festival_day(festival, year)
    start = end = day
    while not is_working_day(start - timedelta(days=1)):
        start -= timedelta(days=1)
    while not is_working_day(end + timedelta(days=1)):
        end += timedelta(days=1)
    return HolidayPeriod(festival_day=day, start=start, end=end)


def send_day(festival: str, year: int, offset: int = 0) -> date:
    """The last working day before the festival's holiday period, ``offset`` working days
    earlier when offset > 0."""
    day = holiday_period(festival, year).start - timedelta(days=1)
    while not is_working_day(day):
        day -= timedelta(days=1)
    for _ in range(max(offset, 0)):
        day -= timedelta(days=1)
        while not is_working_day(day):
            day -= timedelta(days=1)
    return day


@dataclass(frozen=True)
class CombinedPeriod:
    """One holiday period of a year and the festivals whose periods overlap or touch in it.

    ``festivals`` are festival values in the order of ``FESTIVAL_HOLIDAY_NAMES`` (元旦 … 国庆),
    so 中秋 inside 国庆 reads 中秋、国庆; ``festivals[0]`` is the period's key.
    """

    festivals: tuple[str, ...]
    start: date
    end: date


def holiday_periods(year: int) -> list[CombinedPeriod]:
    """The holiday periods of ``year`` in date order: festivals whose periods overlap or touch
    (the next starts at most one day after the previous ends) make one period."""
    order = list(FESTIVAL_HOLIDAY_NAMES)
    spans = sorted((holiday_period(f, year).start, holiday_period(f, year).end, f) for f in order)
    groups: list[list] = []
    for start, end, festival in spans:
        if groups and start <= groups[-1][1] + timedelta(days=1):
            groups[-1][1] = max(groups[-1][1], end)
            groups[-1][2].append(festival)
        else:
            groups.append([start, end, [festival]])
    return [
        CombinedPeriod(festivals=tuple(sorted(fs, key=order.index)), start=start, end=end)
        for start, end, fs in groups
    ]


def working_day_before(day: date, offset: int = 0) -> date:
    """The last working day before ``day`` (make-up working days count), ``offset`` working
    days earlier when offset > 0."""
    day -= timedelta(days=1)
    while not is_working_day(day):
        day -= timedelta(days=1)
    for _ in range(max(offset, 0)):
        day -= timedelta(days=1)
        while not is_working_day(day):
            day -= timedelta(days=1)
    return day
