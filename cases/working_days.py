"""Working days, the one calendar every statutory clock counts in (letters, mediation
certificates, the tribunal response, transfers, panel dates): Monday to Friday except England and
Wales bank holidays (Christmas Day, Boxing Day, Good Friday, Easter Monday and the rest, with the
days in lieu), from the `holidays` package, subdivision ENG: no network call. The start day is
never counted."""

from __future__ import annotations

import datetime
from functools import lru_cache

import holidays

#: England and Wales share their bank holidays; the package files them under subdivision ENG.
BANK_HOLIDAY_SUBDIVISION = "ENG"


@lru_cache(maxsize=64)
def _bank_holidays(year: int) -> frozenset[datetime.date]:
    return frozenset(
        holidays.country_holidays("GB", subdiv=BANK_HOLIDAY_SUBDIVISION, years=year).keys()
    )


def is_bank_holiday(day: datetime.date) -> bool:
    return day in _bank_holidays(day.year)


def is_working_day(day: datetime.date) -> bool:
    """Not a Saturday, a Sunday or an England and Wales bank holiday."""
    return day.weekday() < 5 and not is_bank_holiday(day)  # noqa: PLR2004


def add_working_days(start: datetime.date, working_days: int) -> datetime.date:
    """The `working_days`-th working day after `start` (the start day itself not counted)."""
    day = start
    counted = 0
    while counted < working_days:
        day += datetime.timedelta(days=1)
        if is_working_day(day):
            counted += 1
    return day
