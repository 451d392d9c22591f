"""The statutory clock, as pure functions of dates.

No network, no hidden "today": callers pass `today` in. Every due date is derived from the date
the request was received (ehc-process.md section 1), never from a counter a job increments.
Exceptions never move a due date; they only change how a late milestone is counted.
"""

from __future__ import annotations

import calendar
import datetime
from dataclasses import dataclass
from enum import StrEnum

#: Reg 5(1): the decision whether to assess is due 6 weeks after the request was received.
DECISION_TO_ASSESS_DAYS = 42
#: Reg 13(2): the final plan is due 20 weeks after the request was received.
FINAL_PLAN_DAYS = 140
#: Operational default: reg 10(1) makes a decision not to issue after week 16 unlawful.
DEFAULT_STATUTORY_PANEL_DECISION_DAYS = 112
#: Operational default: final plan due - 15, so the family's 15 days (s38, reg 13(1)) fit.
DEFAULT_DRAFT_PLAN_DAYS = 125
#: Reg 8(1): advice is due 6 weeks after the provider received the request for it.
ADVICE_DAYS = 42
#: s38 and CoP 9.77: the family has at least 15 days on the draft, the day it is served being day 1.
FAMILY_COMMENT_DAYS = 15
DEFAULT_WARNING_DAYS = 14


def birthday(date_of_birth: datetime.date, age: int) -> datetime.date:
    """The day a child born on `date_of_birth` reaches `age`. Born on 29 February: 1 March in a
    year without one (the day after 28 February, when the anniversary has not yet come)."""
    try:
        return date_of_birth.replace(year=date_of_birth.year + age)
    except ValueError:  # 29 February in a year that has none
        return datetime.date(date_of_birth.year + age, 3, 1)


def end_of_compulsory_school_age(date_of_birth: datetime.date) -> datetime.date:
    """Education Act 1996 s8(4) (with the School Leaving Date Order 1997): compulsory school age
    ends on the last Friday of June in the school year (1 September to 31 August) in which the
    child turns 16."""
    sixteenth = birthday(date_of_birth, 16)
    june_year = sixteenth.year + 1 if sixteenth.month >= 9 else sixteenth.year
    last_day = datetime.date(june_year, 6, 30)
    return last_day - datetime.timedelta(days=(last_day.weekday() - 4) % 7)


def young_person_from(date_of_birth: datetime.date) -> datetime.date:
    """CFA 2014 s83(2): a child becomes a young person the day after compulsory school age ends;
    decisions, letters and the portal then go to them (ehc-process.md section 10)."""
    return end_of_compulsory_school_age(date_of_birth) + datetime.timedelta(days=1)


def is_young_person(date_of_birth: datetime.date, on: datetime.date) -> bool:
    return on >= young_person_from(date_of_birth)


class Milestone(StrEnum):
    DECISION_TO_ASSESS = "decision_to_assess"
    STATUTORY_PANEL_DECISION = "statutory_panel_decision"
    DRAFT_PLAN = "draft_plan"
    FINAL_PLAN = "final_plan"

    @property
    def label(self) -> str:
        return MILESTONE_LABELS[self]


MILESTONE_LABELS = {
    Milestone.DECISION_TO_ASSESS: "Decision whether to assess",
    Milestone.STATUTORY_PANEL_DECISION: "Statutory panel decision",
    Milestone.DRAFT_PLAN: "Draft plan issued",
    Milestone.FINAL_PLAN: "Final plan issued",
}


class Risk(StrEnum):
    ON_TRACK = "on_track"
    AT_RISK = "at_risk"
    OVERDUE = "overdue"


#: Section 6: the milestone each open status is working towards.
NEXT_MILESTONE_BY_STATUS = {
    "received": Milestone.DECISION_TO_ASSESS,
    "assessing": Milestone.STATUTORY_PANEL_DECISION,
    "drafting": Milestone.DRAFT_PLAN,
    "draft_issued": Milestone.FINAL_PLAN,
}


@dataclass(frozen=True)
class ClockSettings:
    statutory_panel_decision_days: int = DEFAULT_STATUTORY_PANEL_DECISION_DAYS
    draft_plan_days: int = DEFAULT_DRAFT_PLAN_DAYS
    warning_days: int = DEFAULT_WARNING_DAYS


