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
from .forecast import CaseState, OutstandingAdvice, PanelRoom, clock_week, forecast_groups
from .history import service_key
from .models import CaseForecast, ServiceCapacity
from .risk_inputs import forecast_inputs_sync

CAPACITY_FORBIDDEN = "Only a manager or a member of this service can set its capacity."
CAPACITY_INVALID = "Enter the advice this service can give a week, as a number from 0 to 9999."
KIND_LABELS = dict(AdviceKind.choices)


@dataclass(frozen=True)
class RecomputeResult:
    durations: int
    forecasts: int
    forecast_to_miss: int


def forecasts_recompute(*, today: datetime.date) -> RecomputeResult:
    """Nightly (ehc_workflow/celery.py): stage durations from the history, then every open
    case's forecast, each stored in a fixed number of set-based statements. The forecasts are
    worked out once per group of cases sharing their inputs (`forecast_groups`) and written
    once per group, each case pointing at its group (decision 0185)."""
    window = durations.window_days()
    distributions = durations.distributions_compute(today=today, window=window)
    stored = durations.stage_durations_store(
        distributions=distributions, today=today, window=window
    )
    states = open_case_states(today=today)
    panels = panel_room(today=today)
    # Cases take panel places in the order they are likely ready (earliest first).
    grouped = forecast_groups(
        states, today=today, distributions=distributions, panels=panels, window=window
    )
    written, to_miss = _write(grouped, today=today)
    return RecomputeResult(stored, written, to_miss)


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


def _row(state: CaseState, forecast, reason: str, today: datetime.date) -> dict:
    """One case's stored forecast: the group's dates and basis, the case's own week and reason."""
    return {
        "case_id": state.case_id,
        "computed_on": today,
        **{f"{m}_likely_on": forecast.likely.get(m) for m in MILESTONES},
        **{f"{m}_pessimistic_on": forecast.pessimistic.get(m) for m in MILESTONES},
        **_own_columns(state, forecast, reason),
        "basis": forecast.basis,
        "no_history": forecast.no_history,
    }


def _own_columns(state: CaseState, forecast, reason: str) -> dict:
    """What differs between cases sharing a forecast: the clock week and "misses" (from the
    case's received and due dates) and the reason."""
    return dict(zip(OWN_COLUMNS, _own_values(state, forecast, reason), strict=True))


def _own_values(state: CaseState, forecast, reason: str) -> tuple:
    final = forecast.likely.get("final_plan")
    if not final:
        return None, False, reason
    return clock_week(state.received_on, final), final > state.final_plan_due, reason


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


#: What a group of cases shares (`forecast_groups`), and what each case has of its own.
GROUP_COLUMNS = (
    *(f"{m}_likely_on" for m in MILESTONES),
    *(f"{m}_pessimistic_on" for m in MILESTONES),
    "basis",
    "no_history",
)
OWN_COLUMNS = ("final_plan_likely_week", "misses_final_plan", "reason")
_STAGING = """
DROP TABLE IF EXISTS forecast_group_staging, forecast_case_staging;
CREATE TEMPORARY TABLE forecast_group_staging (group_id int PRIMARY KEY, {group_typed});
CREATE TEMPORARY TABLE forecast_case_staging (case_id bigint, group_id int, {own_typed});
"""
_DELETE_NOT_STAGED = """
DELETE FROM forecasts_caseforecast f
WHERE NOT EXISTS (SELECT 1 FROM forecast_case_staging c WHERE c.case_id = f.case_id)
"""
_UPSERT = """
INSERT INTO forecasts_caseforecast ({columns})
SELECT {read}
FROM forecast_case_staging c JOIN forecast_group_staging g ON g.group_id = c.group_id
ON CONFLICT (case_id) DO UPDATE SET {updates}
"""


def _staged(column: str) -> str:
    """Where the upsert reads a column from: the group's row, the case's, or today."""
    if column == "computed_on":
        return "%s::date"
    return f"g.{column}" if column in GROUP_COLUMNS else f"c.{column}"


def _typed(columns) -> str:
    return ", ".join(f"{c} {_sql_type(c)}" for c in columns)


@transaction.atomic
def _write(grouped, *, today: datetime.date) -> tuple[int, int]:
    """Store every case's forecast and delete those of cases no longer open (or not
    recomputed). PostgreSQL: each group's forecast and each case's own columns are copied into
    two staging tables; one statement deletes the rows of cases not staged, one upsert joins
    the two. Returns (forecasts written, forecast to miss)."""
    written = to_miss = 0
    if connection.vendor != "postgresql":
        rows = [_row(state, forecast, reason, today) for state, forecast, reason in grouped]
        CaseForecast.objects.bulk_create(
            [CaseForecast(**row) for row in rows],
            batch_size=500,
            update_conflicts=True,
            unique_fields=["case"],
            update_fields=[c for c in COLUMNS if c != "case_id"],
        )
        written, to_miss = len(rows), sum(1 for row in rows if row["misses_final_plan"])
        CaseForecast.objects.filter(
            Q(computed_on__lt=today) | ~Q(case__status__in=OPEN_STATUSES)
        ).delete()
    else:
        with connection.cursor() as cursor:
            cursor.execute(
                _STAGING.format(group_typed=_typed(GROUP_COLUMNS), own_typed=_typed(OWN_COLUMNS))
            )
            groups: dict[int, int] = {}  # id(the group's forecast) -> its number
            forecasts = []  # keeps each group's forecast alive, so no id() is reused
            raw = cursor.cursor
            with raw.copy(
                f"COPY forecast_case_staging (case_id, group_id, {', '.join(OWN_COLUMNS)}) "
                "FROM STDIN"
            ) as copy:
                for state, forecast, reason in grouped:
                    number = groups.get(id(forecast))
                    if number is None:
                        number = groups[id(forecast)] = len(forecasts)
                        forecasts.append(forecast)
                    own = _own_values(state, forecast, reason)
                    copy.write_row((state.case_id, number, *own))
                    written += 1
                    to_miss += own[1]
            with raw.copy(
                f"COPY forecast_group_staging (group_id, {', '.join(GROUP_COLUMNS)}) FROM STDIN"
            ) as copy:
                for number, forecast in enumerate(forecasts):
                    copy.write_row(
                        (
                            number,
                            *(forecast.likely.get(m) for m in MILESTONES),
                            *(forecast.pessimistic.get(m) for m in MILESTONES),
                            json.dumps(forecast.basis),
                            forecast.no_history,
                        )
                    )
            # Rows of cases not forecast in this run (no longer open), before the upsert: on
            # an empty table (a first run) there is then nothing to look through.
            cursor.execute(_DELETE_NOT_STAGED)
            cursor.execute(
                _UPSERT.format(
                    columns=", ".join(COLUMNS),
                    read=", ".join(_staged(c) for c in COLUMNS),
                    updates=", ".join(f"{c} = EXCLUDED.{c}" for c in COLUMNS if c != "case_id"),
                ),
                [today],
            )
            cursor.execute("DROP TABLE forecast_group_staging, forecast_case_staging")
    # The cases' stored risk input (decision 0190) from the forecasts just written.
    forecast_inputs_sync()
    return written, to_miss


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
