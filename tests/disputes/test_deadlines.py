"""The dispute clock (section 14), with hand-worked dates: month ends, Christmas and Easter."""

import datetime

import pytest

from disputes import deadlines
from disputes.deadlines import OrderKind

D = datetime.date


def test_two_months_from_31_december_is_the_end_of_february():
    assert deadlines.appeal_deadline(D(2026, 12, 31)) == D(2027, 2, 28)
    assert deadlines.appeal_deadline(D(2027, 12, 31)) == D(2028, 2, 29)  # leap year


@pytest.mark.parametrize(
    ("start", "months", "expected"),
    [
        (D(2027, 1, 31), 1, D(2027, 2, 28)),
        (D(2026, 8, 31), 1, D(2026, 9, 30)),
        (D(2026, 11, 30), 2, D(2027, 1, 30)),
        (D(2026, 3, 15), 2, D(2026, 5, 15)),
    ],
)
def test_calendar_months_keep_the_day_or_take_the_months_last(start, months, expected):
    assert deadlines.add_months(start, months) == expected


def test_certificate_1_month_and_1_day_before_the_deadline_leaves_it_unchanged():
    # Letter 31 December 2026: 2 months = 28 February 2027. One month and one day before
    # that is 27 January; its month ends on 27 February, earlier than 28 February.
    assert deadlines.appeal_deadline(D(2026, 12, 31), D(2027, 1, 27)) == D(2027, 2, 28)


def test_certificate_after_that_moves_the_deadline_later():
    assert deadlines.appeal_deadline(D(2026, 12, 31), D(2027, 2, 1)) == D(2027, 3, 1)
    assert deadlines.appeal_deadline(D(2026, 12, 31), D(2027, 2, 10)) == D(2027, 3, 10)


def test_a_certificate_issued_after_the_letters_deadline_still_gives_a_month():
    # The family contacted the adviser in time (by 28 February) and mediation ran on: the
    # certificate of 10 March 2027 gives them until 10 April.
    assert deadlines.appeal_deadline(D(2026, 12, 31), D(2027, 3, 10)) == D(2027, 4, 10)
    # The certificate of 31 March: 30 April (April has no 31st).
    assert deadlines.appeal_deadline(D(2026, 12, 31), D(2027, 3, 31)) == D(2027, 4, 30)


def test_certificate_on_29_january_ends_on_the_same_day_as_the_letters_window():
    # 29 January + 1 month has no 29 February in 2027: 28 February, equal to the letter's.
    assert deadlines.appeal_deadline(D(2026, 12, 31), D(2027, 1, 29)) == D(2027, 2, 28)


def test_working_days_skip_christmas_boxing_day_observed_and_weekends():
    # Wed 23 Dec 2026: Thu 24 (1); Fri 25 Christmas; weekend; Mon 28 Boxing Day (observed);
    # Tue 29 (2); Wed 30 (3).
    assert deadlines.certificate_due(D(2026, 12, 23)) == D(2026, 12, 30)


def test_working_days_skip_good_friday_and_easter_monday():
    # Thu 25 Mar 2027: Fri 26 Good Friday; weekend; Mon 29 Easter Monday; Tue 30 (1); Wed 31
    # (2); Thu 1 April (3).
    assert deadlines.certificate_after_mediation_due(D(2027, 3, 25)) == D(2027, 4, 1)
    assert not deadlines.is_working_day(D(2027, 3, 26))
    assert not deadlines.is_working_day(D(2027, 3, 29))
    assert deadlines.is_working_day(D(2027, 3, 30))


def test_response_to_the_tribunal_is_30_working_days_across_christmas():
    # From Mon 7 Dec 2026: 8-11 Dec (4), 14-18 (9), 21-24 (13), 29-31 (16; 25 and 28 are bank
    # holidays), 1 Jan a bank holiday, 4-8 Jan (21), 11-15 (26), 18-21 (30).
    assert deadlines.response_due(D(2026, 12, 7)) == D(2027, 1, 21)


def test_mediation_within_30_days_and_adviser_contact_within_2_months():
    assert deadlines.mediation_due(D(2027, 1, 15)) == D(2027, 2, 14)
    assert deadlines.adviser_contact_due(D(2026, 12, 31)) == D(2027, 2, 28)


ORDER_DATE = D(2027, 3, 3)  # a Wednesday


@pytest.mark.parametrize(
    ("kind", "expected"),
    [
        # Reg 44(2)(b): 2 weeks, 10 weeks, 14 weeks.
        (
            OrderKind.ASSESS,
            {
                "notify_assessment": D(2027, 3, 17),
                "decide_whether_to_issue": D(2027, 5, 12),
                "final_plan": D(2027, 6, 9),
            },
        ),
        # Reg 44(2)(c): draft 5 weeks, final 11 weeks.
        (OrderKind.ISSUE_PLAN, {"draft_plan": D(2027, 4, 7), "final_plan": D(2027, 5, 19)}),
        # Reg 44(2)(d): referred back to reconsider, 2 weeks (decision 0140: not confirmed).
        (OrderKind.RECONSIDER, {"reconsider": D(2027, 3, 17)}),
        (OrderKind.AMEND_PLAN, {"amended_plan": D(2027, 4, 7)}),  # 44(2)(e): 5 weeks
        (OrderKind.SECTION_I, {"amended_plan": D(2027, 3, 17)}),  # 44(2)(f): 2 weeks
        (OrderKind.CONTINUE_PLAN, {"continue_plan": D(2027, 3, 3)}),  # at once
        (OrderKind.CEASE_PLAN, {"cease_plan": D(2027, 3, 3)}),  # 44(2)(a): immediately
        (OrderKind.OTHER, {"agreed_action": D(2027, 3, 17)}),  # reg 42(3): 2 weeks
    ],
)
def test_each_orders_deadlines_from_a_hand_worked_order_date(kind, expected):
    got = {step.code: due for step, due in deadlines.order_deadlines(kind, ORDER_DATE)}
    assert got == expected


def test_every_order_step_cites_its_regulation():
    for steps in deadlines.ORDER_STEPS.values():
        for step in steps:
            assert step.source.startswith("reg 4")


def test_an_order_to_assess_sets_the_cases_milestones():
    assert deadlines.case_due_date_overrides(OrderKind.ASSESS, ORDER_DATE) == {
        "draft_plan": "2027-05-25",  # 15 days before the final plan
        "final_plan": "2027-06-09",
        "statutory_panel_decision": "2027-05-12",
    }


def test_an_order_to_issue_sets_the_draft_and_final_plan():
    assert deadlines.case_due_date_overrides(OrderKind.ISSUE_PLAN, ORDER_DATE) == {
        "draft_plan": "2027-04-07",
        "final_plan": "2027-05-19",
    }


def test_other_orders_leave_the_case_clock_alone():
    assert deadlines.case_due_date_overrides(OrderKind.AMEND_PLAN, ORDER_DATE) == {}


@pytest.mark.parametrize("kind", sorted(deadlines.REOPENING_KINDS))
def test_every_order_that_reopens_a_case_writes_dates_over_its_clock(kind):
    """The case steps' hook (disputes.hooks) looks for an order's steps only on a case with
    such dates: an order that reopened a case and left them empty would have its steps missed."""
    assert deadlines.case_due_date_overrides(kind, ORDER_DATE)
