# ruff: noqa: S608 - SQL built only from the status constants of this app.
"""The case's stored advice risk input (section 6, decision 0190): the earliest due date of its
advice still outstanding. A case is at risk from the day after that date (reg 8(1): advice is
late once its six weeks have passed), which the risk expression reads as a column.

Kept by `AdviceRequest.save()` (every service, hook and the demo go through it) for the one
case saved; writers that bypass `save()` (the benchmark generator's COPY, bulk test data)
call `case_advice_due_refresh` or `advice_due_backfill` for what they wrote.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import OuterRef, Subquery

from cases.models import Case, case_risk_inputs_set, cases_flag_for_recheck

from .models import OUTSTANDING_STATUSES, AdviceRequest


def case_advice_due_refresh(case_ids: Iterable[int]) -> int:
    """Recompute the stored input of these cases from their advice requests: one UPDATE."""
    earliest = (
        AdviceRequest.objects.filter(case_id=OuterRef("pk"), status__in=OUTSTANDING_STATUSES)
        .order_by("due_on")
        .values("due_on")[:1]
    )
    case_ids = list(case_ids)
    written = Case.objects.filter(pk__in=case_ids).update(outstanding_advice_due=Subquery(earliest))
    cases_flag_for_recheck(case_ids)
    return written


_OUTSTANDING = ", ".join(f"'{status}'" for status in OUTSTANDING_STATUSES)

#: Every case at once, set-based (the migration's backfill and the generator): clear what no
#: longer holds, then one UPDATE ... FROM the outstanding requests grouped by case.
BACKFILL = [
    f"""
UPDATE cases_case SET outstanding_advice_due = NULL
WHERE outstanding_advice_due IS NOT NULL AND NOT EXISTS (
  SELECT 1 FROM advice_requests_advicerequest a
  WHERE a.case_id = cases_case.id AND a.status IN ({_OUTSTANDING})
)""",  # nosec B608 - built from the status constants, no input
    f"""
UPDATE cases_case SET outstanding_advice_due = a.due_on
FROM (
  SELECT case_id, min(due_on) AS due_on FROM advice_requests_advicerequest
  WHERE status IN ({_OUTSTANDING}) GROUP BY case_id
) a
WHERE a.case_id = cases_case.id
  AND cases_case.outstanding_advice_due IS DISTINCT FROM a.due_on""",  # nosec B608 - constants
]


def advice_due_backfill(using=None, *, flag: bool = True) -> int:
    """Set every case's stored input from the advice requests: two statements, no rows in
    Python, seconds at 1,000,000 cases. Returns the cases written."""
    return case_risk_inputs_set(BACKFILL, using, flag=flag)
