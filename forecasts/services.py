# ruff: noqa: S608 - SQL built only from the column constants below; values are bound parameters.
"""Writes: the nightly recompute (stage durations, then every open case's forecast) and a
service's declared capacity. Safe to run twice: the recompute replaces what it wrote."""

from __future__ import annotations

import datetime
import json
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection, transaction
from django.db.models import Count, Q

from advice_requests.models import AdviceKind, AdviceRequest, PartnerService
from audit.services import audit_record
from cases.errors import CaseForbiddenError
from cases.models import OPEN_STATUSES, Case, CaseStatus
from panels.models import (
    OPEN_MEETING_STATUSES,
    AgendaItem,
    ItemStatus,
    PanelMeeting,
    PanelType,
)

from . import durations
from .access import may_set_capacity
from .forecast import CaseState, OutstandingAdvice, PanelRoom, case_forecast, clock_week
from .history import service_key
from .models import CaseForecast, ServiceCapacity
from .risk_inputs import forecast_inputs_sync

CAPACITY_FORBIDDEN = "Only a manager or a member of this service can set its capacity."
CAPACITY_INVALID = "Enter the advice this service can give a week, as a number from 0 to 9999."
#: Rows written per statement: a few MB of JSON each.
WRITE_BATCH = 20_000
KIND_LABELS = dict(AdviceKind.choices)


@dataclass(frozen=True)
class RecomputeResult:
    durations: int
    forecasts: int
    forecast_to_miss: int


def forecasts_recompute(*, today: datetime.date) -> RecomputeResult:
    """Nightly (ehc_workflow/celery.py): stage durations from the history, then every open
    case's forecast, each stored in a fixed number of set-based statements."""
    window = durations.window_days()
    distributions = durations.distributions_compute(today=today, window=window)
    stored = durations.stage_durations_store(
        distributions=distributions, today=today, window=window
    )
    states = open_case_states(today=today)
    panels = panel_room(today=today)
    # Cases take panel places in the order they are likely ready (earliest first).
    forecasts = [
        case_forecast(state, today=today, distributions=distributions, panels=panels, window=window)
        for state in states
    ]
    by_case = {state.case_id: state for state in states}
    rows = [_row(forecast, by_case[forecast.case_id], today) for forecast in forecasts]
    _write(rows, today=today)
    return RecomputeResult(stored, len(rows), sum(1 for row in rows if row["misses_final_plan"]))


def open_case_states(*, today: datetime.date) -> list[CaseState]:
    """Every open case as the forecast needs it: two queries (cases, outstanding advice)."""
    advice = defaultdict(list)
    outstanding = (
        AdviceRequest.objects.outstanding()
        .filter(case__status=CaseStatus.ASSESSING, requested_on__lte=today)
        .values_list("case_id", "service_id", "kind", "requested_on")
        .order_by()
    )
    for case_id, service_id, kind, requested_on in outstanding.iterator(chunk_size=20_000):
        advice[case_id].append(
            OutstandingAdvice(service_key(service_id), KIND_LABELS.get(kind, kind), requested_on)
        )
    cases = (
        Case.objects.open()
        .filter(status_changed_on__lte=today)
        .values_list(
            "pk",
            "status",
            "received_on",
            "status_changed_on",
            "final_plan_due",
            "decision_to_assess_due",
            "statutory_panel_decision_due",
            "draft_plan_due",
        )
        .order_by("next_milestone_due", "received_on", "pk")
    )
    listed = dict(
        AgendaItem.objects.filter(
            status=ItemStatus.LISTED,
            meeting__status__in=OPEN_MEETING_STATUSES,
            meeting__date__gte=today,
        )
        .order_by("-meeting__date")
        .values_list("case_id", "meeting__date")
    )
    return [
        CaseState(
            pk,
            status,
            received_on,
            changed_on,
            final_due,
            tuple(advice.get(pk, ())),
            listed.get(pk),
            (
                ("decision_to_assess", decision_due),
                ("statutory_panel_decision", panel_due),
                ("draft_plan", draft_due),
            ),
        )
        for (
            pk,
            status,
            received_on,
            changed_on,
            final_due,
            decision_due,
            panel_due,
            draft_due,
        ) in cases.iterator(chunk_size=20_000)
    ]


