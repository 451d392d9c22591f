"""Who goes on which agenda (section 5), decided set-based so an agenda build costs a fixed
number of queries however many cases are open."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Exists, OuterRef, Q

from advice_requests.selectors import cases_with_advice_readiness
from cases.models import Case, CaseStatus

from .models import OPEN_MEETING_STATUSES, AgendaItem, ItemStatus, PanelType

#: The prescribed days after which a child reaches compulsory school age: a child is of
#: compulsory school age from the first 1 January, 1 April or 1 September term start after their
#: fifth birthday (Education Act 1996 s8; ehc-process.md section 5).
TERM_STARTS = ((1, 1), (4, 1), (9, 1))


def compulsory_school_age_from(date_of_birth: datetime.date) -> datetime.date:
    """The first term start (1 Jan, 1 Apr, 1 Sep) strictly after the child's fifth birthday."""
    try:
        fifth = date_of_birth.replace(year=date_of_birth.year + 5)
    except ValueError:  # born on 29 February
        fifth = datetime.date(date_of_birth.year + 5, 3, 1)
    for year in (fifth.year, fifth.year + 1):
        for month, day in TERM_STARTS:
            start = datetime.date(year, month, day)
            if start > fifth:
                return start
    raise AssertionError("unreachable")  # pragma: no cover


def under_compulsory_school_age(date_of_birth: datetime.date, on: datetime.date) -> bool:
    """Section 5: an Early Years case is under compulsory school age on the date received."""
    return on < compulsory_school_age_from(date_of_birth)


def assessment_panel_type(date_of_birth: datetime.date, received_on: datetime.date) -> str:
    if under_compulsory_school_age(date_of_birth, received_on):
        return PanelType.EY_NAP
    return PanelType.NAP


@dataclass(frozen=True)
class Candidate:
    case_id: int
    due_on: datetime.date
    received_on: datetime.date
    advice_incomplete: bool = False


def on_open_agenda():
    """Cases listed on an open agenda (scheduled or published), as an Exists for Case rows."""
    return Exists(
        AgendaItem.objects.filter(
            case=OuterRef("pk"),
            status=ItemStatus.LISTED,
            meeting__status__in=OPEN_MEETING_STATUSES,
        )
    )


def assessment_candidates(panel_type: str, meeting_date: datetime.date) -> list[Candidate]:
    """NAP / EY-NAP: received, undecided, not on another open agenda, evidence deadline (if any)
    passed by the meeting; routed by the child's age on the date received."""
    rows = (
        Case.objects.filter(status=CaseStatus.RECEIVED)
        .exclude(evidence_deadline__gte=meeting_date)
        .annotate(listed=on_open_agenda())
        .filter(listed=False)
        .order_by("decision_to_assess_due", "received_on", "id")
        .values_list("id", "decision_to_assess_due", "received_on", "child__date_of_birth")
    )
    return [
        Candidate(case_id, due, received)
        for case_id, due, received, born in rows
        if assessment_panel_type(born, received) == panel_type
    ]


def statutory_candidates(following_meeting_date: datetime.date) -> list[Candidate]:
    """Statutory: assessing and ready (all advice in), plus cases whose statutory decision falls
    due before the following meeting, flagged "advice incomplete" so the chair decides knowingly."""
    rows = (
        cases_with_advice_readiness(Case.objects.filter(status=CaseStatus.ASSESSING))
        .annotate(listed=on_open_agenda())
        .filter(listed=False)
        .filter(Q(advice_ready=True) | Q(statutory_panel_decision_due__lt=following_meeting_date))
        .order_by("statutory_panel_decision_due", "received_on", "id")
        .values_list("id", "statutory_panel_decision_due", "received_on", "advice_ready")
    )
    return [
        Candidate(case_id, due, received, advice_incomplete=not ready)
        for case_id, due, received, ready in rows
    ]
