"""The council's own history of how long things took, read from the audit trail's effective
dates (each case transition) and the advice requests' dates (decision 0125).

A *spell* is one stay of a case in one stage: it starts at the effective date of the transition
into the stage (the received date for `received`) and ends at the effective date of the
transition out. Leaving by withdrawal is not finishing: the spell is censored there (we never
learn how long it would have taken). A spell still open is censored at today. Advice: from the
date the provider received the request to its first submission (or its decline); a cancelled
request is censored at its cancellation; an outstanding one at today.

Two readers: `grouped_*` count spells in SQL grouped by (key, days, finished), which is all
Kaplan-Meier needs (a few thousand rows whatever the number of cases); `*_spells` return every
spell with its dates, for the backtest, which must see the history as it stood on past dates.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db import connection

from cases.models import CaseStatus

#: The open stages in order, and the milestone that ends each (section 6).
STAGES = (
    CaseStatus.RECEIVED.value,
    CaseStatus.ASSESSING.value,
    CaseStatus.DRAFTING.value,
    CaseStatus.DRAFT_ISSUED.value,
)
STAGE_MILESTONES = {
    CaseStatus.RECEIVED.value: "decision_to_assess",
    CaseStatus.ASSESSING.value: "statutory_panel_decision",
    CaseStatus.DRAFTING.value: "draft_plan",
    CaseStatus.DRAFT_ISSUED.value: "final_plan",
}
WITHDRAWN = CaseStatus.WITHDRAWN.value
PARENT_VIEWS_KEY = "parent_views"


def _days(later: str, earlier: str) -> str:
    """Whole days from `earlier` to `later` in this database's SQL."""
    if connection.vendor == "postgresql":
        return f"({later} - {earlier})"
    return f"CAST(julianday({later}) - julianday({earlier}) AS INTEGER)"


def _entry(started: str) -> str:
    """Days from the spell's start to the window's start (a bound parameter), or 0: the spell's
    delayed entry (forecasts.survival.kaplan_meier)."""
    days = _days("%s", started)
    if connection.vendor == "postgresql":
        return f"GREATEST({days}, 0)"
    return f"MAX({days}, 0)"


def _stage_list() -> str:
    return ", ".join(f"'{stage}'" for stage in STAGES)


_TRANSITIONS = """
SELECT a.case_id AS case_id, a.from_state AS stage, a.to_state AS to_state,
       a.effective_date AS ended_on,
       LAG(a.effective_date) OVER (
         PARTITION BY a.case_id ORDER BY a.effective_date, a.id
       ) AS previous_on
FROM audit_auditentry a
WHERE a.case_id IS NOT NULL AND a.verb LIKE 'case.%%' AND a.from_state <> ''
  AND a.to_state <> '' AND a.from_state <> a.to_state AND a.effective_date IS NOT NULL
"""


_ENDED_STAGE_SPELLS = """
WITH t AS ({transitions})
SELECT t.stage, {days} AS days,
       CASE WHEN t.to_state = '{withdrawn}' THEN 0 ELSE 1 END AS finished, COUNT(*),
       {entry} AS entry
FROM t JOIN cases_case c ON c.id = t.case_id
WHERE t.stage IN ({stages}) AND t.ended_on >= %s AND t.ended_on <= %s
GROUP BY 1, 2, 3, 5
"""
_OPEN_STAGE_SPELLS = """
SELECT c.status, {days} AS days, 0 AS finished, COUNT(*), {entry} AS entry
FROM cases_case c WHERE c.status IN ({stages}) AND c.status_changed_on <= %s
GROUP BY 1, 2, 3, 5
"""
_ADVICE_ENDED = "COALESCE(r.first_submitted_on, r.declined_on, r.cancelled_on)"
_ADVICE_SPELLS = """
SELECT r.service_id, {days} AS days,
       CASE WHEN r.first_submitted_on IS NOT NULL OR r.declined_on IS NOT NULL
            THEN 1 ELSE 0 END AS finished,
       COUNT(*), {entry} AS entry
FROM advice_requests_advicerequest r
WHERE r.requested_on <= %s
  AND ({ended} IS NULL OR ({ended} >= %s AND {ended} <= %s))
GROUP BY 1, 2, 3, 5
"""
_ALL_STAGE_SPELLS = """
WITH t AS ({transitions})
SELECT t.case_id, t.stage, COALESCE(t.previous_on, c.received_on), t.ended_on, t.to_state
FROM t JOIN cases_case c ON c.id = t.case_id WHERE t.stage IN ({stages})
"""
_OPEN_CASES = """
SELECT c.id, c.status, c.status_changed_on FROM cases_case c WHERE c.status IN ({stages})
"""


