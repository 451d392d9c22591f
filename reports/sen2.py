"""The SEN2 return: every module, person-level, as CSVs with the DfE item names.

Columns and code lists: docs/sen2.md (kept in step by a test) and reports/sen2_codes.py (every
code list, one module). The return covers the calendar year `year` (collected in January of
`year + 1`): every request received in or before the year and not closed before it, every plan
this authority maintained during the year, and the plans active on the census date.

Rows are read with `values()` in three queries (requests, plans, placements' latest review
drafts as a subquery), so 600,000 plans cost no model instances. Every cell is text, exactly as
written to the file, so a file read back gives the same records (tests round-trip it).
Validation (reports.sen2_validation) runs on these rows before anything is written.
"""

from __future__ import annotations

import csv
import datetime
import os
from pathlib import Path

from django.db.models import OuterRef, Q, Subquery

from cases.models import Case, CaseStatus
from reviews.models import ActivePlan, Review

from .disagreement import with_disagreement_flags
from .sen2_codes import (
    CENSUS_DATES,
    DEFAULT_CENSUS_WEEKDAY,
    AssessmentOutcome,
    RequestOutcome,
)
from .timeliness import has_agreed_exception

#: Module file -> its columns. `PersonID` and `RequestID` are this export's linking keys (the
#: child's id here and the request's reference, or the plan's for a plan not requested here).
MODULES: dict[str, tuple[str, ...]] = {
    "person": ("PersonID", "Surname", "Forename", "PersonBirthDate", "UPN"),
    "requests": (
        "PersonID",
        "RequestID",
        "ReceivedDate",
        "RequestSource",
        "RYA",
        "RequestOutcomeDate",
        "RequestOutcome",
        "RequestMediation",
        "RequestTribunal",
        "Exported",
    ),
    "assessment": (
        "RequestID",
        "AssessmentOutcome",
        "AssessmentOutcomeDate",
        "AssessmentMediation",
        "AssessmentTribunal",
        "OtherMediation",
        "OtherTribunal",
        "Week20",
    ),
    "named_plan": (
        "PersonID",
        "RequestID",
        "StartDate",
        "PlanRes",
        "PlanWBP",
        "PB",
        "OA",
        "DP",
        "CeaseDate",
        "CeaseReason",
    ),
    "plan_detail": (
        "RequestID",
        "URN",
        "UKPRN",
        "SENSetting",
        "SENSettingOther",
        "PlacementRank",
        "SENunitIndicator",
        "ResourcedProvisionIndicator",
    ),
    "active_plans": (
        "PersonID",
        "RequestID",
        "TransferLA",
        "ReviewMeeting",
        "ReviewOutcome",
        "ReviewDraft",
        "PhaseTransferDueDate",
        "PhaseTransferFinalDate",
        "LastReview",
    ),
    "placement_detail": (
        "RequestID",
        "URN",
        "UKPRN",
        "SENSetting",
        "SENSettingOther",
        "PlacementRank",
        "EntryDate",
        "LeavingDate",
        "SENunitIndicator",
        "ResourcedProvisionIndicator",
    ),
    "sen_need": ("RequestID", "SENtype", "SENtypeRank"),
}

#: Items this system does not record yet (RYA, Exported, the "other" mediation and tribunal
#: flags for plan content, amendments and ceasing): 0, as docs/sen2.md says.
NOT_YET_RECORDED_FLAG = "0"
CLOSED_WITHOUT_PLAN = (
    CaseStatus.ASSESSMENT_DECLINED,
    CaseStatus.PLAN_DECLINED,
    CaseStatus.WITHDRAWN,
)
_CASE_FIELDS = (
    "reference",
    "child_id",
    "child__first_name",
    "child__last_name",
    "child__date_of_birth",
    "child__upn",
    "received_on",
    "request_source",
    "status",
    "assessment_decided_on",
    "plan_decided_on",
    "withdrawn_on",
    "has_exception",
    # The disputes app's flags (reports.disagreement): what followed a refusal.
    "assess_mediation",
    "assess_tribunal",
    "issue_mediation",
    "issue_tribunal",
    "assess_reopened",
    "issue_reopened",
)
_PLAN_FIELDS = (
    "pk",
    "reference",
    "case__reference",
    "child_id",
    "child__first_name",
    "child__last_name",
    "child__date_of_birth",
    "child__upn",
    "start_date",
    "ceased_on",
    "cease_reason",
    "setting_urn",
    "sen_setting",
    "primary_need",
    "secondary_needs",
    "transferred_in_from_la",
    "transferred_in_on",
    "last_review_meeting_on",
    "last_review_outcome",
    "last_review_decision_on",
    "phase_transfer_due",
    "phase_transfer_named_on",
    "review_draft",
)


