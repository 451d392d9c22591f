"""When panels meet: weekly on their weekday, with bank holidays in England and Wales skipped or
moved per panel (from the `holidays` package: never a network call)."""

from __future__ import annotations

import datetime

from cases.working_days import is_bank_holiday, is_working_day

from .models import BankHolidayRule

WEEKS_AHEAD = 8


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
