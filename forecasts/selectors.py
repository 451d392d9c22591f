"""Reads of forecasts: each a fixed number of queries, reading stored columns."""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import ObjectDoesNotExist
from django.db.models import Count, Q

from cases.models import OPEN_STATUSES, Case

from .models import BacktestResult, CaseForecast, StageDuration

MILESTONE_ROWS = (
    ("decision_to_assess", "Decision whether to assess", "decision_to_assess_due"),
    ("statutory_panel_decision", "Statutory panel decision", "statutory_panel_decision_due"),
    ("draft_plan", "Draft plan issued", "draft_plan_due"),
    ("final_plan", "Final plan issued", "final_plan_due"),
)


@dataclass(frozen=True)
class MilestoneForecast:
    label: str
    due: object
    likely: object
    pessimistic: object

    @property
    def late(self) -> bool:
        return self.likely is not None and self.likely > self.due


@dataclass(frozen=True)
class CaseForecastView:
    forecast: CaseForecast | None
    milestones: list[MilestoneForecast]


def case_forecast_get(*, case: Case) -> CaseForecastView:
    """One case's stored forecast with its milestones beside their due dates (no query when the
    case was read by cases.selectors.case_get, which joins it)."""
    try:
        forecast = case.forecast
    except ObjectDoesNotExist:
        forecast = None
    milestones = []
    if forecast is not None:
        for key, label, due_field in MILESTONE_ROWS:
            likely = getattr(forecast, f"{key}_likely_on")
            pessimistic = getattr(forecast, f"{key}_pessimistic_on")
            if likely is None and pessimistic is None and not forecast.no_history:
                continue
            milestones.append(
                MilestoneForecast(label, getattr(case, due_field), likely, pessimistic)
            )
    return CaseForecastView(forecast, milestones)


def _to_miss():
    return CaseForecast.objects.filter(
        misses_final_plan=True, case__status__in=OPEN_STATUSES
    ).exclude(case__child__restricted_on__isnull=False)


def cases_forecast_to_miss(*, today, limit: int = 25):
    """Open cases forecast to miss 20 weeks whose final plan is not yet due (there is still
    time to act), the soonest due first; never a case of a restricted child. One query."""
    return (
        _to_miss()
        .filter(case__final_plan_due__gte=today)
        .select_related("case", "case__child")
        .order_by("case__final_plan_due", "case_id")[:limit]
    )


def forecast_to_miss_counts(*, today) -> dict:
    """How many are forecast to miss with time still to act, and how many are already past
    week 20 (one query)."""
    counts = _to_miss().aggregate(
        total=Count("case_id"),
        already_late=Count("case_id", filter=Q(case__final_plan_due__lt=today)),
    )
    return {**counts, "still_time": counts["total"] - counts["already_late"]}


def latest_backtest() -> BacktestResult | None:
    return BacktestResult.objects.first()


STAGE_NAMES = {
    "received": "Deciding whether to assess",
    "assessing": "Assessing (to the statutory panel's decision)",
    "drafting": "Writing the draft plan",
    "draft_issued": "From draft plan to final plan",
}


def stage_durations_for_page() -> list[dict]:
    """The stored durations with their names (two queries)."""
    rows = []
    for row in StageDuration.objects.select_related("service").order_by("kind", "key"):
        if row.kind == "stage":
            name = STAGE_NAMES.get(row.key, row.key)
        elif row.service is not None:
            name = f"Advice from {row.service.name}"
        else:
            name = "Parent and child views (gathered by the SEN team)"
        rows.append({"name": name, "row": row, "stage": row.kind == "stage"})
    rows.sort(
        key=lambda item: (
            not item["stage"],
            list(STAGE_NAMES).index(item["row"].key) if item["stage"] else 0,
            item["name"],
        )
    )
    return rows
