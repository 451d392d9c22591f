"""The case's stored forecast risk input (issue 19, decision 0190): `Case.forecast_to_miss`,
true while the case's stored forecast has its final plan after week 20. Kept by the nightly
recompute (set-based, after it writes the forecasts) and by `CaseForecast.save()`.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import Exists, OuterRef

from cases.models import Case, case_risk_inputs_set, cases_flag_for_recheck

from .models import CaseForecast

#: Every case at once: clear the cases no longer forecast to miss, then set the new ones.
SYNC = [
    """
UPDATE cases_case SET forecast_to_miss = false
WHERE forecast_to_miss AND NOT EXISTS (
  SELECT 1 FROM forecasts_caseforecast f
  WHERE f.case_id = cases_case.id AND f.misses_final_plan
)""",
    """
UPDATE cases_case SET forecast_to_miss = true
FROM forecasts_caseforecast f
WHERE f.case_id = cases_case.id AND f.misses_final_plan AND NOT cases_case.forecast_to_miss""",
]


def forecast_inputs_sync(using=None, *, flag: bool = True) -> int:
    """Set every case's flag from the stored forecasts: two statements, no rows in Python (the
    nightly recompute and the migration's backfill). Returns the cases written."""
    return case_risk_inputs_set(SYNC, using, flag=flag)


def case_forecast_input_refresh(case_ids: Iterable[int]) -> int:
    """Recompute the flag of these cases: one UPDATE."""
    misses = CaseForecast.objects.filter(case_id=OuterRef("pk"), misses_final_plan=True)
    case_ids = list(case_ids)
    written = Case.objects.filter(pk__in=case_ids).update(forecast_to_miss=Exists(misses))
    cases_flag_for_recheck(case_ids)
    return written
