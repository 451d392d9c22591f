"""The early-years routing in SQL is held to the rule in Python (`compulsory_school_age_from`):
every birthday of a leap year and the years around it, and cases received either side of the
day the child reaches compulsory school age."""

import datetime

import pytest

from cases import deadlines
from cases.models import Case, Child
from panels.eligibility import (
    assessment_candidates,
    assessment_panel_type,
    compulsory_school_age_from,
    compulsory_school_age_from_sql,
)
from panels.models import PanelType

pytestmark = pytest.mark.django_db
D = datetime.date
ONE_DAY = datetime.timedelta(days=1)
#: Term starts and the days either side, month ends, and leap days (2000 was a leap year, 2100
#: will not be).
BOUNDARY_BIRTHDAYS = [
    D(2021, 1, 1),
    D(2020, 12, 31),
    D(2021, 3, 31),
    D(2021, 4, 1),
    D(2021, 8, 31),
    D(2021, 9, 1),
    D(2020, 2, 29),
    D(2020, 2, 28),
    D(2020, 3, 1),
    D(2019, 2, 28),
    D(2019, 3, 1),
    D(2000, 2, 29),
    D(2024, 2, 29),
]


def test_the_sql_date_is_the_rule_for_every_birthday_across_a_leap_year():
    births = [D(2019, 1, 1) + ONE_DAY * n for n in range((D(2022, 1, 1) - D(2019, 1, 1)).days)]
    births += [b for b in BOUNDARY_BIRTHDAYS if b.year not in (2019, 2020, 2021)]
    Child.objects.bulk_create(
        Child(first_name=f"Born{n}", last_name="Example", date_of_birth=born)
        for n, born in enumerate(births)
    )
    in_sql = dict(
        Child.objects.annotate(
            school_age_from=compulsory_school_age_from_sql("date_of_birth")
        ).values_list("date_of_birth", "school_age_from")
    )
    assert len(in_sql) == len(births) == 1096 + 2
    wrong = {born: day for born, day in in_sql.items() if day != compulsory_school_age_from(born)}
    assert wrong == {}


def _received_case(n: int, born: datetime.date, received: datetime.date) -> Case:
    child = Child.objects.create(first_name=f"Routed{n}", last_name="Example", date_of_birth=born)
    dues = deadlines.due_dates(received)
    return Case(
        reference=f"ROUTE-{n:04d}",
        child=child,
        received_on=received,
        request_source=1,
        primary_need="ASD",
        status_changed_on=received,
        decision_to_assess_due=dues[deadlines.Milestone.DECISION_TO_ASSESS],
        statutory_panel_decision_due=dues[deadlines.Milestone.STATUTORY_PANEL_DECISION],
        draft_plan_due=dues[deadlines.Milestone.DRAFT_PLAN],
        final_plan_due=dues[deadlines.Milestone.FINAL_PLAN],
        next_milestone="decision_to_assess",
        next_milestone_due=dues[deadlines.Milestone.DECISION_TO_ASSESS],
    )


def test_the_sql_routing_is_the_rule_on_either_side_of_school_age():
    cases = []
    for born in BOUNDARY_BIRTHDAYS:
        school_age = compulsory_school_age_from(born)
        for received in (school_age - ONE_DAY, school_age, school_age + ONE_DAY):
            cases.append(_received_case(len(cases), born, received))
    Case.objects.bulk_create(cases)
    expected = {
        panel: {
            case.reference
            for case in Case.objects.select_related("child")
            if assessment_panel_type(case.child.date_of_birth, case.received_on) == panel
        }
        for panel in (PanelType.NAP, PanelType.EY_NAP)
    }
    meeting_day = D(2031, 1, 1)  # after every date received
    in_sql = {
        panel: set(assessment_candidates(panel, meeting_day).values_list("reference", flat=True))
        for panel in (PanelType.NAP, PanelType.EY_NAP)
    }
    assert in_sql == expected
    assert len(expected[PanelType.EY_NAP]) == len(BOUNDARY_BIRTHDAYS)  # the day before only
