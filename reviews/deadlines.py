"""The review clock: a plan's life after it is issued, as pure functions of dates.

Shaped like cases/deadlines.py: no network, no hidden "today" (callers pass it in), each limit a
named constant citing its regulation (ehc-process.md section 13). Statutory periods here are
calendar days, weeks and months; a bank holiday never moves them. Only the transfer of a plan
to another authority is counted in working days (reg 15), with England's bank holidays.
"""

from __future__ import annotations

import calendar
import datetime
from enum import StrEnum

from cases.working_days import add_working_days
from cases.working_days import is_working_day as is_working_day  # read here by the tests

#: s44(1), reg 18: a plan is reviewed at least every 12 months from the date it was issued or
#: last reviewed.
REVIEW_INTERVAL_MONTHS = 12
#: CoP 9.178: for a child under 5 the authority should consider reviewing every 3 to 6 months.
UNDER_FIVE_REVIEW_INTERVAL_MONTHS = 6
#: Reg 20(3)-(4): invitations, and the advice gathered, go out at least 2 weeks before the meeting.
INVITATION_NOTICE_DAYS = 14
#: Reg 20(7): the review report is sent within 2 weeks of the meeting.
REVIEW_REPORT_DAYS = 14
#: Reg 20(10): the authority decides to maintain, amend or cease within 4 weeks of the meeting.
REVIEW_DECISION_DAYS = 28
#: Reg 22(2)(c): the family has at least 15 days to comment on proposed amendments (the day
#: they are sent counting as day 1, as for the draft plan: cases.deadlines.FAMILY_COMMENT_DAYS).
AMENDMENT_COMMENT_DAYS = 15
#: Reg 22(3)(b): the amended plan is issued within 8 weeks of the proposed amendments.
AMENDED_PLAN_AFTER_PROPOSAL_DAYS = 56
#: R (L, M and P) v Devon CC [2022] EWHC 493 (Admin): the amended plan is due no later than 12
#: weeks after the review meeting (the 4 weeks of reg 20(10) plus the 8 of reg 22(3)).
AMENDED_PLAN_AFTER_MEETING_DAYS = 84
#: Reg 18(1)(a): at a move between phases the plan names the next school by 15 February of the
#: calendar year of the move.
PHASE_TRANSFER_DAY = (2, 15)
#: Reg 18(1)(b): a young person moving from secondary school to a post-16 institution: 31 March.
POST16_INSTITUTION_TRANSFER_DAY = (3, 31)
#: Reg 15(4): the new authority tells the family within 6 weeks of the transfer whether it will
#: conduct a new EHC needs assessment.
TRANSFER_IN_REASSESSMENT_NOTICE_DAYS = 42
#: Reg 15(5): the new authority reviews by the later of the usual date and 3 months from transfer.
TRANSFER_IN_REVIEW_MONTHS = 3
#: Reg 15(2)-(3): the old authority transfers the plan on the day of the move, or within 15
#: working days of learning of it.
TRANSFER_OUT_WORKING_DAYS = 15
#: Alerts: a review milestone this close is at risk (as for cases, section 6).
DEFAULT_WARNING_DAYS = 14
#: The school year starts on 1 September (Education Act 1996 s8: children start reception in the
#: school year in which they turn 5, that is the September after their 4th birthday).
SCHOOL_YEAR_STARTS = (9, 1)


def add_months(start: datetime.date, months: int) -> datetime.date:
    """The same day `months` later; a day the month lacks falls back to its last day, so a plan
    issued on 29 February 2024 is due for review on 28 February 2025, never 1 March (the
    earlier date protects the child's statutory timeline: decision 0110)."""
    month_index = start.month - 1 + months
    year, month = start.year + month_index // 12, month_index % 12 + 1
    return datetime.date(year, month, min(start.day, calendar.monthrange(year, month)[1]))


def review_due(last_reviewed_or_issued: datetime.date) -> datetime.date:
    """s44(1), reg 18: 12 months from the plan's issue or its last review meeting."""
    return add_months(last_reviewed_or_issued, REVIEW_INTERVAL_MONTHS)


def invitations_due(meeting_on: datetime.date) -> datetime.date:
    """Reg 20(3)-(4): invitations and the advice at least 2 weeks before the meeting."""
    return meeting_on - datetime.timedelta(days=INVITATION_NOTICE_DAYS)


