"""The dispute clock (ehc-process.md section 14), as pure functions of dates.

Shaped like cases/deadlines.py: no network, no hidden "today" (callers pass it in), every limit a
named constant citing its source. Which figures were confirmed against which published text is
recorded in docs/decisions/0120-dispute-clock.md and 0140-review-decisions-open-appeal-windows.md.

Three kinds of period appear in the law, each counted its own way:
- calendar months (the appeal window): the same day number so many months on; where that month
  has no such day, its last day (31 December + 2 months = 28 February, or 29 in a leap year);
- working days (the mediation certificate, the council's response to the tribunal): every day
  but Saturdays, Sundays and England and Wales bank holidays, the start day not counted
  (cases.working_days, the one calendar every clock uses);
- days and weeks (mediation within 30 days, the tribunal's orders): calendar days after the
  start day ("within 2 weeks of the order" = the order date + 14 days).
"""

from __future__ import annotations

import calendar
import datetime
from dataclasses import dataclass
from enum import StrEnum

from cases.working_days import add_working_days
from cases.working_days import is_working_day as is_working_day  # read here by the tests

# --- The appeal window -----------------------------------------------------------------------

#: Tribunal Procedure (First-tier Tribunal) (HESC) Rules 2008 r20, and SEND Regs 2014 reg 33:
#: the family appeals within 2 months of the date the decision letter was sent...
APPEAL_MONTHS_FROM_LETTER = 2
#: ...or within 1 month of the date the mediation certificate was issued, whichever is later
#: (CFA 2014 s55, HESC Rules r20; SEND Regs reg 33 for contacting the adviser).
APPEAL_MONTHS_FROM_CERTIFICATE = 1
#: SEND Regs 2014 reg 33: the family contacts the mediation adviser within 2 months of the
#: decision letter being sent.
ADVISER_CONTACT_MONTHS = 2

# --- Mediation --------------------------------------------------------------------------------

#: SEND Regs 2014 reg 34: a family who does not want mediation gets the adviser's certificate
#: within 3 working days of telling the adviser.
CERTIFICATE_WORKING_DAYS = 3
#: SEND Regs 2014 reg 37: the authority makes sure mediation takes place within 30 days of being
#: told the family wants it.
MEDIATION_DAYS = 30
#: SEND Regs 2014 reg 39: the mediator issues the certificate within 3 working days of the
#: mediation concluding.
CERTIFICATE_AFTER_MEDIATION_WORKING_DAYS = 3
#: SEND Regs 2014 reg 42(3): what a mediation agreement asks that cannot be appealed is done
#: within 2 weeks of the agreement (reg 42(2): appealable matters take reg 44's limits).
AGREEMENT_OTHER_ACTION_DAYS = 14

# --- The appeal -------------------------------------------------------------------------------

#: Tribunal Procedure (First-tier Tribunal) (HESC) Rules 2008 r21 (as amended for EHC appeals):
#: the authority's response reaches the tribunal within 30 working days of the authority
#: receiving the appeal.
RESPONSE_WORKING_DAYS = 30


def add_months(start: datetime.date, months: int) -> datetime.date:
    """The same day number `months` later; the month's last day where it has no such day
    (31 December + 2 months = 28 February, 29 in a leap year; 31 August + 1 month = 30
    September). This is how the tribunal reads "within 2 months of" a date."""
    month_index = start.month - 1 + months
    year = start.year + month_index // 12
    month = month_index % 12 + 1
    last_day = calendar.monthrange(year, month)[1]
    return datetime.date(year, month, min(start.day, last_day))


def appeal_deadline(
    letter_sent_on: datetime.date, certificate_issued_on: datetime.date | None = None
) -> datetime.date:
    """HESC Rules r20 (CFA 2014 s55): the later of 2 months from the decision letter and 1
    month from the mediation certificate."""
    from_letter = add_months(letter_sent_on, APPEAL_MONTHS_FROM_LETTER)
    if certificate_issued_on is None:
        return from_letter
    return max(from_letter, add_months(certificate_issued_on, APPEAL_MONTHS_FROM_CERTIFICATE))


def adviser_contact_due(letter_sent_on: datetime.date) -> datetime.date:
    """Reg 33: the family contacts the mediation adviser within 2 months of the letter."""
    return add_months(letter_sent_on, ADVISER_CONTACT_MONTHS)


