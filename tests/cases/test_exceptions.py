import datetime

import pytest
from django.core.exceptions import ValidationError

from cases import errors
from cases.exception_services import exception_agree, exception_propose
from cases.models import CaseException, ExceptionGround

from .factories import UserFactory, case_in_status, caseworker, manager

pytestmark = pytest.mark.django_db
D = datetime.date


def propose(case, actor=None, **kwargs):
    return exception_propose(
        actor=actor or case.caseworker,
        case=case,
        ground=kwargs.pop("ground", ExceptionGround.EXCEPTIONAL_PERSONAL_CIRCUMSTANCES),
        starts_on=kwargs.pop("starts_on", D(2026, 2, 1)),
        ends_on=kwargs.pop("ends_on", D(2026, 3, 15)),
        notes="Synthetic evidence.",
    )


def test_proposed_exception_does_not_count_until_a_manager_agrees():
    case = case_in_status("assessing")
    exception = propose(case)
    assert not exception.is_agreed
    assert not CaseException.objects.agreed().exists()
    boss = manager()
    exception = exception_agree(actor=boss, exception=exception, family_notified_on=D(2026, 3, 16))
    assert exception.is_agreed
    assert exception.agreed_by == boss
    assert list(CaseException.objects.agreed()) == [exception]
    verbs = list(case.audit_entries.values_list("verb", flat=True))
    assert verbs[-2:] == ["case.exception_proposed", "case.exception_agreed"]


def test_an_exception_never_moves_a_due_date():
    case = case_in_status("assessing")
    dues = (case.decision_to_assess_due, case.final_plan_due, case.next_milestone_due)
    exception_agree(actor=manager(), exception=propose(case))
    case.refresh_from_db()
    assert (case.decision_to_assess_due, case.final_plan_due, case.next_milestone_due) == dues


def test_only_a_manager_agrees():
    case = case_in_status("assessing")
    exception = propose(case)
    with pytest.raises(errors.CaseForbiddenError):
        exception_agree(actor=caseworker(), exception=exception)
    exception.refresh_from_db()
    assert not exception.is_agreed


def test_the_proposer_cannot_agree_their_own_exception():
    boss = manager()
    case = case_in_status("assessing")
    exception = propose(case, actor=boss)
    with pytest.raises(errors.CaseForbiddenError, match="someone other"):
        exception_agree(actor=boss, exception=exception)


def test_agreeing_twice_is_a_conflict():
    case = case_in_status("assessing")
    exception = exception_agree(actor=manager(), exception=propose(case))
    with pytest.raises(errors.CaseConflictError):
        exception_agree(actor=manager(), exception=exception)


def test_partner_cannot_propose():
    case = case_in_status("assessing")
    with pytest.raises(errors.CaseForbiddenError):
        propose(case, actor=UserFactory(roles=["partner"]))


def test_end_before_start_is_refused():
    case = case_in_status("assessing")
    with pytest.raises(ValidationError) as excinfo:
        propose(case, starts_on=D(2026, 3, 1), ends_on=D(2026, 2, 1))
    assert excinfo.value.message_dict == {"ends_on": [errors.EXCEPTION_ENDS_BEFORE_START]}
    assert not CaseException.objects.exists()


@pytest.mark.parametrize(
    "ground", [ExceptionGround.ABSENT_FROM_AREA, ExceptionGround.SCHOOL_CLOSURE]
)
def test_four_week_grounds_need_four_weeks(ground):
    case = case_in_status("assessing")
    with pytest.raises(ValidationError):
        propose(case, ground=ground, starts_on=D(2026, 2, 1), ends_on=D(2026, 2, 27))
    assert propose(case, ground=ground, starts_on=D(2026, 2, 1), ends_on=D(2026, 2, 28)).pk


def test_advice_only_ground_is_not_a_case_exception():
    case = case_in_status("assessing")
    with pytest.raises(ValidationError):
        propose(case, ground="missed_appointment")
