"""The nightly recompute works each forecast out once per group of cases sharing its inputs
(forecast_groups, decision 0185): it must give every case exactly what `case_forecast`, called
on each case in turn, gives it (pure: no database)."""

import datetime
import itertools
import random

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from forecasts import durations, services
from forecasts.durations import Distributions
from forecasts.forecast import (
    STAGES,
    CaseState,
    OutstandingAdvice,
    PanelRoom,
    case_forecast,
    forecast_groups,
)
from forecasts.models import CaseForecast
from forecasts.services import forecasts_recompute
from forecasts.survival import kaplan_meier
from tests.cases.factories import TODAY as FACTORY_TODAY
from tests.cases.factories import case_in_status, caseworker, make_case

TODAY = datetime.date(2026, 11, 2)
D = datetime.timedelta


def curve(*finished_days, open_days=()):
    return kaplan_meier([(d, True, 1) for d in finished_days] + [(d, False, 1) for d in open_days])


def distributions(*, without=()):
    """Stage curves with cases still open in them (censored), a service with a curve, the
    family's views, and a service with too little history (three finished)."""
    stages = {
        "received": curve(10, 20, 30, 40, 50, open_days=(5, 35, 60)),
        "assessing": curve(40, 50, 60, 80, 100, 120, open_days=(30, 90, 150)),
        "drafting": curve(10, 15, 20, 30, 40),
        "draft_issued": curve(10, 12, 15, 20, 25, open_days=(30,)),
    }
    return Distributions(
        stages={k: v for k, v in stages.items() if k not in without},
        advice={
            "7": curve(30, 50, 63, 70, 90, open_days=(40, 100)),
            "parent_views": curve(20, 25, 30, 35, 40),
            "9": curve(20, 30, 40),
        },
        service_names={"7": "Northborough EP Service", "9": "Northborough SALT"},
    )


def panels():
    """Little room, so the first cases take places and the rest find none."""
    return PanelRoom(
        {
            "nap": [(TODAY + D(days=10), 2), (TODAY + D(days=24), 1), (TODAY + D(days=38), 0)],
            "statutory": [(TODAY + D(days=30), 1), (TODAY + D(days=60), 2)],
        }
    )


EP = "Educational psychology advice"
ADVICE_SETS = (
    (),
    (OutstandingAdvice("7", EP, TODAY - D(days=20)),),
    (OutstandingAdvice("7", EP, TODAY - D(days=95)),),  # past every finished spell
    (
        OutstandingAdvice("7", EP, TODAY - D(days=20)),
        OutstandingAdvice("parent_views", "The family's views", TODAY - D(days=20)),
    ),
    (OutstandingAdvice("9", "Health advice", TODAY - D(days=10)),),  # no history
)


#: (received days earlier, final plan due on day, draft plan due on day): the same case, then
#: received a week earlier with the same due dates, with a shorter local target, and with an
#: earlier draft plan due date.
VARIANTS = ((0, 140, 126), (7, 140, 126), (0, 120, 126), (0, 140, 98))


def population() -> list[CaseState]:
    """Every stage x days in it x (while assessing) outstanding advice x listing x VARIANTS
    (some final plans were due before today). Shuffled, so that cases sharing their inputs
    come before and after others take panel places."""
    states = []
    case_id = itertools.count(1)
    for status, days_in, advice_index, listed, (shift, final_days, draft_days) in itertools.product(
        STAGES, (0, 5, 35, 45, 130, 400), range(len(ADVICE_SETS)), (None, 3, 90), VARIANTS
    ):
        advice = ADVICE_SETS[advice_index]
        if status != "assessing" and advice:
            continue
        if listed and status not in ("received", "assessing"):
            continue
        started = TODAY - D(days=days_in)
        anchor = started - D(days=(0, 40, 100, 120)[STAGES.index(status)])
        received_on = anchor - D(days=shift)
        final_due = anchor + D(days=final_days)
        states.append(
            CaseState(
                next(case_id),
                status,
                received_on,
                started,
                final_due,
                advice,
                TODAY + D(days=listed) if listed else None,
                (
                    ("decision_to_assess", anchor + D(days=42)),
                    ("statutory_panel_decision", anchor + D(days=112)),
                    ("draft_plan", anchor + D(days=draft_days)),
                ),
            )
        )
    random.Random(19).shuffle(states)
    return states


