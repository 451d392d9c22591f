"""The review clock against hand-worked dates (ehc-process.md section 13)."""

import datetime

import pytest

from reviews import deadlines
from reviews.deadlines import PhaseTransfer

D = datetime.date


def test_review_due_twelve_months_after_issue():
    assert deadlines.review_due(D(2026, 3, 10)) == D(2027, 3, 10)


def test_plan_issued_on_29_february_is_reviewed_by_28_february():
    """No 29 February in 2025: the review falls on the last day of the 12 months, 28 February
    (never 1 March, a day after the 12 months have run)."""
    assert deadlines.review_due(D(2024, 2, 29)) == D(2025, 2, 28)


def test_review_from_29_february_into_a_leap_year_keeps_the_day():
    assert deadlines.review_due(D(2027, 2, 28)) == D(2028, 2, 28)
    assert deadlines.add_months(D(2024, 2, 29), 48) == D(2028, 2, 29)


def test_add_months_at_month_ends():
    assert deadlines.add_months(D(2026, 1, 31), 1) == D(2026, 2, 28)
    assert deadlines.add_months(D(2026, 8, 31), 3) == D(2026, 11, 30)
    assert deadlines.add_months(D(2026, 11, 15), 3) == D(2027, 2, 15)


def test_meeting_on_a_friday_before_a_bank_holiday():
    """Meeting Friday 22 May 2026; Monday 25 May is the Spring bank holiday. Calendar limits do
    not move for it: invitations by Friday 8 May, report by Friday 5 June, decision by Friday
    19 June, amended plan by Friday 14 August."""
    meeting = D(2026, 5, 22)
    assert meeting.weekday() == 4
    assert not deadlines.is_working_day(D(2026, 5, 25))
    assert deadlines.invitations_due(meeting) == D(2026, 5, 8)
    assert deadlines.report_due(meeting) == D(2026, 6, 5)
    assert deadlines.decision_due(meeting) == D(2026, 6, 19)
    assert deadlines.amended_plan_due(meeting) == D(2026, 8, 14)


def test_transfer_out_counts_working_days_past_the_bank_holiday():
    """15 working days from Friday 22 May 2026: 25 May is a bank holiday, so the days are
    26-29 May (4), 1-5 June (9), 8-12 June (14), 15 June (15)."""
    assert deadlines.transfer_out_due(D(2026, 5, 22)) == D(2026, 6, 15)


def test_amended_plan_eight_weeks_after_proposal_when_that_is_earlier():
    meeting, proposed = D(2026, 3, 2), D(2026, 3, 16)
    assert deadlines.amended_plan_due(meeting, proposed) == D(2026, 5, 11)  # 16 Mar + 56


def test_devon_twelve_week_cap_binds_before_the_eight_weeks():
    """Meeting 2 March 2026, amendments proposed late on 20 April: 8 weeks from the proposal is
    15 June, but Devon caps the amended plan at 12 weeks from the meeting, 25 May."""
    meeting, proposed = D(2026, 3, 2), D(2026, 4, 20)
    assert proposed + datetime.timedelta(days=56) == D(2026, 6, 15)
    assert deadlines.amended_plan_due(meeting, proposed) == D(2026, 5, 25)


def test_family_fifteen_days_on_proposed_amendments():
    proposed = D(2026, 3, 16)
    assert deadlines.amendment_comments_end(proposed) == D(2026, 3, 30)
    assert deadlines.earliest_amended_plan_date(proposed) == D(2026, 3, 31)


@pytest.mark.parametrize(
    ("born", "year", "due"),
    [
        # Born 31 August 2014: reception September 2018, secondary September 2025.
        (D(2014, 8, 31), 2025, D(2025, 2, 15)),
        # Born a day later, 1 September 2014: a school year behind, secondary September 2026.
        (D(2014, 9, 1), 2026, D(2026, 2, 15)),
    ],
)
def test_primary_to_secondary_for_31_august_and_1_september(born, year, due):
    assert deadlines.phase_transfer_year(born, PhaseTransfer.PRIMARY_TO_SECONDARY) == year
    assert deadlines.phase_transfer_due(born, PhaseTransfer.PRIMARY_TO_SECONDARY) == due


def test_early_years_to_reception_and_infant_to_junior():
    born = D(2021, 1, 10)  # 4 in January 2025: reception September 2025
    assert deadlines.reception_year(born) == 2025
    assert deadlines.phase_transfer_due(born, PhaseTransfer.EARLY_YEARS_TO_RECEPTION) == D(
        2025, 2, 15
    )
    assert deadlines.phase_transfer_due(born, PhaseTransfer.INFANT_TO_JUNIOR) == D(2028, 2, 15)


def test_post16_institution_by_31_march_and_sixth_form_by_15_february():
    born = D(2010, 8, 31)  # year 11 in 2025/26: post-16 in September 2026
    assert deadlines.phase_transfer_due(born, PhaseTransfer.INTO_POST16_INSTITUTION) == D(
        2026, 3, 31
    )
    assert deadlines.phase_transfer_due(born, PhaseTransfer.INTO_POST16_SCHOOL) == D(2026, 2, 15)


def test_next_phase_transfer_skips_moves_already_due():
    born = D(2014, 8, 31)
    assert deadlines.next_phase_transfer(born, D(2025, 2, 15)) == (
        PhaseTransfer.PRIMARY_TO_SECONDARY,
        D(2025, 2, 15),
    )
    assert deadlines.next_phase_transfer(born, D(2025, 2, 16)) == (
        PhaseTransfer.INTO_POST16_INSTITUTION,
        D(2030, 3, 31),
    )
    assert deadlines.next_phase_transfer(born, D(2030, 4, 1)) is None


def test_year_group():
    born = D(2014, 8, 31)
    assert deadlines.year_group(born, D(2024, 9, 1)) == 6
    assert deadlines.year_group(born, D(2024, 8, 31)) == 5
    assert deadlines.year_group(D(2014, 9, 1), D(2024, 9, 1)) == 5


def test_transfer_in_review_is_the_later_date():
    # Usual review 1 April 2026; transferred 10 March 2026: 3 months is 10 June, the later.
    assert deadlines.transfer_in_review_due(D(2026, 4, 1), D(2026, 3, 10)) == D(2026, 6, 10)
    # Usual review 1 December 2026 is already later than 3 months from the transfer.
    assert deadlines.transfer_in_review_due(D(2026, 12, 1), D(2026, 3, 10)) == D(2026, 12, 1)
    assert deadlines.transfer_in_reassessment_notice_due(D(2026, 3, 10)) == D(2026, 4, 21)


@pytest.mark.parametrize(
    ("today", "level"),
    [
        (D(2026, 3, 1), "on_track"),
        (D(2026, 3, 17), "at_risk"),
        (D(2026, 3, 31), "at_risk"),
        (D(2026, 4, 1), "overdue"),
    ],
)
def test_risk_level_on_the_day_and_the_day_after(today, level):
    assert deadlines.risk_level(D(2026, 3, 31), today) == level
