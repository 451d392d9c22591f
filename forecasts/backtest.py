"""The backtest: replay the history, forecast each case as it stood at week 8 using only what
was known on that day, and compare with what happened (ehc-process.md section 15; decision
0128).

- Which cases: those whose week 8 (received + 56 days) fell in the period, and whose outcome is
  known by `today`: a final plan issued, or still open after its final plan was due (a known
  breach). Cases declined or withdrawn never get a final plan: they are left out (the forecast
  assumes a plan, as the dashboard's does).
- What was known at week 8: the case's stage and the day it entered it, its advice then still
  outstanding, and the stage and advice durations from the spells of the window before that
  day (spells still open that day censored at it). The durations are recomputed weekly (each
  Monday on or before the week-8 day), so a case's forecast never sees a later spell. Panel
  room is not replayed (the agendas of the past are not kept as they stood): no snapping.
- Figures: the median absolute error in days of the likely final plan date (cases issued a
  plan); of the 20-week breaches, the share forecast to miss at week 8; the false alarms
  (forecast to miss, but issued on time).
"""

from __future__ import annotations

import datetime
import statistics
from collections import Counter, defaultdict
from dataclasses import dataclass

from django.db import connection
from django.utils import timezone

from .durations import Distributions, curves_from_rows, service_names
from .forecast import CaseState, OutstandingAdvice, case_forecast
from .history import Spell, advice_spells, stage_spells
from .models import BacktestResult

WEEK_8 = 56


@dataclass(frozen=True)
class CaseOutcome:
    case_id: int
    received_on: datetime.date
    final_plan_due: datetime.date
    final_issued_on: datetime.date | None
    open: bool
    due: tuple[tuple[str, datetime.date], ...] = ()


@dataclass
class BacktestFigures:
    period_from: datetime.date
    period_to: datetime.date
    cases: int = 0
    median_absolute_error_days: int | None = None
    breaches: int = 0
    breaches_flagged: int = 0
    flagged: int = 0
    false_alarms: int = 0
    no_forecast: int = 0


def monday_on_or_before(day: datetime.date) -> datetime.date:
    return day - datetime.timedelta(days=day.weekday())


def curves_as_of(spells: list[Spell], *, as_of: datetime.date, window: int) -> dict:
    """Curves from what was known on `as_of`: spells ended in the window before it (finished,
    or withdrawn/cancelled: censored) and spells open on it (censored at it); a spell begun
    before the window enters late (forecasts.survival.kaplan_meier)."""
    window_from = as_of - datetime.timedelta(days=window)
    counts: Counter = Counter()
    for spell in spells:
        if spell.started_on > as_of:
            continue
        entry = max((window_from - spell.started_on).days, 0)
        if spell.ended_on is not None and spell.ended_on <= as_of:
            if spell.ended_on >= window_from:
                days = (spell.ended_on - spell.started_on).days
                counts[(spell.key, days, spell.finished, entry)] += 1
        else:
            counts[(spell.key, (as_of - spell.started_on).days, False, entry)] += 1
    return curves_from_rows([(k, d, f, n, e) for (k, d, f, e), n in counts.items()])


