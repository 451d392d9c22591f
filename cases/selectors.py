"""Reads of cases, each at a fixed number of queries whatever the number of cases."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import F, Prefetch, QuerySet
from django.http import Http404

from audit.selectors import case_history

from . import deadlines
from .filters import CaseFilter
from .models import Case, CaseException

#: Default order of every case list: the next due date first (closed cases last), then oldest.
DEFAULT_ORDER = (F("next_milestone_due").asc(nulls_last=True), "received_on", "id")


def cases_visible(*, user, today: datetime.date) -> QuerySet[Case]:
    """The user's cases with their risk, child and caseworker: one query per page."""
    return (
        Case.objects.visible_to(user)
        .with_risk(today)
        .select_related("child", "caseworker")
        .order_by(*DEFAULT_ORDER)
    )


#: The columns the API's case list shows (CaseListSerializer): a list page reads these and not
#: the whole case, child and caseworker rows (benchmark 4a).
LIST_COLUMNS = (
    "reference",
    "status",
    "received_on",
    "primary_need",
    "next_milestone",
    "next_milestone_due",
    "final_plan_due",
    "child__first_name",
    "child__last_name",
    "caseworker__username",
)


def case_list_rows(*, user, today: datetime.date) -> QuerySet[Case]:
    """`cases_visible` cut down to the list's columns (the filters still apply to any column)."""
    return cases_visible(user=user, today=today).only(*LIST_COLUMNS)


def case_list(*, user, today: datetime.date, filters=None) -> CaseFilter:
    """The case list, filtered as GET /api/cases/ is. The page shows `.errors` of invalid
    filters (and ignores them); `.qs` is the filtered list."""
    return CaseFilter(filters or None, queryset=cases_visible(user=user, today=today))


def case_get(*, user, reference: str, today: datetime.date) -> Case:
    """One visible case with its exceptions; Http404 for a case the user may not see."""
    queryset = cases_visible(user=user, today=today).prefetch_related(
        Prefetch(
            "exceptions",
            queryset=CaseException.objects.select_related("proposed_by", "agreed_by", "refused_by"),
        )
    )
    try:
        return queryset.get(reference=reference)
    except Case.DoesNotExist as exc:
        raise Http404("No such case.") from exc


def case_exception_get(*, case: Case, exception_id: int) -> CaseException:
    try:
        return case.exceptions.get(pk=exception_id)
    except (CaseException.DoesNotExist, ValueError, OverflowError) as exc:
        raise Http404("No such exception.") from exc


@dataclass(frozen=True)
class Deadline:
    """One statutory milestone of a case: when it is due, when it was met, and whether on time."""

    key: str
    milestone: deadlines.Milestone
    due: datetime.date
    actual: datetime.date | None

    @property
    def name(self) -> str:
        return self.milestone.value

    @property
    def label(self) -> str:
        return self.milestone.label

    @property
    def on_time(self) -> bool | None:
        return deadlines.met_on_time(self.actual, self.due)


def case_deadlines(case: Case) -> list[Deadline]:
    """Section 1: the four milestones in order, with the date each was met (if it was)."""
    return [
        Deadline(
            "decision_to_assess_due",
            deadlines.Milestone.DECISION_TO_ASSESS,
            case.decision_to_assess_due,
            case.assessment_decided_on,
        ),
        Deadline(
            "statutory_panel_decision_due",
            deadlines.Milestone.STATUTORY_PANEL_DECISION,
            case.statutory_panel_decision_due,
            case.plan_decided_on,
        ),
        Deadline(
            "draft_plan_due",
            deadlines.Milestone.DRAFT_PLAN,
            case.draft_plan_due,
            case.draft_issued_on,
        ),
        Deadline(
            "final_plan_due",
            deadlines.Milestone.FINAL_PLAN,
            case.final_plan_due,
            case.final_issued_on,
        ),
    ]


def case_audit_trail(*, case: Case):
    """The case's history in order, with who did it: one query."""
    return case_history(case=case).select_related("actor")
