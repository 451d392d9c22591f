"""Section 2, reg 8(2): advice exceptions are proposed by a caseworker and agreed by a manager
who did not propose them; they never move the due date."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from advice_requests import errors
from advice_requests.advice_exceptions import advice_exception_agree, advice_exception_propose
from advice_requests.models import AdviceException
from audit.models import AuditEntry
from cases import errors as case_errors
from tests.cases.factories import UserFactory, caseworker, manager

from .factories import make_advice

pytestmark = pytest.mark.django_db
D = datetime.date


def propose(advice, actor=None, **kwargs):
    return advice_exception_propose(
        actor=actor or advice.case.caseworker,
        advice=advice,
        ground=kwargs.pop("ground", "missed_appointment"),
        starts_on=kwargs.pop("starts_on", D(2026, 10, 10)),
        ends_on=kwargs.pop("ends_on", D(2026, 10, 10)),
        notes="Synthetic: the child missed the EP appointment.",
    )


def test_propose_then_a_manager_agrees_and_the_due_date_stays():
    advice = make_advice()
    due = advice.due_on
    exception = propose(advice)
    assert not AdviceException.objects.agreed().exists()
    exception = advice_exception_agree(actor=manager(), exception=exception)
    assert exception.is_agreed
    advice.refresh_from_db()
    assert advice.due_on == due
    verbs = list(AuditEntry.objects.filter(case=advice.case).values_list("verb", flat=True))
    assert verbs[-2:] == ["advice.exception_proposed", "advice.exception_agreed"]


def test_the_proposer_cannot_agree_and_a_caseworker_cannot_agree():
    boss = manager()
    advice = make_advice()
    exception = propose(advice, actor=boss)
    with pytest.raises(case_errors.CaseForbiddenError) as excinfo:
        advice_exception_agree(actor=boss, exception=exception)
    assert excinfo.value.message == errors.EXCEPTION_SELF_AGREE
    with pytest.raises(case_errors.CaseForbiddenError):
        advice_exception_agree(actor=caseworker(), exception=exception)
    exception.refresh_from_db()
    assert not exception.is_agreed


def test_agreeing_twice_is_a_conflict():
    exception = advice_exception_agree(actor=manager(), exception=propose(make_advice()))
    with pytest.raises(case_errors.CaseConflictError):
        advice_exception_agree(actor=manager(), exception=exception)


def test_partners_cannot_propose():
    with pytest.raises(case_errors.CaseForbiddenError):
        propose(make_advice(), actor=UserFactory(roles=["partner"]))


def test_absence_needs_four_weeks_and_dates_in_order():
    advice = make_advice()
    with pytest.raises(ValidationError) as excinfo:
        propose(
            advice, ground="absent_from_area", starts_on=D(2026, 10, 1), ends_on=D(2026, 10, 27)
        )
    assert excinfo.value.message_dict == {"ends_on": [errors.EXCEPTION_TOO_SHORT]}
    propose(advice, ground="absent_from_area", starts_on=D(2026, 10, 1), ends_on=D(2026, 10, 28))
    with pytest.raises(ValidationError):
        propose(advice, starts_on=D(2026, 10, 2), ends_on=D(2026, 10, 1))


def test_school_closure_is_not_an_advice_ground():
    with pytest.raises(ValidationError):
        propose(make_advice(), ground="school_closure")
