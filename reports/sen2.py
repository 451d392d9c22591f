"""A SEN2-ready export: person-level CSVs for the DfE SEN2 modules a case tracker holds.

Column names are the DfE item names; every column and code list, with its source and what is
not confirmed, is documented in docs/sen2.md (keep the two in step: a test checks every column
named here appears there). The export is a starting point for the return, not the return:
the council's SEN2 software adds the items this system does not hold (placements, ceased
plans, reviews) and maps the outcome values docs/sen2.md marks as unconfirmed.

Which cases: received on or before 31 December of `year`, and not closed (declined or
withdrawn) before 1 January of it. Plans issued in any earlier year are included as named
plans, since this system does not record when a plan ceases.
"""

from __future__ import annotations

import csv
import datetime
import os
from pathlib import Path

from django.db.models import Q

from cases.models import Case, CaseStatus

from .disagreement import with_disagreement_flags
from .timeliness import has_agreed_exception

#: Module file -> its columns. `PersonID` and `RequestID` are this export's linking keys
#: (the child's id in this system and the case reference), not DfE items.
MODULES: dict[str, tuple[str, ...]] = {
    "person": ("PersonID", "Surname", "Forename", "PersonBirthDate", "UPN"),
    "requests": (
        "PersonID",
        "RequestID",
        "ReceivedDate",
        "RequestSource",
        "RequestOutcomeDate",
        "RequestOutcome",
        "RequestMediation",
        "RequestTribunal",
    ),
    "assessment": (
        "RequestID",
        "AssessmentOutcome",
        "AssessmentOutcomeDate",
        "AssessmentMediation",
        "AssessmentTribunal",
        "Week20",
    ),
    "named_plan": ("RequestID", "StartDate"),
    "sen_need": ("RequestID", "SENtype", "SENtypeRank"),
}

#: This system's values for the outcome items (the DfE code lists were not confirmed: see
#: docs/sen2.md). Blank while the decision is still to be made.
REQUEST_OUTCOMES = ("agreed_to_assess", "declined_to_assess", "withdrawn")
ASSESSMENT_OUTCOMES = {"agreed": "agreed_to_issue", "declined": "declined_to_issue"}
CLOSED_WITHOUT_PLAN = (
    CaseStatus.ASSESSMENT_DECLINED,
    CaseStatus.PLAN_DECLINED,
    CaseStatus.WITHDRAWN,
)


def _date(value: datetime.date | None) -> str:
    return value.isoformat() if value else ""


def sen2_cases(*, year: int):
    """The cases in the year's return, with their child and Week20 flag: one query."""
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
        .select_related("child")
        .annotate(has_exception=has_agreed_exception(), **with_disagreement_flags())
        .order_by("child_id", "received_on", "pk")
    )


def _request_outcome(case: Case) -> tuple[str, str]:
    if case.assessment_decided_on:
        # A refusal overturned on appeal keeps its original outcome (sen2.md, module 2).
        if case.status == CaseStatus.ASSESSMENT_DECLINED or case.assess_disputed:
            return "declined_to_assess", _date(case.assessment_decided_on)
        return "agreed_to_assess", _date(case.assessment_decided_on)
    if case.status == CaseStatus.WITHDRAWN:
        return "withdrawn", _date(case.withdrawn_on)
    return "", ""


def sen2_rows(*, year: int) -> dict[str, list[dict]]:
    """Every module's rows for the year, from one query."""
    modules: dict[str, list[dict]] = {name: [] for name in MODULES}
    people_seen = set()
    for case in sen2_cases(year=year):
        child = case.child
        if child.pk not in people_seen:
            people_seen.add(child.pk)
            modules["person"].append(
                {
                    "PersonID": child.pk,
                    "Surname": child.last_name,
                    "Forename": child.first_name,
                    "PersonBirthDate": _date(child.date_of_birth),
                    "UPN": child.upn,
                }
            )
        outcome, outcome_date = _request_outcome(case)
        modules["requests"].append(
            {
                "PersonID": child.pk,
                "RequestID": case.reference,
                "ReceivedDate": _date(case.received_on),
                "RequestSource": case.request_source,
                "RequestOutcomeDate": outcome_date,
                "RequestOutcome": outcome,
                "RequestMediation": int(case.assess_mediation),
                "RequestTribunal": int(case.assess_tribunal),
            }
        )
        if outcome != "agreed_to_assess":
            continue
        decision = ""
        if case.plan_decided_on:
            declined = case.status == CaseStatus.PLAN_DECLINED or case.issue_disputed
            decision = "declined" if declined else "agreed"
        modules["assessment"].append(
            {
                "RequestID": case.reference,
                "AssessmentOutcome": ASSESSMENT_OUTCOMES.get(decision, ""),
                "AssessmentOutcomeDate": _date(case.plan_decided_on),
                "AssessmentMediation": int(case.issue_mediation),
                "AssessmentTribunal": int(case.issue_tribunal),
                "Week20": 1 if case.has_exception else 0,
            }
        )
        if case.final_issued_on:
            modules["named_plan"].append(
                {"RequestID": case.reference, "StartDate": _date(case.final_issued_on)}
            )
            needs = [case.primary_need, *case.secondary_needs]
            modules["sen_need"].extend(
                {"RequestID": case.reference, "SENtype": need, "SENtypeRank": rank}
                for rank, need in enumerate(needs, start=1)
            )
    return modules


def export_sen2(*, year: int, output: Path) -> dict[str, int]:
    """Write one CSV per module into `output` (created if need be), readable only by the
    owner: the files hold children's personal data (ehc-process.md section 8)."""
    output.mkdir(parents=True, exist_ok=True)
    written = {}
    for name, rows in sen2_rows(year=year).items():
        path = output / f"sen2_{year}_{name}.csv"
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with open(descriptor, "w", newline="", encoding="utf-8") as handle:
            writer = csv.DictWriter(handle, fieldnames=MODULES[name])
            writer.writeheader()
            writer.writerows(rows)
        written[path.name] = len(rows)
    return written
