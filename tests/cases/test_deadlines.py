import datetime

import pytest

from cases import deadlines
from cases.deadlines import Milestone, Risk

D = datetime.date


@pytest.mark.parametrize(
    ("received", "expected"),
    [
        (D(2024, 2, 20), {"decision": D(2024, 4, 2), "final": D(2024, 7, 9)}),
        (D(2023, 1, 5), {"decision": D(2023, 2, 16), "final": D(2023, 5, 25)}),
        # Leap day: 29 Feb 2024 counts.
        (D(2024, 2, 1), {"decision": D(2024, 3, 14), "final": D(2024, 6, 20)}),
        # Received on a leap day.
        (D(2024, 2, 29), {"decision": D(2024, 4, 11), "final": D(2024, 7, 18)}),
        # Month and year ends.
        (D(2023, 12, 31), {"decision": D(2024, 2, 11), "final": D(2024, 5, 19)}),
        (D(2025, 10, 31), {"decision": D(2025, 12, 12), "final": D(2026, 3, 20)}),
    ],
)
def test_statutory_due_dates(received, expected):
    assert deadlines.decision_to_assess_due(received) == expected["decision"]
    assert deadlines.final_plan_due(received) == expected["final"]


def test_operational_due_dates_default_and_configured():
    received = D(2024, 2, 20)
    assert deadlines.statutory_panel_decision_due(received) == D(2024, 6, 11)  # day 112
    assert deadlines.draft_plan_due(received) == D(2024, 6, 24)  # day 125 = final - 15
    clock = deadlines.ClockSettings(statutory_panel_decision_days=105, draft_plan_days=120)
    assert deadlines.statutory_panel_decision_due(received, clock) == D(2024, 6, 4)
    assert deadlines.draft_plan_due(received, clock) == D(2024, 6, 19)


def test_due_dates_map_every_milestone():
    dues = deadlines.due_dates(D(2023, 1, 5))
    assert dues == {
        Milestone.DECISION_TO_ASSESS: D(2023, 2, 16),
        Milestone.STATUTORY_PANEL_DECISION: D(2023, 4, 27),
        Milestone.DRAFT_PLAN: D(2023, 5, 10),
        Milestone.FINAL_PLAN: D(2023, 5, 25),
    }


def test_final_plan_on_due_date_is_on_time_and_a_day_later_is_late():
    due = deadlines.final_plan_due(D(2024, 2, 20))
    assert deadlines.met_on_time(due, due) is True
    assert deadlines.met_on_time(due + datetime.timedelta(days=1), due) is False
    assert deadlines.met_on_time(due - datetime.timedelta(days=30), due) is True
    assert deadlines.met_on_time(None, due) is None


def test_advice_due_six_weeks_after_request():
    assert deadlines.advice_due(D(2024, 2, 20)) == D(2024, 4, 2)


def test_family_comment_period_counts_the_day_served_as_day_one():
    received = D(2024, 2, 20)
    served = deadlines.draft_plan_due(received)
    assert deadlines.earliest_final_plan_date(served) == deadlines.final_plan_due(received)


@pytest.mark.parametrize(
    ("status", "milestone"),
    [
        ("received", Milestone.DECISION_TO_ASSESS),
        ("assessing", Milestone.STATUTORY_PANEL_DECISION),
        ("drafting", Milestone.DRAFT_PLAN),
        ("draft_issued", Milestone.FINAL_PLAN),
        ("final_issued", None),
        ("assessment_declined", None),
        ("plan_declined", None),
        ("withdrawn", None),
    ],
)
def test_next_milestone_by_status(status, milestone):
    assert deadlines.next_milestone(status) == milestone


class TestRisk:
    due = D(2024, 3, 29)  # a month end in a leap year

    @pytest.mark.parametrize(
        ("today", "expected"),
        [
            (D(2024, 3, 14), Risk.ON_TRACK),  # the day before the 14-day window
            (D(2024, 3, 15), Risk.AT_RISK),  # first day inside the window
            (D(2024, 3, 29), Risk.AT_RISK),  # the due date: still on time
            (D(2024, 3, 30), Risk.OVERDUE),  # the day after
        ],
    )
    def test_default_window(self, today, expected):
        assert deadlines.risk_level(self.due, today) == expected

    def test_configurable_window(self):
        assert deadlines.risk_level(self.due, D(2024, 3, 14), warning_days=15) == Risk.AT_RISK
        assert deadlines.risk_level(self.due, D(2024, 3, 15), warning_days=7) == Risk.ON_TRACK

    def test_overdue_advice_or_rolling_off_an_agenda_puts_a_case_at_risk(self):
        early = D(2024, 1, 1)
        assert deadlines.risk_level(self.due, early, advice_overdue=True) == Risk.AT_RISK
        assert deadlines.risk_level(self.due, early, rolled_off_agenda=True) == Risk.AT_RISK

    def test_closed_case_has_no_risk(self):
        assert deadlines.risk_level(None, D(2024, 3, 30)) is None

    def test_days_remaining(self):
        assert deadlines.days_remaining(self.due, D(2024, 3, 28)) == 1
        assert deadlines.days_remaining(self.due, D(2024, 3, 29)) == 0
        assert deadlines.days_remaining(self.due, D(2024, 3, 31)) == -2


@pytest.mark.parametrize(
    ("born", "age", "reached"),
    [
        (D(2019, 6, 15), 5, D(2024, 6, 15)),
        (D(2020, 2, 29), 5, D(2025, 3, 1)),  # no 29 February that year: the day after the 28th
        (D(2020, 2, 29), 4, D(2024, 2, 29)),  # a leap year: the day itself
        (D(1995, 12, 31), 31, D(2026, 12, 31)),
    ],
)
def test_birthday(born, age, reached):
    assert deadlines.birthday(born, age) == reached


@pytest.mark.parametrize(
    ("born", "young_person_from"),
    [
        # Turns 16 on 31 Aug 2026 (school year 2025-26): last Friday of June 2026 is the 26th.
        (datetime.date(2010, 8, 31), datetime.date(2026, 6, 27)),
        # Turns 16 on 1 Sep 2026 (school year 2026-27): last Friday of June 2027 is the 25th.
        (datetime.date(2010, 9, 1), datetime.date(2027, 6, 26)),
        (datetime.date(2010, 10, 15), datetime.date(2027, 6, 26)),
        # 29 February: 16 on 1 March 2024 (school year 2023-24); 28 June 2024 is a Friday.
        (datetime.date(2008, 2, 29), datetime.date(2024, 6, 29)),
    ],
)
def test_young_person_from_the_day_after_the_last_friday_of_june(born, young_person_from):
    assert deadlines.young_person_from(born) == young_person_from
    assert deadlines.is_young_person(born, young_person_from)
    assert not deadlines.is_young_person(born, young_person_from - datetime.timedelta(days=1))