def report_due(meeting_on: datetime.date) -> datetime.date:
    """Reg 20(7): the review report within 2 weeks of the meeting."""
    return meeting_on + datetime.timedelta(days=REVIEW_REPORT_DAYS)


def decision_due(meeting_on: datetime.date) -> datetime.date:
    """Reg 20(10): maintain, amend or cease decided (and the family told) within 4 weeks."""
    return meeting_on + datetime.timedelta(days=REVIEW_DECISION_DAYS)


def amendment_comments_end(proposed_on: datetime.date) -> datetime.date:
    """Reg 22(2)(c): the last of the family's 15 days, the day the amendments are sent being
    day 1."""
    return proposed_on + datetime.timedelta(days=AMENDMENT_COMMENT_DAYS - 1)


def earliest_amended_plan_date(proposed_on: datetime.date) -> datetime.date:
    """The amended plan may go out once the family's 15 days are over."""
    return proposed_on + datetime.timedelta(days=AMENDMENT_COMMENT_DAYS)


def amended_plan_due(
    meeting_on: datetime.date, proposed_on: datetime.date | None = None
) -> datetime.date:
    """Reg 22(3)(b) and Devon [2022] EWHC 493: 8 weeks after the proposed amendments, and in any
    case no later than 12 weeks after the review meeting (whichever is earlier)."""
    cap = meeting_on + datetime.timedelta(days=AMENDED_PLAN_AFTER_MEETING_DAYS)
    if proposed_on is None:
        return cap
    return min(proposed_on + datetime.timedelta(days=AMENDED_PLAN_AFTER_PROPOSAL_DAYS), cap)


def transfer_in_review_due(
    usual_review_due: datetime.date, transferred_on: datetime.date
) -> datetime.date:
    """Reg 15(5): the new authority reviews by the later of the usual date and 3 months from
    the transfer."""
    return max(usual_review_due, add_months(transferred_on, TRANSFER_IN_REVIEW_MONTHS))


def transfer_in_reassessment_notice_due(transferred_on: datetime.date) -> datetime.date:
    """Reg 15(4): 6 weeks from the transfer to say whether the new authority will reassess."""
    return transferred_on + datetime.timedelta(days=TRANSFER_IN_REASSESSMENT_NOTICE_DAYS)


def transfer_out_due(learned_on: datetime.date) -> datetime.date:
    """Reg 15(2)-(3): the plan goes to the new authority within 15 working days of the old one
    learning of the move (on the day of the move where it knew in advance)."""
    return add_working_days(learned_on, TRANSFER_OUT_WORKING_DAYS)


# --- Phase transfers (reg 18) -----------------------------------------------------------------


class PhaseTransfer(StrEnum):
    """The moves between phases reg 18 names, and 'other' for a move the council marks."""

    EARLY_YEARS_TO_RECEPTION = "early_years_to_reception"
    INFANT_TO_JUNIOR = "infant_to_junior"
    PRIMARY_TO_SECONDARY = "primary_to_secondary"
    INTO_POST16_SCHOOL = "into_post16_school"
    INTO_POST16_INSTITUTION = "into_post16_institution"
    OTHER = "other"

    @property
    def label(self) -> str:
        return PHASE_TRANSFER_LABELS[self]


PHASE_TRANSFER_LABELS = {
    PhaseTransfer.EARLY_YEARS_TO_RECEPTION: "Early years to reception",
    PhaseTransfer.INFANT_TO_JUNIOR: "Infant to junior school",
    PhaseTransfer.PRIMARY_TO_SECONDARY: "Primary to secondary school",
    PhaseTransfer.INTO_POST16_SCHOOL: "Into the sixth form of a school",
    PhaseTransfer.INTO_POST16_INSTITUTION: "Secondary school to a post-16 institution",
    PhaseTransfer.OTHER: "Another move between settings",
}

#: The school year group (reception = 0) a child enters at each move, in September.
YEAR_GROUP_ENTERED = {
    PhaseTransfer.EARLY_YEARS_TO_RECEPTION: 0,
    PhaseTransfer.INFANT_TO_JUNIOR: 3,
    PhaseTransfer.PRIMARY_TO_SECONDARY: 7,
    PhaseTransfer.INTO_POST16_SCHOOL: 12,
    PhaseTransfer.INTO_POST16_INSTITUTION: 12,
}


