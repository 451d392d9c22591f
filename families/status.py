"""What a family reads about their request: where it is now and what happens next, in plain
words (GOV.UK content style, reading age around 9: short sentences, the date first).

Pure functions of the case's dates and `today` (no database, no hidden today), so every status
and milestone state is tested against the spec's dates (ehc-process.md sections 1, 3, 11, 12)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from cases import deadlines

#: Who is reading: a parent (about "your child") or the young person (about "you").
PARENT = "parent"
YOUNG_PERSON = "young_person"

LATE = "This is late. We are sorry. Your caseworker can tell you more."


@dataclass(frozen=True)
class StatusText:
    headline: str
    now: str
    next_step: str
    next_date: datetime.date | None = None
    late: bool = False


def long_date(day: datetime.date) -> str:
    """'3 March 2027': the GOV.UK date style."""
    return f"{day.day} {day:%B %Y}"


def _whose(audience: str) -> str:
    return "your" if audience == YOUNG_PERSON else "your child's"


def _due(text: str, due: datetime.date, today: datetime.date) -> tuple[str, bool]:
    if today > due:
        return f"{text} by {long_date(due)}. {LATE}", True
    return f"{text} by {long_date(due)}.", False


def status_text(case, *, today: datetime.date, audience: str = PARENT) -> StatusText:
    """Where the request is now and the date the law sets for what happens next."""
    needs = f"{_whose(audience)} needs"
    status = case.status
    if status == "received":
        step, late = _due(
            "We will tell you if we will assess " + needs, case.decision_to_assess_due, today
        )
        return StatusText(
            "We are deciding whether to assess",
            f"We got the request on {long_date(case.received_on)}. "
            f"A panel will decide if we should assess {needs}.",
            step,
            case.decision_to_assess_due,
            late,
        )
    reopened = getattr(case, "appeal_rights_sent_on", None) is not None
    if status == "assessing":
        decided = case.assessment_decided_on or case.received_on
        now = (
            f"On {long_date(decided)} we decided to assess {needs}. "
            "We have asked people who know about these needs for advice."
        )
        if reopened:  # declined, then reopened on appeal (section 3)
            now = (
                f"After the appeal, we started to assess {needs} on "
                f"{long_date(case.status_changed_on)}. We have asked people who know about "
                "these needs for advice."
            )
        step, late = _due(
            "We will decide if we will write an education, health and care plan",
            case.statutory_panel_decision_due,
            today,
        )
        return StatusText(
            "We are assessing " + needs,
            now,
            step,
            case.statutory_panel_decision_due,
            late,
        )
    if status == "drafting":
        if case.draft_issued_on is not None:  # the draft came back to be changed
            step, late = _due(
                "We will send you the changed draft. Then we will send the final plan",
                case.final_plan_due,
                today,
            )
            return StatusText(
                "We are changing the draft plan",
                f"We sent you a draft plan on {long_date(case.draft_issued_on)}. "
                "We are changing it now.",
                step,
                case.final_plan_due,
                late,
            )
        decided = case.plan_decided_on or case.received_on
        now = (
            f"On {long_date(decided)} we decided to write an education, health and care plan. "
            "We are writing the draft now."
        )
        if reopened:  # a plan declined, then agreed on appeal
            now = (
                f"After the appeal, we started to write an education, health and care plan on "
                f"{long_date(case.status_changed_on)}. We are writing the draft now."
            )
        step, late = _due("We will send you a draft plan", case.draft_plan_due, today)
        return StatusText(
            "We are writing a draft plan",
            now,
            step,
            case.draft_plan_due,
            late,
        )
    if status == "draft_issued":
        served = case.draft_issued_on or today
        comments_due = comment_deadline(served)
        if today <= comments_due:
            step = (
                f"Tell us what you think of the draft by {long_date(comments_due)}. You can also "
                "ask for a meeting and tell us the school or college you want."
            )
            return StatusText(
                "The draft plan is ready for you to read",
                f"We sent you the draft plan on {long_date(served)}.",
                step,
                comments_due,
            )
        step, late = _due("We will send you the final plan", case.final_plan_due, today)
        return StatusText(
            "We are finishing the plan",
            f"We sent you the draft plan on {long_date(served)}. "
            f"The time to comment ended on {long_date(comments_due)}.",
            step,
            case.final_plan_due,
            late,
        )
    if status == "final_issued":
        issued = case.final_issued_on or today
        return StatusText(
            "The final plan is ready",
            f"We sent you the final plan on {long_date(issued)}.",
            "We will look at the plan again with you at least once every 12 months. "
            "If you disagree with the plan, the letter with it tells you what you can do.",
        )
    if status in ("assessment_declined", "plan_declined"):
        decided = (
            case.assessment_decided_on if status == "assessment_declined" else case.plan_decided_on
        ) or case.received_on
        what = (
            f"not to assess {needs}"
            if status == "assessment_declined"
            else "not to write an education, health and care plan"
        )
        return StatusText(
            "We have made a decision",
            f"On {long_date(decided)} we decided {what}. Our letter tells you why.",
            "If you disagree, you can talk to a mediation adviser and appeal to a tribunal. "
            "The letter tells you how, and the last date to appeal.",
        )
    if status == "withdrawn":
        closed = case.withdrawn_on or case.status_changed_on
        return StatusText(
            "This request is closed",
            f"This request was closed on {long_date(closed)}.",
            "If you think this is wrong, contact your caseworker.",
        )
    raise ValueError(f"no family text for status {status!r}")


def comment_deadline(served_on: datetime.date) -> datetime.date:
    """s38, reg 13(1): at least 15 days to comment, the day the draft is served being day 1."""
    return served_on + datetime.timedelta(days=deadlines.FAMILY_COMMENT_DAYS - 1)


#: What the family reads for each advice request's state (never the advice itself).
ADVICE_STATE = {
    "requested": "Asked for",
    "accepted": "Asked for",
    "returned": "Asked for",
    "submitted": "Received",
    "declined": "Not coming. Your caseworker will tell you why",
    "cancelled": "No longer needed",
}
