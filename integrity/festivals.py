"""Festival dates, holiday periods and working days for mainland China, from ``holidays``.

Nothing here is hard-coded: the lunar festivals, the official holiday periods and the make-up
working days (调休, weekends that are working days) all come from ``holidays.China``.
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


def festival_day(festival: str, year: int) -> date:
    """The first day named after the festival in ``year`` (e.g. 春节 = 正月初一)."""
    name = FESTIVAL_HOLIDAY_NAMES[festival]
    days = sorted(d for d, n in china_calendar(year).items() if d.year == year and n == name)
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