def reception_year(date_of_birth: datetime.date) -> int:
    """The calendar year in whose September the child starts reception: the September after
    their 4th birthday, so a child born on 31 August starts a year before one born on
    1 September."""
    month, day = SCHOOL_YEAR_STARTS
    before_september = (date_of_birth.month, date_of_birth.day) < (month, day)
    return date_of_birth.year + (4 if before_september else 5)


def year_group(date_of_birth: datetime.date, on: datetime.date) -> int:
    """The national curriculum year group on a date (reception 0, year 1 1, ..., year 13 13;
    negative before reception)."""
    month, day = SCHOOL_YEAR_STARTS
    school_year_start = on.year if (on.month, on.day) >= (month, day) else on.year - 1
    return school_year_start - reception_year(date_of_birth)


def phase_transfer_year(date_of_birth: datetime.date, transfer: PhaseTransfer) -> int:
    """The calendar year in whose September the child makes this move."""
    return reception_year(date_of_birth) + YEAR_GROUP_ENTERED[transfer]


def phase_transfer_due_in(year: int, transfer: PhaseTransfer) -> datetime.date:
    """Reg 18(1): 15 February of the calendar year of the move; 31 March for a young person
    leaving secondary school for a post-16 institution."""
    month, day = (
        POST16_INSTITUTION_TRANSFER_DAY
        if transfer == PhaseTransfer.INTO_POST16_INSTITUTION
        else PHASE_TRANSFER_DAY
    )
    return datetime.date(year, month, day)


def phase_transfer_due(date_of_birth: datetime.date, transfer: PhaseTransfer) -> datetime.date:
    """The date by which the plan, amended to name the next setting, is due for this move."""
    return phase_transfer_due_in(phase_transfer_year(date_of_birth, transfer), transfer)


def next_phase_transfer(
    date_of_birth: datetime.date,
    today: datetime.date,
    *,
    infant_school: bool = False,
    post16_institution: bool = True,
) -> tuple[PhaseTransfer, datetime.date] | None:
    """The child's next move between phases whose due date is today or later, and that date.
    Infant to junior only for a child at an infant school; into post-16 at a post-16 institution
    (31 March) unless the council records that they stay in a school sixth form (15 February)."""
    post16 = (
        PhaseTransfer.INTO_POST16_INSTITUTION
        if post16_institution
        else PhaseTransfer.INTO_POST16_SCHOOL
    )
    moves = [PhaseTransfer.EARLY_YEARS_TO_RECEPTION]
    if infant_school:
        moves.append(PhaseTransfer.INFANT_TO_JUNIOR)
    moves += [PhaseTransfer.PRIMARY_TO_SECONDARY, post16]
    for move in moves:
        due = phase_transfer_due(date_of_birth, move)
        if due >= today:
            return move, due
    return None


# --- Milestones and risk (alerts and lists) ---------------------------------------------------


class ReviewMilestone(StrEnum):
    INVITATIONS = "review_invitations"
    MEETING = "review_meeting"
    REPORT = "review_report"
    DECISION = "review_decision"
    AMENDED_PLAN = "amended_plan"

    @property
    def label(self) -> str:
        return REVIEW_MILESTONE_LABELS[self]


REVIEW_MILESTONE_LABELS = {
    ReviewMilestone.INVITATIONS: "Review invitations sent",
    ReviewMilestone.MEETING: "Annual review meeting held",
    ReviewMilestone.REPORT: "Review report received",
    ReviewMilestone.DECISION: "Review decision sent to the family",
    ReviewMilestone.AMENDED_PLAN: "Amended plan issued",
}


def days_remaining(due_on: datetime.date, today: datetime.date) -> int:
    return (due_on - today).days


def risk_level(
    due_on: datetime.date | None, today: datetime.date, *, warning_days: int = DEFAULT_WARNING_DAYS
) -> str | None:
    """As cases.deadlines.risk_level: overdue past the due date, at risk within the window."""
    if due_on is None:
        return None
    if today > due_on:
        return "overdue"
    if days_remaining(due_on, today) <= warning_days:
        return "at_risk"
    return "on_track"