def backtest_run(
    *,
    stages: list[Spell],
    advice: list[Spell],
    outcomes: list[CaseOutcome],
    today: datetime.date,
    period_from: datetime.date,
    window: int = 365,
    names: dict[str, str] | None = None,
) -> BacktestFigures:
    """Pure: the figures from spells and outcomes (see the module's docstring)."""
    figures = BacktestFigures(period_from=period_from, period_to=today)
    stages_by_case = defaultdict(list)
    for spell in stages:
        stages_by_case[spell.case_id].append(spell)
    advice_by_case = defaultdict(list)
    for spell in advice:
        advice_by_case[spell.case_id].append(spell)
    cohort = []
    for outcome in outcomes:
        week_8 = outcome.received_on + datetime.timedelta(days=WEEK_8)
        if not (period_from <= week_8 <= today):
            continue
        known_breach = outcome.open and today > outcome.final_plan_due
        if outcome.final_issued_on is None and not known_breach:
            continue  # declined, withdrawn, or not yet known
        cohort.append((week_8, outcome))
    distributions_by_monday: dict[datetime.date, Distributions] = {}
    errors = []
    for week_8, outcome in sorted(cohort, key=lambda item: item[0]):
        state = _state_at(
            outcome, week_8, stages_by_case[outcome.case_id], advice_by_case[outcome.case_id]
        )
        if state is None:
            continue  # not open at week 8 (already past every stage)
        monday = monday_on_or_before(week_8)
        if monday not in distributions_by_monday:
            distributions_by_monday[monday] = Distributions(
                stages=curves_as_of(stages, as_of=monday, window=window),
                advice=curves_as_of(advice, as_of=monday, window=window),
                service_names=names or {},
            )
        forecast = case_forecast(
            state, today=week_8, distributions=distributions_by_monday[monday], window=window
        )
        figures.cases += 1
        breach = (
            outcome.final_issued_on > outcome.final_plan_due if outcome.final_issued_on else True
        )
        likely = forecast.final_likely
        flagged = likely is not None and likely > outcome.final_plan_due
        figures.breaches += breach
        figures.flagged += flagged
        figures.breaches_flagged += breach and flagged
        figures.false_alarms += flagged and not breach
        if likely is None:
            figures.no_forecast += 1
        elif outcome.final_issued_on is not None:
            errors.append(abs((likely - outcome.final_issued_on).days))
    if errors:
        figures.median_absolute_error_days = round(statistics.median(errors))
    return figures


def _state_at(outcome: CaseOutcome, on: datetime.date, spells, advice) -> CaseState | None:
    current = next(
        (
            spell
            for spell in spells
            if spell.started_on <= on and (spell.ended_on is None or spell.ended_on > on)
        ),
        None,
    )
    if current is None:
        return None
    outstanding = tuple(
        OutstandingAdvice(spell.key, "Advice", spell.started_on)
        for spell in advice
        if current.key == "assessing"
        and spell.started_on <= on
        and (spell.ended_on is None or spell.ended_on > on)
    )
    return CaseState(
        outcome.case_id,
        current.key,
        outcome.received_on,
        current.started_on,
        outcome.final_plan_due,
        outstanding,
        None,
        outcome.due,
    )


def case_outcomes() -> list[CaseOutcome]:
    """Every case's received date, due date, final plan date and whether it is open."""
    sql = (
        "SELECT id, received_on, final_plan_due, final_issued_on, status IN "
        "('received', 'assessing', 'drafting', 'draft_issued'), decision_to_assess_due, "
        "statutory_panel_decision_due, draft_plan_due FROM cases_case"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql)
        rows = cursor.fetchall()
    return [
        CaseOutcome(
            pk,
            _d(received),
            _d(due),
            _d(issued),
            bool(is_open),
            (
                ("decision_to_assess", _d(decision)),
                ("statutory_panel_decision", _d(panel)),
                ("draft_plan", _d(draft)),
            ),
        )
        for pk, received, due, issued, is_open, decision, panel, draft in rows
    ]


def backtest_database(
    *, today: datetime.date, period_days: int = 365, window: int = 365
) -> BacktestFigures:
    """The backtest over this database's whole history (two reads of the spells)."""
    return backtest_run(
        stages=stage_spells(),
        advice=advice_spells(),
        outcomes=case_outcomes(),
        today=today,
        period_from=today - datetime.timedelta(days=period_days),
        window=window,
        names=service_names(),
    )


def _d(value):
    if value is None or isinstance(value, datetime.date):
        return value
    return datetime.date.fromisoformat(str(value)[:10])


def backtest_store(figures: BacktestFigures, *, source: str) -> BacktestResult:
    """Keep the figures for the dashboard and the accuracy page (the latest is shown)."""
    return BacktestResult.objects.create(
        ran_at=timezone.now(),
        source=source[:100],
        period_from=figures.period_from,
        period_to=figures.period_to,
        cases=figures.cases,
        median_absolute_error_days=figures.median_absolute_error_days,
        breaches=figures.breaches,
        breaches_flagged=figures.breaches_flagged,
        false_alarms=figures.false_alarms,
        flagged=figures.flagged,
        no_forecast=figures.no_forecast,
    )
