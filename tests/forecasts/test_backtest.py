"""The backtest on a small hand-built history, with the accuracy worked out by hand."""

import datetime

import pytest
from django.core.management import call_command

from forecasts.backtest import CaseOutcome, backtest_run
from forecasts.history import Spell
from forecasts.models import BacktestResult
from tests.cases.factories import TODAY, case_in_status, caseworker

D = datetime.timedelta
HISTORY = datetime.date(2026, 1, 5)  # five cases through every stage before the cohort
R = datetime.date(2026, 6, 1)  # the cohort, all received on a Monday: week 8 is 27 July


def stage_spells(case_id, received, stages):
    """Consecutive spells from day 0: [(stage, days)], the last open if `days` is None."""
    spells, start = [], received
    for stage, days in stages:
        end = start + D(days=days) if days is not None else None
        spells.append(Spell(stage, case_id, start, end, True))
        start = end
    return spells


def hand_built():
    spells, outcomes = [], []
    for case_id in range(1, 6):  # 40 + 60 + 20 + 18 = 138 days, on time
        spells += stage_spells(
            case_id,
            HISTORY,
            [("received", 40), ("assessing", 60), ("drafting", 20), ("draft_issued", 18)],
        )
        outcomes.append(CaseOutcome(case_id, HISTORY, HISTORY + D(140), HISTORY + D(138), False))
    cohort = {
        # A: assessing from day 40; final plan on day 138.
        11: ([("received", 40), ("assessing", 60), ("drafting", 20), ("draft_issued", 18)], 138),
        # B: waits 70 days to be decided; final plan on day 160 (a breach).
        12: ([("received", 70), ("assessing", 50), ("drafting", 20), ("draft_issued", 20)], 160),
        # C: assessing from day 50; final plan on day 139 (on time).
        13: ([("received", 50), ("assessing", 50), ("drafting", 20), ("draft_issued", 19)], 139),
        # D: still waiting for the panel on `today`, long past day 140 (a known breach).
        14: ([("received", None)], None),
    }
    for case_id, (stages, final_day) in cohort.items():
        spells += stage_spells(case_id, R, stages)
        final = R + D(final_day) if final_day else None
        outcomes.append(CaseOutcome(case_id, R, R + D(140), final, final is None))
    # E: withdrawn on day 20: no final plan, left out.
    spells.append(Spell("received", 15, R, R + D(20), False))
    outcomes.append(CaseOutcome(15, R, R + D(140), None, False))
    return spells, outcomes


def test_backtest_by_hand():
    # Known on 27 July (week 8 of the cohort): received took 40 days for 6 cases and 50 for 1
    # (2 still waiting at 56); assessing 60 (5 cases), drafting 20, draft to final 18.
    # A: assessing since day 40 -> 40 + 60 + 20 + 18 = day 138. Actual 138: error 0, on time.
    # B: 56 days waiting, longer than any decided case -> decided "today" (day 56) + 98 = day
    #    154: flagged. Actual 160: error 6, a breach caught.
    # C: assessing since day 50 -> 110 + 38 = day 148: flagged. Actual 139: error 9, a false
    #    alarm.
    # D: as B, day 154: flagged; open past day 140: a breach caught (no error: no plan yet).
    spells, outcomes = hand_built()
    figures = backtest_run(
        stages=spells,
        advice=[],
        outcomes=outcomes,
        today=TODAY,
        period_from=datetime.date(2026, 7, 1),
    )
    assert figures.cases == 4
    assert figures.median_absolute_error_days == 6  # median of 0, 6, 9
    assert (figures.breaches, figures.breaches_flagged) == (2, 2)
    assert (figures.flagged, figures.false_alarms) == (3, 1)
    assert figures.no_forecast == 0


def test_a_forecast_never_sees_a_later_spell():
    # Without the history cases, nothing had finished assessing by 27 July: no forecast for
    # anyone, even though the cohort's own later spells are in the data.
    spells, outcomes = hand_built()
    later_only = [s for s in spells if s.case_id > 10]
    figures = backtest_run(
        stages=later_only,
        advice=[],
        outcomes=[o for o in outcomes if o.case_id > 10],
        today=TODAY,
        period_from=datetime.date(2026, 7, 1),
    )
    assert figures.cases == 4
    assert figures.no_forecast == 4
    assert figures.median_absolute_error_days is None


@pytest.mark.django_db
def test_the_command_stores_the_figures():
    actor = caseworker()
    for _ in range(3):
        case_in_status("final_issued", actor=actor, today=TODAY)
    call_command("forecasts_backtest", "--today", TODAY.isoformat(), "--source", "test history")
    result = BacktestResult.objects.get()
    assert result.source == "test history"
    assert result.cases == 3  # week 8 on 2 March 2026, plans issued on day 138
    assert result.breaches == 0
