"""When panels meet: weekly on their weekday, with bank holidays in England and Wales skipped or
moved per panel (from the `holidays` package: never a network call)."""

from __future__ import annotations

import datetime
from functools import cache

import holidays

from .models import BankHolidayRule

WEEKS_AHEAD = 8


@cache
def _bank_holidays(year: int) -> frozenset[datetime.date]:
    # England and Wales share their bank holidays; the package files them under subdivision ENG.
    return frozenset(holidays.country_holidays("GB", subdiv="ENG", years=year))


def is_bank_holiday(day: datetime.date) -> bool:
    return day in _bank_holidays(day.year)


def is_working_day(day: datetime.date) -> bool:
    return day.weekday() < 5 and not is_bank_holiday(day)  # noqa: PLR2004


def _step_to_working_day(day: datetime.date, step: int) -> datetime.date:
    while not is_working_day(day):
        day += datetime.timedelta(days=step)
    return day


def usual_dates(weekday: int, start: datetime.date, weeks: int) -> list[datetime.date]:
    """The panel's weekday in each of the `weeks` weeks from `start` (inclusive)."""
    first = start + datetime.timedelta(days=(weekday - start.weekday()) % 7)
    return [first + datetime.timedelta(weeks=n) for n in range(weeks)]


def meeting_date(usual: datetime.date, rule: str) -> datetime.date | None:
    """Where a meeting actually falls: its usual date, or None (skipped), or moved off a bank
    holiday to the nearest working day in the direction the panel chose."""
    if not is_bank_holiday(usual):
        return usual
    if rule == BankHolidayRule.SKIP:
        return None
    step = 1 if rule == BankHolidayRule.NEXT_WORKING_DAY else -1
    return _step_to_working_day(usual + datetime.timedelta(days=step), step)