def certificate_due(adviser_contacted_on: datetime.date) -> datetime.date:
    """Reg 34: the certificate within 3 working days of the family telling the adviser."""
    return add_working_days(adviser_contacted_on, CERTIFICATE_WORKING_DAYS)


def mediation_due(mediation_requested_on: datetime.date) -> datetime.date:
    """Reg 37: mediation within 30 days of the authority being told the family wants it."""
    return mediation_requested_on + datetime.timedelta(days=MEDIATION_DAYS)


def certificate_after_mediation_due(mediation_held_on: datetime.date) -> datetime.date:
    """Reg 39: the certificate within 3 working days of the mediation."""
    return add_working_days(mediation_held_on, CERTIFICATE_AFTER_MEDIATION_WORKING_DAYS)


def response_due(appeal_received_on: datetime.date) -> datetime.date:
    """HESC Rules r21: the authority's response within 30 working days of receiving the appeal."""
    return add_working_days(appeal_received_on, RESPONSE_WORKING_DAYS)


# --- Orders (reg 44(2)), concessions (reg 45) and mediation agreements (reg 42) ---------------


class OrderKind(StrEnum):
    """What the tribunal ordered (or the authority conceded, or a mediation agreed)."""

    ASSESS = "assess"
    ISSUE_PLAN = "issue_plan"
    RECONSIDER = "reconsider"
    AMEND_PLAN = "amend_plan"
    SECTION_I = "section_i"
    CONTINUE_PLAN = "continue_plan"
    CEASE_PLAN = "cease_plan"
    OTHER = "other"


@dataclass(frozen=True)
class OrderStep:
    """One thing an order requires, and how long after the order the authority has."""

    code: str
    label: str
    days: int
    source: str


#: SEND Regs 2014 reg 44(2). Periods run from the date of the order; reg 45 applies the same
#: periods from the date the authority told the tribunal it would not oppose the appeal; reg
#: 42(2) from the date of a mediation agreement. What each figure was checked against (search
#: of published text, 30 November 2026; decisions 0120 and 0140):
#: - reg 44(1) and (2)(a)-(c), word for word as the regulation is quoted on a public page (the
#:   legislation.gov.uk page itself was not reachable): (a) cease "immediately"; (b) notify
#:   "within 2 weeks of the order being made", a decision not to issue "within 10 weeks of the
#:   date of the First-tier Tribunal's order", the finalised plan "within 14 weeks"; (c) a draft
#:   "within 5 weeks of the order being made", the finalised plan "within 11 weeks";
#: - reg 43(2) (the tribunal's powers, including (d) referring the case back to reconsider) and
#:   reg 45(3), (3A) and (4) as substituted by SI 2015/359 reg 8 (2 weeks, 10 and 14 weeks, the
#:   amended plan within 5 weeks of telling the tribunal), on legislation.gov.uk;
#: - (e) amend within 5 weeks, (f) the school within 2 weeks, continue "with immediate effect":
#:   the tribunal's own guidance (gov.uk SEND18, "Carry out an order"), not the regulation's
#:   text, so the paragraph letters (d)-(h) are not confirmed;
#: - (d) reconsider within 2 weeks: not found in published text; the 2001 regulations' limit for
#:   a case remitted (SI 2001/3455 reg 25(2)(c), legislation.gov.uk) was 2 weeks, kept here.
ORDER_STEPS: dict[OrderKind, tuple[OrderStep, ...]] = {
    OrderKind.ASSESS: (
        # Reg 44(2)(b): notify within 2 weeks that the assessment will be made; then
        OrderStep(
            "notify_assessment",
            "Tell the family the assessment will be made",
            14,
            "reg 44(2)(b)",
        ),
        # (b)(i): a decision not to issue a plan, with reasons, within 10 weeks of the order;
        OrderStep(
            "decide_whether_to_issue",
            "Decide whether to issue a plan (a decision not to is due by this date)",
            70,
            "reg 44(2)(b)(i)",
        ),
        # (b)(ii): or the finalised plan within 14 weeks of the order.
        OrderStep("final_plan", "Send the final plan", 98, "reg 44(2)(b)(ii)"),
    ),
    OrderKind.ISSUE_PLAN: (
        # Reg 44(2)(c)(i): a draft plan within 5 weeks of the order;
        OrderStep("draft_plan", "Issue the draft plan", 35, "reg 44(2)(c)(i)"),
        # (c)(ii): the finalised plan within 11 weeks of the order.
        OrderStep("final_plan", "Send the final plan", 77, "reg 44(2)(c)(ii)"),
    ),
    # Reg 43(2)(d), 44(2)(d): the case referred back to reconsider whether a plan is needed,
    # having regard to the tribunal's observations: within 2 weeks (see above: not confirmed).
    OrderKind.RECONSIDER: (
        OrderStep(
            "reconsider",
            "Reconsider whether to issue a plan and tell the family",
            14,
            "reg 44(2)(d)",
        ),
    ),
    # Reg 44(2)(e) (and (h), continue and amend): the amended plan within 5 weeks.
    OrderKind.AMEND_PLAN: (
        OrderStep("amended_plan", "Issue the amended plan", 35, "reg 44(2)(e)"),
    ),
    # Reg 44(2)(f): only the school (or type of school) in section I: within 2 weeks.
    OrderKind.SECTION_I: (
        OrderStep(
            "amended_plan", "Issue the plan naming the school in section I", 14, "reg 44(2)(f)"
        ),
    ),
    # Reg 44(2)(g): an order to continue to maintain the plan takes effect at once.
    OrderKind.CONTINUE_PLAN: (
        OrderStep("continue_plan", "Keep the plan in place", 0, "reg 44(2)(g)"),
    ),
    # Reg 44(2)(a): an appeal against ceasing dismissed: the plan ceases immediately.
    OrderKind.CEASE_PLAN: (OrderStep("cease_plan", "Cease the plan", 0, "reg 44(2)(a)"),),
    # Reg 42(3): a mediation agreement on something that cannot be appealed: within 2 weeks.
    OrderKind.OTHER: (
        OrderStep("agreed_action", "Do what was agreed", AGREEMENT_OTHER_ACTION_DAYS, "reg 42(3)"),
    ),
}