@pytest.mark.parametrize("without", [(), ("drafting",), ("received", "draft_issued")])
def test_grouped_forecasts_are_each_cases_own(without):
    states = population()
    one_by_one = [
        case_forecast(state, today=TODAY, distributions=distributions(without=without), panels=room)
        for room in [panels()]
        for state in states
    ]
    room = panels()
    grouped = list(
        forecast_groups(
            states, today=TODAY, distributions=distributions(without=without), panels=room
        )
    )
    assert [state for state, _, _ in grouped] == states
    for expected, (state, forecast, reason) in zip(one_by_one, grouped, strict=True):
        assert expected.case_id == state.case_id
        assert forecast.likely == expected.likely, state
        assert forecast.pessimistic == expected.pessimistic, state
        assert forecast.basis == expected.basis, state
        assert forecast.no_history == expected.no_history, state
        assert reason == expected.reason, state
    # The population exercises what makes grouping hard: places taken on the panels, cases
    # sharing a forecast but not its reason, and no history.
    assert room.taken == (3 if "received" in without else 6)
    groups = {id(forecast) for _, forecast, _ in grouped}
    assert len(groups) < len(states) * 2 / 3
    reasons_by_group: dict[int, set] = {}
    for _, forecast, reason in grouped:
        reasons_by_group.setdefault(id(forecast), set()).add(reason)
    if not without:
        assert sum(1 for r in reasons_by_group.values() if len(r) > 1) > 10
    else:
        assert any(f.no_history for f in one_by_one)


@pytest.mark.django_db
def test_the_stored_forecasts_are_each_cases_own_and_the_queries_do_not_grow():
    """Through the database: the rows the recompute stores (grouped, copied, upserted) are the
    rows `case_forecast` gives each open case in turn, and the statements are as many for more
    cases."""
    actor = caseworker()
    for _ in range(5):  # every stage's history: 40, 60, 20 and 18 days
        case_in_status("final_issued", actor=actor, today=FACTORY_TODAY)
    for days_ago in (0, 0, 10, 50):  # the last past every case in the history
        make_case(actor=actor, received_on=FACTORY_TODAY - D(days=days_ago), today=FACTORY_TODAY)
    for status in ("assessing", "assessing", "drafting", "draft_issued"):
        case_in_status(status, actor=actor, received_on=FACTORY_TODAY - D(days=130))
    with CaptureQueriesContext(connection) as first:
        forecasts_recompute(today=FACTORY_TODAY)
    assert _stored() == _one_by_one(FACTORY_TODAY)
    assert any(row["misses_final_plan"] for row in _stored().values())

    for days_ago in (0, 20, 45):
        make_case(actor=actor, received_on=FACTORY_TODAY - D(days=days_ago), today=FACTORY_TODAY)
    case_in_status("assessing", actor=actor, received_on=FACTORY_TODAY - D(days=70))
    with CaptureQueriesContext(connection) as second:
        result = forecasts_recompute(today=FACTORY_TODAY)
    assert result.forecasts == 12
    assert _stored() == _one_by_one(FACTORY_TODAY)
    assert len(second.captured_queries) == len(first.captured_queries)


def _stored() -> dict:
    return {row["case_id"]: row for row in CaseForecast.objects.values(*services.COLUMNS)}


def _one_by_one(today) -> dict:
    """The rows as the recompute wrote them before grouping: each case in turn, one room."""
    window = durations.window_days()
    distributions = durations.distributions_compute(today=today, window=window)
    room = services.panel_room(today=today)
    rows = {}
    for state in services.open_case_states(today=today):
        forecast = case_forecast(
            state, today=today, distributions=distributions, panels=room, window=window
        )
        rows[state.case_id] = services._row(state, forecast, forecast.reason, today)
    return rows
