"""A case's forecast from a hand-built distribution (pure: no database)."""

import datetime

from forecasts.durations import Distributions
from forecasts.forecast import CaseState, OutstandingAdvice, PanelRoom, case_forecast, clock_week
from forecasts.survival import kaplan_meier

TODAY = datetime.date(2026, 11, 2)
D = datetime.timedelta


def curve(*finished_days, open_days=()):
    return kaplan_meier([(d, True, 1) for d in finished_days] + [(d, False, 1) for d in open_days])


def distributions(**overrides):
    stages = {
        # medians 30 / 60 / 20 / 15; 90th percentiles 50 / 100 / 40 / 25 (five each, by hand)
        "received": curve(10, 20, 30, 40, 50),
        "assessing": curve(40, 50, 60, 80, 100),
        "drafting": curve(10, 15, 20, 30, 40),
        "draft_issued": curve(10, 12, 15, 20, 25),
    }
    stages.update(overrides)
    return Distributions(
        stages={k: v for k, v in stages.items() if v is not None},
        advice={"7": curve(30, 50, 63, 70, 90)},
        service_names={"7": "Northborough Educational Psychology Service"},
    )


def due_dates(received_on):
    return (
        ("decision_to_assess", received_on + D(days=42)),
        ("statutory_panel_decision", received_on + D(days=112)),
        ("draft_plan", received_on + D(days=125)),
    )


def received_case(days_in=0, received_on=None):
    received_on = received_on or TODAY - D(days=days_in)
    return CaseState(
        1,
        "received",
        received_on,
        received_on,
        received_on + D(days=140),
        due=due_dates(received_on),
    )


def test_fresh_received_case_adds_stage_medians():
    forecast = case_forecast(received_case(), today=TODAY, distributions=distributions())
    # 30 + 60 + 20 + 15 = day 125: on time.
    assert forecast.likely["decision_to_assess"] == TODAY + D(days=30)
    assert forecast.likely["statutory_panel_decision"] == TODAY + D(days=90)
    assert forecast.likely["draft_plan"] == TODAY + D(days=110)
    assert forecast.final_likely == TODAY + D(days=125)
    # 50 + 100 + 40 + 25 = day 215.
    assert forecast.final_pessimistic == TODAY + D(days=215)
    assert forecast.reason == ""
    assert any("Deciding whether to assess has taken 4 weeks" in s for s in forecast.basis)


def test_days_already_spent_condition_the_current_stage():
    # 45 days in: S(45) = 0.2; half of those are decided by S <= 0.1, at 50 days (day 50).
    # (35 days in: S = 0.4, half by S <= 0.2, at 40 days.)
    early = case_forecast(received_case(days_in=35), today=TODAY, distributions=distributions())
    assert early.likely["decision_to_assess"] == TODAY - D(days=35) + D(days=40)
    forecast = case_forecast(received_case(days_in=45), today=TODAY, distributions=distributions())
    received_on = TODAY - D(days=45)
    assert forecast.likely["decision_to_assess"] == received_on + D(days=50)
    assert forecast.final_likely == received_on + D(days=50 + 60 + 20 + 15)  # day 145: late
    assert forecast.reason == (
        "At this pace: week 21 (due by week 20). The decision whether to assess was due on "
        f"{received_on + D(days=42):%-d %B %Y} and has not been made."
    )
    assert any("for 6 weeks" in s for s in forecast.basis)


def test_outstanding_advice_holds_the_statutory_decision():
    agreed = TODAY - D(days=20)
    received = agreed - D(days=40)
    state = CaseState(
        2,
        "assessing",
        received,
        agreed,
        received + D(days=140),
        (OutstandingAdvice("7", "Educational psychology advice", agreed),),
    )
    forecast = case_forecast(state, today=TODAY, distributions=distributions())
    # Stage alone (20 days in): median of those still waiting = 60 days -> agreed + 60.
    # Advice (20 days in, all 5 still waiting): median 63 -> agreed + 63, the later.
    assert forecast.likely["statutory_panel_decision"] == agreed + D(days=63)
    assert forecast.final_likely == agreed + D(days=63 + 20 + 15)  # day 138: just on time
    assert any(
        "Educational psychology advice from Northborough Educational Psychology Service has "
        "taken 9 weeks at the median" in s
        for s in forecast.basis
    )


def test_the_reason_names_the_slowest_step():
    agreed = TODAY - D(days=20)
    received = agreed - D(days=60)
    state = CaseState(
        3,
        "assessing",
        received,
        agreed,
        received + D(days=140),
        (OutstandingAdvice("7", "Educational psychology advice", agreed),),
        due=due_dates(received),
    )
    forecast = case_forecast(
        state, today=TODAY, distributions=distributions(assessing=curve(20, 21, 22, 23, 24))
    )
    assert forecast.final_likely > state.final_plan_due
    # The statutory panel decision (due day 112) is forecast on day 60 + 63 = 123: the advice.
    assert forecast.reason == (
        "At this pace: week 23 (due by week 20). Educational psychology advice from Northborough "
        "Educational Psychology Service has taken 9 weeks at the median; expected back about "
        f"{agreed + D(days=63):%-d %B %Y}."
    )


def test_no_history_for_a_stage_says_so_and_forecasts_nothing_beyond():
    forecast = case_forecast(
        received_case(), today=TODAY, distributions=distributions(drafting=None)
    )
    assert forecast.likely["statutory_panel_decision"] == TODAY + D(days=90)
    assert forecast.likely["draft_plan"] is None
    assert forecast.final_likely is None
    assert forecast.no_history == "Writing the draft plan"
    assert any("Not enough history of writing the draft plan" in s for s in forecast.basis)
    assert forecast.reason == ""


def test_too_few_finished_cases_is_no_history():
    forecast = case_forecast(
        received_case(), today=TODAY, distributions=distributions(received=curve(10, 20, 30, 40))
    )
    assert forecast.likely["decision_to_assess"] is None
    assert forecast.no_history == "Deciding whether to assess"


def test_next_panel_meeting_with_room():
    meetings = {"nap": [(TODAY + D(days=31), 0), (TODAY + D(days=38), 1)]}
    panels = PanelRoom(meetings)
    first = case_forecast(
        received_case(), today=TODAY, distributions=distributions(), panels=panels
    )
    # Ready at day 30; the meeting on day 31 is full, so day 38.
    assert first.likely["decision_to_assess"] == TODAY + D(days=38)
    second = case_forecast(
        received_case(), today=TODAY, distributions=distributions(), panels=panels
    )
    # The last place went to the first case; beyond the known meetings the date stands.
    assert second.likely["decision_to_assess"] == TODAY + D(days=30)


def test_clock_week():
    received = datetime.date(2026, 1, 1)
    assert clock_week(received, received + D(days=140)) == 20
    assert clock_week(received, received + D(days=141)) == 21


def test_a_median_the_history_cannot_tell_is_no_history():
    # Five decided, fifteen still waiting after 60 days: S never falls to one half.
    forecast = case_forecast(
        received_case(),
        today=TODAY,
        distributions=distributions(received=curve(10, 20, 30, 40, 50, open_days=[60] * 15)),
    )
    assert forecast.likely["decision_to_assess"] is None
    assert forecast.no_history == "Deciding whether to assess"