def _sql(template: str, **parts: str) -> str:
    """A statement from this module's constants (never from input; values are bound)."""
    return template.format(
        transitions=_TRANSITIONS,
        stages=_stage_list(),
        withdrawn=WITHDRAWN,
        ended=_ADVICE_ENDED,
        **parts,
    )


def grouped_stage_spells(*, window_from: datetime.date, today: datetime.date) -> list[tuple]:
    """(stage, days, finished, count): spells that ended in the window, and (censored at today)
    every open case's current spell. Two grouped statements."""
    started = "COALESCE(t.previous_on, c.received_on)"
    ended_sql = _sql(
        _ENDED_STAGE_SPELLS,
        days=_days("t.ended_on", started),
        entry=_entry(started),
    )
    open_sql = _sql(
        _OPEN_STAGE_SPELLS,
        days=_days("%s", "c.status_changed_on"),
        entry=_entry("c.status_changed_on"),
    )
    with connection.cursor() as cursor:
        cursor.execute(ended_sql, [window_from, window_from, today])
        rows = list(cursor.fetchall())
        cursor.execute(open_sql, [today, window_from, today])
        rows += list(cursor.fetchall())
    return [
        (stage, int(days), bool(finished), int(count), int(entry))
        for stage, days, finished, count, entry in rows
    ]


def grouped_advice_spells(*, window_from: datetime.date, today: datetime.date) -> list[tuple]:
    """(service key, days, finished, count): advice that ended in the window (first submitted,
    declined or cancelled) and, censored at today, advice still outstanding. One statement."""
    sql = _sql(
        _ADVICE_SPELLS,
        days=_days(f"COALESCE({_ADVICE_ENDED}, %s)", "r.requested_on"),
        entry=_entry("r.requested_on"),
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [today, window_from, today, window_from, today])
        rows = cursor.fetchall()
    return [
        (service_key(service_id), int(days), bool(finished), int(count), int(entry))
        for service_id, days, finished, count, entry in rows
    ]


def service_key(service_id) -> str:
    """Parent views are gathered by the SEN team, not a service (decision 0020)."""
    return PARENT_VIEWS_KEY if service_id is None else str(service_id)


@dataclass(frozen=True)
class Spell:
    """One stay in a stage (or one advice request): `ended_on` None while still open."""

    key: str
    case_id: int
    started_on: datetime.date
    ended_on: datetime.date | None
    finished: bool


def stage_spells() -> list[Spell]:
    """Every stage spell, with its dates (the backtest's history): finished, withdrawn and the
    open ones. One statement for the transitions, one for the open cases' current spells."""
    sql = _sql(_ALL_STAGE_SPELLS)
    open_sql = _sql(_OPEN_CASES)
    with connection.cursor() as cursor:
        cursor.execute(sql)
        rows = cursor.fetchall()
        cursor.execute(open_sql)
        open_rows = cursor.fetchall()
    spells = [
        Spell(stage, case_id, _date(started), _date(ended), to_state != WITHDRAWN)
        for case_id, stage, started, ended, to_state in rows
    ]
    spells += [Spell(status, pk, _date(since), None, False) for pk, status, since in open_rows]
    return spells


def advice_spells() -> list[Spell]:
    """Every advice request as a spell keyed by its service (the backtest's history)."""
    sql = """
    SELECT r.case_id, r.service_id, r.requested_on, r.first_submitted_on, r.declined_on,
           r.cancelled_on
    FROM advice_requests_advicerequest r
    """
    with connection.cursor() as cursor:
        cursor.execute(sql)
        rows = cursor.fetchall()
    spells = []
    for case_id, service_id, requested, submitted, declined, cancelled in rows:
        finished_on = _date(submitted) or _date(declined)
        ended = finished_on or _date(cancelled)
        spells.append(
            Spell(
                service_key(service_id), case_id, _date(requested), ended, finished_on is not None
            )
        )
    return spells


def _date(value) -> datetime.date | None:
    if value is None or isinstance(value, datetime.date):
        return value
    return datetime.date.fromisoformat(str(value)[:10])
