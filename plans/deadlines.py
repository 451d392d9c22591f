"""The plan's and the letters' clocks, as pure functions of dates (shaped like cases.deadlines:
no network, no hidden "today")."""

from __future__ import annotations

import calendar
import datetime

from cases.deadlines import FAMILY_COMMENT_DAYS, earliest_final_plan_date
from cases.working_days import add_working_days

#: s39 and the CoP: a school or college consulted on being named has 15 days to respond.
CONSULTATION_DAYS = 15
#: Our standard (decision 0101): a decision letter goes out within 5 working days of the decision.
LETTER_WORKING_DAYS = 5
#: Reg 33 / Tribunal rules: an appeal may be made within 2 months of the decision letter.
APPEAL_MONTHS = 2


def comments_due(served_on: datetime.date) -> datetime.date:
    """s38, reg 13(1): at least 15 days, the day the draft is served counting as day 1, so a draft
    served on day 125 takes comments up to and including day 139."""
    return served_on + datetime.timedelta(days=FAMILY_COMMENT_DAYS - 1)


def final_plan_possible_from(served_on: datetime.date) -> datetime.date:
    """The day after the family's 15 days end (day 140 for a draft served on day 125)."""
    return earliest_final_plan_date(served_on)


def consultation_due(sent_on: datetime.date) -> datetime.date:
    """s39 (CoP): 15 days from the day the consultation was sent."""
    return sent_on + datetime.timedelta(days=CONSULTATION_DAYS)


def letter_due(decided_on: datetime.date) -> datetime.date:
    """Decision 0101: 5 working days after the decision (weekends and England and Wales bank
    holidays not counted: cases.working_days, the calendar the dispute clock uses)."""
    return add_working_days(decided_on, LETTER_WORKING_DAYS)


def add_months(day: datetime.date, months: int) -> datetime.date:
    month = day.month - 1 + months
    year = day.year + month // 12
    month = month % 12 + 1
    return datetime.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def appeal_deadline(letter_on: datetime.date) -> datetime.date:
    """Two months from the date of the decision letter (the later date after mediation is the
    family's to claim; the letter states the plain two months)."""
    return add_months(letter_on, APPEAL_MONTHS)
