"""Risk and due dates are computed in the database, and agree with cases.deadlines."""

import datetime

import pytest

from cases import deadlines
from cases.models import Case

from .factories import case_in_status, make_case

pytestmark = pytest.mark.django_db
D = datetime.date


def test_sql_risk_matches_the_pure_function_around_the_due_date():
    case = make_case(received_on=D(2026, 1, 5))  # decision to assess due 2026-02-16
    due = case.next_milestone_due
    for offset in (-15, -14, -1, 0, 1, 30):
        today = due + datetime.timedelta(days=offset)
        expected = deadlines.risk_level(due, today)
        annotated = Case.objects.with_risk(today).get(pk=case.pk).risk
        assert annotated == expected.value, offset


def test_closed_cases_have_no_risk_and_rolled_off_cases_are_at_risk():
    closed = case_in_status("withdrawn")
    rolled = make_case(received_on=D(2026, 10, 1), today=D(2026, 10, 2))
    Case.objects.filter(pk=rolled.pk).update(rolled_off_agenda=True)
    risks = dict(Case.objects.with_risk(D(2026, 10, 2)).values_list("pk", "risk"))
    assert risks[closed.pk] == ""
    assert risks[rolled.pk] == "at_risk"


def test_filter_and_sort_by_due_date_and_risk_in_one_query(django_assert_num_queries):
    for received in (D(2026, 3, 1), D(2026, 1, 10), D(2026, 2, 1)):
        make_case(received_on=received)
    with django_assert_num_queries(1):
        ordered = list(
            Case.objects.open()
            .with_risk(D(2026, 3, 20))
            .filter(risk="overdue")
            .order_by("final_plan_due")
            .values_list("received_on", flat=True)
        )
    assert ordered == [D(2026, 1, 10), D(2026, 2, 1)]
