import datetime

import pytest

from panels.eligibility import compulsory_school_age_from, under_compulsory_school_age
from panels.models import BankHolidayRule, PanelMeeting
from panels.schedule import is_bank_holiday, meeting_date, usual_dates
from panels.services import meetings_generate

from .factories import PanelFactory

D = datetime.date


def test_bank_holidays_come_from_the_package():
    assert is_bank_holiday(D(2026, 12, 28))  # Boxing Day (substitute day)
    assert is_bank_holiday(D(2027, 5, 31))  # Spring bank holiday
    assert not is_bank_holiday(D(2026, 12, 29))


def test_usual_dates_are_the_weekday_each_week():
    assert usual_dates(0, D(2026, 11, 23), 3) == [D(2026, 11, 23), D(2026, 11, 30), D(2026, 12, 7)]
    assert usual_dates(2, D(2026, 11, 26), 2) == [D(2026, 12, 2), D(2026, 12, 9)]


@pytest.mark.parametrize(
    ("rule", "expected"),
    [
        (BankHolidayRule.SKIP, None),
        (BankHolidayRule.NEXT_WORKING_DAY, D(2026, 12, 29)),
        (BankHolidayRule.PREVIOUS_WORKING_DAY, D(2026, 12, 24)),
    ],
)
def test_meeting_on_a_bank_holiday_is_skipped_or_moved(rule, expected):
    # Monday 28 December 2026 is a bank holiday (Boxing Day substitute).
    assert meeting_date(D(2026, 12, 28), rule) == expected


@pytest.mark.django_db
def test_meetings_generated_eight_weeks_ahead_idempotently():
    panel = PanelFactory(weekday=0, bank_holiday_rule=BankHolidayRule.NEXT_WORKING_DAY)
    created = meetings_generate(today=D(2026, 12, 1))
    assert created == 8
    dates = list(PanelMeeting.objects.filter(panel=panel).values_list("date", "moved_from"))
    assert (D(2026, 12, 29), D(2026, 12, 28)) in dates  # moved off Boxing Day (observed)
    assert meetings_generate(today=D(2026, 12, 1)) == 0
    assert meetings_generate(today=D(2026, 12, 8)) == 1  # one new week at the far end
    assert PanelMeeting.objects.filter(panel=panel).count() == 9


@pytest.mark.django_db
def test_skipped_bank_holiday_meeting_is_not_created():
    panel = PanelFactory(weekday=0, bank_holiday_rule=BankHolidayRule.SKIP)
    meetings_generate(today=D(2026, 12, 21), weeks=2)
    assert list(PanelMeeting.objects.filter(panel=panel).values_list("date", flat=True)) == [
        D(2026, 12, 21)
    ]


@pytest.mark.parametrize(
    ("born", "from_"),
    [
        (D(2021, 10, 15), D(2027, 1, 1)),  # 5 in October -> from the January term
        (D(2021, 1, 1), D(2026, 4, 1)),  # 5 on 1 January -> from the April term
        (D(2021, 3, 31), D(2026, 4, 1)),
        (D(2021, 8, 31), D(2026, 9, 1)),
        (D(2020, 2, 29), D(2025, 4, 1)),  # leap-day birthday
    ],
)
def test_compulsory_school_age(born, from_):
    assert compulsory_school_age_from(born) == from_


def test_early_years_routing_on_the_date_received():
    born = D(2021, 10, 15)  # five on 15 October 2026
    assert under_compulsory_school_age(born, D(2026, 12, 31))
    assert not under_compulsory_school_age(born, D(2027, 1, 1))
    assert under_compulsory_school_age(D(2024, 5, 1), D(2026, 11, 1))
    assert not under_compulsory_school_age(D(2015, 5, 1), D(2026, 11, 1))
