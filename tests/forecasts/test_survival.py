"""Kaplan-Meier from hand-computed examples: open cases are censored, not dropped, not fast."""

from forecasts.survival import kaplan_meier

# Four cases finished after 10, 20, 30 and 40 days; one is still open after 25 days.
ROWS = [(10, True, 1), (20, True, 1), (25, False, 1), (30, True, 1), (40, True, 1)]


def test_curve_by_hand():
    # n=5: 10 -> 4/5 = 0.8; 20 -> 0.8 * 3/4 = 0.6; 25 censored (n 3 -> 2); 30 -> 0.6 * 1/2 =
    # 0.3; 40 -> 0.
    curve = kaplan_meier(ROWS)
    assert curve.times == (10, 20, 30, 40)
    assert [round(s, 6) for s in curve.survival] == [0.8, 0.6, 0.3, 0.0]
    assert (curve.finished, curve.censored) == (4, 1)


def test_median_counts_the_open_case_as_censored():
    assert kaplan_meier(ROWS).quantile(0.5) == 30
    # Dropped, the open case would give 20; counted as finished at 25 days, 25.
    assert kaplan_meier([r for r in ROWS if r[1]]).quantile(0.5) == 20
    assert kaplan_meier([(d, True, n) for d, _, n in ROWS]).quantile(0.5) == 25


def test_ninetieth_percentile_and_conditional_quantiles():
    curve = kaplan_meier(ROWS)
    assert curve.quantile(0.9) == 40
    # Still waiting after 22 days: S(22) = 0.6; half of those finish by S = 0.3, at 30 days.
    assert curve.quantile(0.5, elapsed=22) == 30
    # Still waiting after 35 days: S = 0.3; the next event (40) takes S to 0.
    assert curve.quantile(0.5, elapsed=35) == 40


def test_quantile_unknown_when_history_never_falls_that_low():
    # Two of five finished; three still open at 60 days: S never reaches 0.5.
    curve = kaplan_meier([(10, True, 1), (20, True, 1), (60, False, 3)])
    assert round(curve.survival[-1], 6) == 0.6
    assert curve.quantile(0.5) is None
    assert not curve.known  # fewer than 5 finished: "no history"


def test_past_the_last_finished_case_is_unknown():
    curve = kaplan_meier([(10, True, 5), (50, False, 1)])
    assert curve.quantile(0.5) == 10
    assert curve.quantile(0.5, elapsed=30) is None


def test_round_trip_through_json():
    curve = kaplan_meier(ROWS)
    again = type(curve).from_json(curve.as_json())
    assert again.quantile(0.5) == 30
    assert again.quantile(0.9, elapsed=22) == 40


def test_delayed_entry_keeps_long_stuck_cases_out_of_short_durations():
    # Four cases finished within the window after 10, 10, 20 and 20 days; ten have been stuck
    # for 500 days, 400 of them before the window opened.
    rows = [(10, True, 2, 0), (20, True, 2, 0), (500, False, 10, 400)]
    # Counted from day 0, the stuck cases hide the median: S never falls below 10/14.
    assert kaplan_meier([r[:3] for r in rows]).quantile(0.5) is None
    # Entering at day 400: at 10 days 4 at risk, 2 finish: S = 0.5, the median is 10 days.
    curve = kaplan_meier(rows)
    assert curve.quantile(0.5) == 10
    assert curve.quantile(0.9) == 20