def order_deadlines(kind: str, ordered_on: datetime.date) -> list[tuple[OrderStep, datetime.date]]:
    """Each step the order requires with its due date, counted from the order's date."""
    return [
        (step, ordered_on + datetime.timedelta(days=step.days))
        for step in ORDER_STEPS[OrderKind(kind)]
    ]


#: The case milestone (cases.deadlines.Milestone value) each order step stands in for, when an
#: order to assess or to issue reopens the case: the case's clock then follows the order.
CASE_MILESTONE_FOR_STEP = {
    (OrderKind.ASSESS, "decide_whether_to_issue"): "statutory_panel_decision",
    (OrderKind.ASSESS, "final_plan"): "final_plan",
    (OrderKind.ISSUE_PLAN, "draft_plan"): "draft_plan",
    (OrderKind.ISSUE_PLAN, "final_plan"): "final_plan",
}

#: s38, reg 13(1): the family has 15 days on a draft, so a draft is due 15 days before the
#: final plan where an order sets only the final plan's date.
DRAFT_BEFORE_FINAL_DAYS = 15

#: The orders that reopen a case through `reopen_on_appeal`.
REOPENING_KINDS = frozenset({OrderKind.ASSESS, OrderKind.ISSUE_PLAN})


def case_due_date_overrides(kind: str, ordered_on: datetime.date) -> dict[str, str]:
    """The case milestones' due dates after an order that reopens it (milestone -> ISO date),
    for cases.Case.due_date_overrides. An order to assess sets no draft date: the draft is then
    due 15 days before the final plan, as in the original clock."""
    order_kind = OrderKind(kind)
    if order_kind not in REOPENING_KINDS:
        return {}
    overrides = {}
    for step, due_on in order_deadlines(order_kind, ordered_on):
        milestone = CASE_MILESTONE_FOR_STEP.get((order_kind, step.code))
        if milestone:
            overrides[milestone] = due_on
    if "draft_plan" not in overrides and "final_plan" in overrides:
        overrides["draft_plan"] = overrides["final_plan"] - datetime.timedelta(
            days=DRAFT_BEFORE_FINAL_DAYS
        )
    return {milestone: due.isoformat() for milestone, due in sorted(overrides.items())}


def days_remaining(due_on: datetime.date, today: datetime.date) -> int:
    return (due_on - today).days