def census_date(return_year: int) -> datetime.date:
    """The census day in January of the year the return is collected."""
    if return_year in CENSUS_DATES:
        month, day = CENSUS_DATES[return_year]
        return datetime.date(return_year, month, day)
    first = datetime.date(return_year, 1, 1)
    first_thursday = first + datetime.timedelta(days=(DEFAULT_CENSUS_WEEKDAY - first.weekday()) % 7)
    return first_thursday + datetime.timedelta(days=14)


def _date(value) -> str:
    return value.isoformat() if value else ""


def _text(value) -> str:
    return "" if value is None else str(value)


def sen2_cases(*, year: int):
    """The requests in the year's return: one query."""
    start, end = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
    closed_before = Q(status__in=CLOSED_WITHOUT_PLAN) & (
        Q(withdrawn_on__lt=start)
        | Q(withdrawn_on__isnull=True, plan_decided_on__lt=start)
        | Q(
            withdrawn_on__isnull=True, plan_decided_on__isnull=True, assessment_decided_on__lt=start
        )
    )
    return (
        Case.objects.not_restricted()
        .filter(received_on__lte=end)
        .exclude(closed_before)
        .annotate(has_exception=has_agreed_exception(), **with_disagreement_flags())
        .order_by("child_id", "received_on", "pk")
        .values(*_CASE_FIELDS)
    )


def sen2_plans(*, year: int):
    """The plans maintained during the year (started by its end, not ceased before it), with
    the latest review's draft amended plan date: one query."""
    start, end = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
    draft = (
        Review.objects.filter(plan=OuterRef("pk"), amendments_proposed_on__lte=end)
        .order_by("-amendments_proposed_on")
        .values("amendments_proposed_on")[:1]
    )
    return (
        ActivePlan.objects.not_restricted()
        .filter(start_date__lte=end)
        .filter(Q(ceased_on__isnull=True) | Q(ceased_on__gte=start))
        .annotate(review_draft=Subquery(draft))
        .order_by("child_id", "start_date", "pk")
        .values(*_PLAN_FIELDS)
    )


def _request_outcome(case: dict, start: datetime.date) -> tuple[str, str]:
    """RequestOutcome and its date (none for A, W, H)."""
    decided = case["assessment_decided_on"]
    if decided:
        if decided < start:
            return RequestOutcome.HISTORICAL, ""
        # A refusal overturned on appeal keeps its outcome and date (sen2.md, module 2).
        if case["status"] == CaseStatus.ASSESSMENT_DECLINED or case["assess_reopened"]:
            return RequestOutcome.NOT_ASSESSED, _date(decided)
        return RequestOutcome.ASSESSED, _date(decided)
    if case["status"] == CaseStatus.WITHDRAWN:
        return RequestOutcome.WITHDRAWN, ""
    return RequestOutcome.PENDING, ""


def _assessment_outcome(case: dict, start: datetime.date) -> tuple[str, str]:
    decided = case["plan_decided_on"]
    if decided:
        if decided < start:
            return AssessmentOutcome.HISTORICAL, ""
        if case["status"] == CaseStatus.PLAN_DECLINED or case["issue_reopened"]:
            return AssessmentOutcome.NO_PLAN, _date(decided)
        return AssessmentOutcome.PLAN, _date(decided)
    if case["status"] == CaseStatus.WITHDRAWN:
        return AssessmentOutcome.WITHDRAWN, ""
    return AssessmentOutcome.PENDING, ""


def _person(row: dict) -> dict:
    return {
        "PersonID": str(row["child_id"]),
        "Surname": row["child__last_name"],
        "Forename": row["child__first_name"],
        "PersonBirthDate": _date(row["child__date_of_birth"]),
        "UPN": row["child__upn"],
    }


def _flag(value) -> str:
    return "1" if value else "0"


def _request_rows(case: dict, start: datetime.date) -> tuple[dict, dict | None]:
    outcome, outcome_date = _request_outcome(case, start)
    request = {
        "PersonID": str(case["child_id"]),
        "RequestID": case["reference"],
        "ReceivedDate": _date(case["received_on"]),
        "RequestSource": _text(case["request_source"]),
        "RYA": NOT_YET_RECORDED_FLAG,
        "RequestOutcomeDate": outcome_date,
        "RequestOutcome": str(outcome),
        "RequestMediation": _flag(case["assess_mediation"]),
        "RequestTribunal": _flag(case["assess_tribunal"]),
        "Exported": NOT_YET_RECORDED_FLAG,
    }
    agreed = case["assessment_decided_on"] and case["status"] != CaseStatus.ASSESSMENT_DECLINED
    if not agreed:
        return request, None
    decision, decision_date = _assessment_outcome(case, start)
    assessment = {
        "RequestID": case["reference"],
        "AssessmentOutcome": str(decision),
        "AssessmentOutcomeDate": decision_date,
        "AssessmentMediation": _flag(case["issue_mediation"]),
        "AssessmentTribunal": _flag(case["issue_tribunal"]),
        "OtherMediation": NOT_YET_RECORDED_FLAG,
        "OtherTribunal": NOT_YET_RECORDED_FLAG,
        "Week20": "1" if case["has_exception"] else "0",
    }
    return request, assessment


