"""Reads of cases, each at a fixed number of queries whatever the number of cases."""

from __future__ import annotations

import dataclasses
import datetime
from dataclasses import dataclass

from django.db.models import F, Prefetch, Q, QuerySet
from django.http import Http404

from audit.selectors import case_history

from . import deadlines
from .filters import CaseFilter
from .models import Case, CaseException, CaseStatus, Child
from .names import similar_names

#: Default order of every case list: the next due date first (closed cases last), then oldest.
DEFAULT_ORDER = (F("next_milestone_due").asc(nulls_last=True), "received_on", "id")


def cases_visible(*, user, today: datetime.date) -> QuerySet[Case]:
    """The user's cases with their risk, child and caseworker, and the stored forecast's final
    plan date and flag (the forecasts app's one-to-one row, read as columns): one query."""
    return (
        Case.objects.visible_to(user)
        .with_risk(today)
        .annotate(
            forecast_final_plan_likely_on=F("forecast__final_plan_likely_on"),
            forecast_misses_final_plan=F("forecast__misses_final_plan"),
        )
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
    queryset = (
        cases_visible(user=user, today=today)
        .select_related("forecast")  # the forecasts app's stored row (one join, no query)
        .prefetch_related(
            Prefetch(
                "exceptions",
                queryset=CaseException.objects.select_related(
                    "proposed_by", "agreed_by", "refused_by"
                ),
            )
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
    """Section 1: the four milestones in order, with the date each was met (if it was). After a
    tribunal order the order's dates are shown (Case.due_date_overrides, decision 0121)."""
    overrides = case.due_date_overrides or {}
    return [
        dataclasses.replace(
            deadline, due=datetime.date.fromisoformat(overrides[deadline.milestone.value])
        )
        if deadline.milestone.value in overrides
        else deadline
        for deadline in _statutory_deadlines(case)
    ]


def _statutory_deadlines(case: Case) -> list[Deadline]:
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


# --- Intake: the child we may already know (section 10) -------------------------------------

SAME_UPN = "Same unique pupil number"
SAME_BIRTHDAY_SIMILAR_NAME = "Same date of birth and a similar name"

#: What the duplicate search reads of each candidate (shown on the match page and in the API).
MATCH_COLUMNS = (
    "id",
    "first_name",
    "last_name",
    "date_of_birth",
    "upn",
    "current_setting",
    "home_local_authority",
)


@dataclass(frozen=True)
class PossibleMatch:
    child: Child
    reasons: tuple[str, ...]


def possible_duplicate_children(
    *, first_name: str, last_name: str, date_of_birth: datetime.date | None, upn: str = ""
) -> list[PossibleMatch]:
    """Children the service may already know (section 10): the same UPN, or the same date of
    birth and a similar name (cases.names). One query, through the indexes on date of birth and
    UPN: it reads only the children born that day (a few hundred in a borough of a million) and
    compares their names in Python. Children restricted for retention are never offered."""
    upn = (upn or "").strip().upper()
    condition = Q(pk__in=[])
    if date_of_birth is not None:
        condition |= Q(date_of_birth=date_of_birth)
    if upn:
        condition |= Q(upn=upn)
    candidates = Child.objects.not_restricted().filter(condition).only(*MATCH_COLUMNS)
    matches = []
    for child in candidates.order_by("last_name", "first_name", "id"):
        reasons = []
        if upn and child.upn == upn:
            reasons.append(SAME_UPN)
        if child.date_of_birth == date_of_birth and similar_names(
            first_name, last_name, child.first_name, child.last_name
        ):
            reasons.append(SAME_BIRTHDAY_SIMILAR_NAME)
        if reasons:
            matches.append(PossibleMatch(child=child, reasons=tuple(reasons)))
    # The same UPN first: it is the strongest sign.
    return sorted(matches, key=lambda match: SAME_UPN not in match.reasons)


def children_cases(*, child_ids) -> dict[int, list[Case]]:
    """Each child's cases, newest first (one query): what the match page shows of each."""
    found: dict[int, list[Case]] = {child_id: [] for child_id in child_ids}
    cases = (
        Case.objects.not_restricted()
        .filter(child_id__in=list(child_ids))
        .only("reference", "child_id", "status", "received_on", "assessment_decided_on")
        .order_by("-received_on", "-id")
    )
    for case in cases:
        found[case.child_id].append(case)
    return found


def recent_assessment_refusal(*, child_id: int, received_on: datetime.date) -> Case | None:
    """Section 10: the child was refused an assessment within the 6 months before this request
    was received (the authority may decide again without a new assessment). Flagged, never
    refused: the caller only shows it."""
    since = deadlines.reassessment_window_start(received_on)
    return (
        Case.objects.filter(
            child_id=child_id,
            status=CaseStatus.ASSESSMENT_DECLINED,
            assessment_decided_on__gte=since,
            assessment_decided_on__lte=received_on,
        )
        .order_by("-assessment_decided_on")
        .only("reference", "assessment_decided_on")
        .first()
    )
