"""The case's stored plan risk inputs (section 6, decision 0190): the earliest due date of a
school or college consultation not yet answered (s39: 15 days), and of a decision letter not
yet sent to the family (5 working days). The case is at risk from the day after either; the
risk expression reads them as columns.

Kept by `Consultation.save()` and `DecisionNotice.save()` (every service goes through them)
for the one case saved (a new unsent notice by `case_letter_due_include`, the rest by
`case_plan_inputs_refresh`); `plan_inputs_backfill` sets every case at once, set-based.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import F, OuterRef, Subquery, Value
from django.db.models.functions import Coalesce, Least

from cases.models import Case, case_risk_inputs_set, cases_flag_for_recheck

from .letter_models import DecisionNotice
from .models import Consultation


def case_plan_inputs_refresh(case_ids: Iterable[int]) -> int:
    """Recompute both stored inputs of these cases: one UPDATE."""
    consultation = (
        Consultation.objects.filter(plan__case_id=OuterRef("pk"), answer="")
        .order_by("due_on")
        .values("due_on")[:1]
    )
    letter = (
        DecisionNotice.objects.filter(case_id=OuterRef("pk"), family_notified_on__isnull=True)
        .order_by("letter_due_on")
        .values("letter_due_on")[:1]
    )
    case_ids = list(case_ids)
    written = Case.objects.filter(pk__in=case_ids).update(
        consultation_answer_due=Subquery(consultation), decision_letter_due=Subquery(letter)
    )
    cases_flag_for_recheck(case_ids)
    return written


def case_letter_due_include(case_id: int, due_on) -> None:
    """A new decision notice, not yet sent: the case's letter due date becomes the earlier of
    the one stored and this one, which is what `case_plan_inputs_refresh` would work out,
    without reading the case's notices and consultations again (one short UPDATE)."""
    Case.objects.filter(pk=case_id).update(
        decision_letter_due=Least(Coalesce(F("decision_letter_due"), Value(due_on)), Value(due_on))
    )
    cases_flag_for_recheck([case_id])


#: Every case at once (the migration's backfill): clear what no longer holds, then one
#: UPDATE ... FROM per input, grouped by case.
BACKFILL = [
    """
UPDATE cases_case SET consultation_answer_due = NULL
WHERE consultation_answer_due IS NOT NULL AND NOT EXISTS (
  SELECT 1 FROM plans_consultation k JOIN plans_plan p ON p.id = k.plan_id
  WHERE p.case_id = cases_case.id AND k.answer = ''
)""",
    """
UPDATE cases_case SET consultation_answer_due = k.due_on
FROM (
  SELECT p.case_id, min(k.due_on) AS due_on FROM plans_consultation k
  JOIN plans_plan p ON p.id = k.plan_id WHERE k.answer = '' GROUP BY p.case_id
) k
WHERE k.case_id = cases_case.id
  AND cases_case.consultation_answer_due IS DISTINCT FROM k.due_on""",
    """
UPDATE cases_case SET decision_letter_due = NULL
WHERE decision_letter_due IS NOT NULL AND NOT EXISTS (
  SELECT 1 FROM plans_decisionnotice n
  WHERE n.case_id = cases_case.id AND n.family_notified_on IS NULL
)""",
    """
UPDATE cases_case SET decision_letter_due = n.due_on
FROM (
  SELECT case_id, min(letter_due_on) AS due_on FROM plans_decisionnotice
  WHERE family_notified_on IS NULL GROUP BY case_id
) n
WHERE n.case_id = cases_case.id
  AND cases_case.decision_letter_due IS DISTINCT FROM n.due_on""",
]


def plan_inputs_backfill(using=None, *, flag: bool = True) -> int:
    """Set every case's two plan inputs: four statements, no rows in Python."""
    return case_risk_inputs_set(BACKFILL, using, flag=flag)