def _placement(plan: dict, request_id: str, *, with_dates: bool) -> dict:
    row = {
        "RequestID": request_id,
        "URN": plan["setting_urn"],
        "UKPRN": "",
        "SENSetting": plan["sen_setting"],
        "SENSettingOther": "",
        "PlacementRank": "1",
        "SENunitIndicator": "",
        "ResourcedProvisionIndicator": "",
    }
    if with_dates:
        row = {**row, "EntryDate": "", "LeavingDate": ""}
        row = {name: row[name] for name in MODULES["placement_detail"]}
    return row


def _plan_rows(plan: dict, modules: dict, *, year: int, census: datetime.date) -> None:
    request_id = plan["case__reference"] or plan["reference"]
    modules["named_plan"].append(
        {
            "PersonID": str(plan["child_id"]),
            "RequestID": request_id,
            "StartDate": _date(plan["start_date"]),
            "PlanRes": "",
            "PlanWBP": "",
            "PB": "",
            "OA": "",
            "DP": "",
            "CeaseDate": _date(plan["ceased_on"]),
            "CeaseReason": _text(plan["cease_reason"]),
        }
    )
    modules["plan_detail"].append(_placement(plan, request_id, with_dates=False))
    active = plan["start_date"] <= census and (
        plan["ceased_on"] is None or plan["ceased_on"] > census
    )
    if not active:
        return
    transferred = plan["transferred_in_on"]
    in_year = transferred is not None and transferred.year == year
    phase_due = plan["phase_transfer_due"]
    phase_in_year = phase_due is not None and phase_due.year == year
    modules["active_plans"].append(
        {
            "PersonID": str(plan["child_id"]),
            "RequestID": request_id,
            "TransferLA": plan["transferred_in_from_la"] if in_year else "",
            "ReviewMeeting": _date(plan["last_review_meeting_on"]),
            "ReviewOutcome": plan["last_review_outcome"],
            "ReviewDraft": _date(plan["review_draft"]),
            "PhaseTransferDueDate": _date(phase_due) if phase_in_year else "",
            "PhaseTransferFinalDate": _date(plan["phase_transfer_named_on"])
            if phase_in_year
            else "",
            "LastReview": _date(plan["last_review_decision_on"]),
        }
    )
    modules["placement_detail"].append(_placement(plan, request_id, with_dates=True))
    needs = [plan["primary_need"], *plan["secondary_needs"]]
    modules["sen_need"].extend(
        {"RequestID": request_id, "SENtype": need, "SENtypeRank": "1" if rank == 1 else "2"}
        for rank, need in enumerate(needs, start=1)
    )


def sen2_rows(*, year: int) -> dict[str, list[dict]]:
    """Every module's rows for the year: two queries."""
    start = datetime.date(year, 1, 1)
    census = census_date(year + 1)
    modules: dict[str, list[dict]] = {name: [] for name in MODULES}
    people: dict[int, dict] = {}
    for case in sen2_cases(year=year).iterator(chunk_size=5000):
        people.setdefault(case["child_id"], _person(case))
        request, assessment = _request_rows(case, start)
        modules["requests"].append(request)
        if assessment is not None:
            modules["assessment"].append(assessment)
    for plan in sen2_plans(year=year).iterator(chunk_size=5000):
        people.setdefault(plan["child_id"], _person(plan))
        _plan_rows(plan, modules, year=year, census=census)
    modules["person"] = [people[pk] for pk in sorted(people)]
    return modules


def write_module(path: Path, name: str, rows: list[dict]) -> None:
    """One module's CSV, readable by its owner only: it holds children's personal data."""
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with open(descriptor, "w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=MODULES[name])
        writer.writeheader()
        writer.writerows(rows)


def read_module(path: Path) -> list[dict]:
    """A module's CSV read back (the round trip)."""
    with path.open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def export_sen2(*, year: int, output: Path, modules: dict | None = None) -> dict[str, int]:
    """Write one CSV per module into `output` (created if need be)."""
    output.mkdir(parents=True, exist_ok=True)
    modules = modules if modules is not None else sen2_rows(year=year)
    written = {}
    for name, rows in modules.items():
        path = output / f"sen2_{year}_{name}.csv"
        write_module(path, name, rows)
        written[path.name] = len(rows)
    return written