DEFAULT_CLOCK = ClockSettings()


def decision_to_assess_due(received_on: datetime.date) -> datetime.date:
    """Reg 5(1): 6 weeks from the date the request was received."""
    return received_on + datetime.timedelta(days=DECISION_TO_ASSESS_DAYS)


def statutory_panel_decision_due(
    received_on: datetime.date, clock: ClockSettings = DEFAULT_CLOCK
) -> datetime.date:
    """Reg 10(1) bounds a decision not to issue at 16 weeks; councils may set an earlier day."""
    return received_on + datetime.timedelta(days=clock.statutory_panel_decision_days)


def draft_plan_due(
    received_on: datetime.date, clock: ClockSettings = DEFAULT_CLOCK
) -> datetime.date:
    """No statutory draft deadline: day 125 leaves the family's 15 days before day 140."""
    return received_on + datetime.timedelta(days=clock.draft_plan_days)


def final_plan_due(received_on: datetime.date) -> datetime.date:
    """Reg 13(2): the final plan is due 20 weeks after the request was received."""
    return received_on + datetime.timedelta(days=FINAL_PLAN_DAYS)


def advice_due(requested_on: datetime.date) -> datetime.date:
    """Reg 8(1): advice is due 6 weeks after the provider received the request."""
    return requested_on + datetime.timedelta(days=ADVICE_DAYS)


def earliest_final_plan_date(draft_issued_on: datetime.date) -> datetime.date:
    """The family's 15 days count the day the draft is served as day 1 (days 125-139 for a draft
    served on day 125), so the final plan may go out on the 16th day at the earliest."""
    return draft_issued_on + datetime.timedelta(days=FAMILY_COMMENT_DAYS)


def due_dates(
    received_on: datetime.date, clock: ClockSettings = DEFAULT_CLOCK
) -> dict[Milestone, datetime.date]:
    return {
        Milestone.DECISION_TO_ASSESS: decision_to_assess_due(received_on),
        Milestone.STATUTORY_PANEL_DECISION: statutory_panel_decision_due(received_on, clock),
        Milestone.DRAFT_PLAN: draft_plan_due(received_on, clock),
        Milestone.FINAL_PLAN: final_plan_due(received_on),
    }


def met_on_time(actual_on: datetime.date | None, due_on: datetime.date) -> bool | None:
    """A milestone met on its due date is on time; None while it has not been met."""
    if actual_on is None:
        return None
    return actual_on <= due_on


def next_milestone(status: str) -> Milestone | None:
    """The milestone an open case is working towards; None once the case is closed."""
    return NEXT_MILESTONE_BY_STATUS.get(status)


def days_remaining(due_on: datetime.date, today: datetime.date) -> int:
    """Days until the due date: 0 on the day, negative once overdue."""
    return (due_on - today).days


def risk_level(
    due_on: datetime.date | None,
    today: datetime.date,
    *,
    warning_days: int = DEFAULT_WARNING_DAYS,
    advice_overdue: bool = False,
    rolled_off_agenda: bool = False,
) -> Risk | None:
    """Section 6: overdue past the due date; at risk within the warning window, with overdue
    advice, or after rolling off a full agenda; otherwise on track. None for a closed case."""
    if due_on is None:
        return None
    if today > due_on:
        return Risk.OVERDUE
    if days_remaining(due_on, today) <= warning_days or advice_overdue or rolled_off_agenda:
        return Risk.AT_RISK
    return Risk.ON_TRACK


#: Section 10: a request for a child refused an assessment in the last 6 months is flagged (the
#: authority may decide again without a new assessment, CoP 9.14 and reg 5).
REASSESSMENT_WINDOW_MONTHS = 6


def reassessment_window_start(received_on: datetime.date) -> datetime.date:
    """The first day of the 6 calendar months before `received_on` (31 August -> 28/29
    February: the month's last day when the day does not exist)."""
    month_index = received_on.year * 12 + received_on.month - 1 - REASSESSMENT_WINDOW_MONTHS
    year, month = divmod(month_index, 12)
    month += 1
    last_day = calendar.monthrange(year, month)[1]
    return datetime.date(year, month, min(received_on.day, last_day))