def panel_room(*, today: datetime.date) -> PanelRoom:
    """The open meetings ahead and the places left on each (capacity - items listed)."""
    meetings = (
        PanelMeeting.objects.filter(status__in=OPEN_MEETING_STATUSES, date__gte=today)
        .annotate(listed=Count("items", filter=Q(items__status=ItemStatus.LISTED)))
        .values_list("date", "panel__panel_type", "panel__capacity", "listed")
    )
    room: dict[str, list[tuple[datetime.date, int]]] = defaultdict(list)
    for date, panel_type, capacity, listed in meetings:
        kind = "statutory" if panel_type == PanelType.STATUTORY else "nap"
        room[kind].append((date, max(capacity - listed, 0)))
    return PanelRoom(room)


def _row(forecast, state: CaseState, today: datetime.date) -> dict:
    final = forecast.final_likely
    return {
        "case_id": forecast.case_id,
        "computed_on": today,
        **{f"{m}_likely_on": forecast.likely.get(m) for m in MILESTONES},
        **{f"{m}_pessimistic_on": forecast.pessimistic.get(m) for m in MILESTONES},
        "final_plan_likely_week": clock_week(state.received_on, final) if final else None,
        "misses_final_plan": bool(final and final > state.final_plan_due),
        "reason": forecast.reason,
        "basis": forecast.basis,
        "no_history": forecast.no_history,
    }


MILESTONES = ("decision_to_assess", "statutory_panel_decision", "draft_plan", "final_plan")
COLUMNS = (
    "case_id",
    "computed_on",
    *(f"{m}_likely_on" for m in MILESTONES),
    *(f"{m}_pessimistic_on" for m in MILESTONES),
    "final_plan_likely_week",
    "misses_final_plan",
    "reason",
    "basis",
    "no_history",
)
_SQL_TYPES = {
    "case_id": "bigint",
    "computed_on": "date",
    "final_plan_likely_week": "int",
    "misses_final_plan": "boolean",
    "reason": "text",
    "basis": "jsonb",
    "no_history": "text",
}


def _sql_type(column: str) -> str:
    return _SQL_TYPES.get(column, "date")


_UPSERT = """
INSERT INTO forecasts_caseforecast ({columns})
SELECT {columns} FROM jsonb_to_recordset(%s::jsonb) AS r({typed})
ON CONFLICT (case_id) DO UPDATE SET {updates}
"""


@transaction.atomic
def _write(rows: list[dict], *, today: datetime.date) -> None:
    """Upsert every forecast, then delete those of cases no longer open (or not recomputed)."""
    if connection.vendor == "postgresql":
        sql = _UPSERT.format(
            columns=", ".join(COLUMNS),
            typed=", ".join(f"{c} {_sql_type(c)}" for c in COLUMNS),
            updates=", ".join(f"{c} = EXCLUDED.{c}" for c in COLUMNS if c != "case_id"),
        )
        with connection.cursor() as cursor:
            for start in range(0, len(rows), WRITE_BATCH):
                batch = rows[start : start + WRITE_BATCH]
                cursor.execute(sql, [json.dumps(batch, cls=DjangoJSONEncoder)])
    else:
        CaseForecast.objects.bulk_create(
            [CaseForecast(**row) for row in rows],
            batch_size=500,
            update_conflicts=True,
            unique_fields=["case"],
            update_fields=[c for c in COLUMNS if c != "case_id"],
        )
    CaseForecast.objects.filter(
        Q(computed_on__lt=today) | ~Q(case__status__in=OPEN_STATUSES)
    ).delete()
    forecast_inputs_sync()


def forecast_to_miss_count() -> int:
    return CaseForecast.objects.filter(misses_final_plan=True).count()


@transaction.atomic
def service_capacity_set(*, actor, service: PartnerService, per_week) -> ServiceCapacity:
    """Section 15: a service declares what it can do a week (audited)."""
    if not may_set_capacity(actor, service):
        raise CaseForbiddenError(CAPACITY_FORBIDDEN)
    try:
        value = Decimal(str(per_week)).quantize(Decimal("0.1"))
    except ArithmeticError as exc:
        raise ValidationError({"per_week": CAPACITY_INVALID}) from exc
    if not value.is_finite() or value < 0 or value > 9999:
        raise ValidationError({"per_week": CAPACITY_INVALID})
    previous = ServiceCapacity.objects.filter(service=service).values_list("per_week", flat=True)
    before = str(previous.first()) if previous else ""
    capacity, _ = ServiceCapacity.objects.update_or_create(
        service=service, defaults={"per_week": value, "updated_by": actor}
    )
    audit_record(
        actor=actor,
        verb="partner_service.capacity_set",
        target=service,
        from_state=before,
        to_state=str(value),
        payload={"per_week": str(value)},
    )
    return capacity
