"""Decision 0190: the case's stored plan risk inputs (earliest unanswered consultation, earliest
unsent decision letter) follow the services, and the backfill agrees with the rows."""

import datetime

import pytest

from cases.models import Case
from plans import services
from plans.risk_inputs import plan_inputs_backfill
from tests.cases.factories import TODAY, case_in_status, caseworker

from .factories import send_letters
from .test_family_response import _draft_issued

pytestmark = pytest.mark.django_db


def stored(case, field):
    return Case.objects.values_list(field, flat=True).get(pk=case.pk)


def test_a_consultation_sets_the_input_and_its_answer_clears_it():
    case, actor, plan = _draft_issued(120)
    send_letters(case, actor)
    sent_on = case.received_on + datetime.timedelta(days=121)
    consultation = services.consultation_send(
        actor=actor, plan=plan, setting_name="Oak Primary (synthetic)", sent_on=sent_on, today=TODAY
    )
    assert stored(case, "consultation_answer_due") == consultation.due_on
    services.consultation_respond(
        actor=actor,
        consultation=consultation,
        answer="can_meet",
        responded_on=sent_on,
        today=TODAY,
    )
    assert stored(case, "consultation_answer_due") is None


def test_a_decision_letter_sets_the_input_until_the_family_is_sent_it():
    actor = caseworker()
    case = case_in_status("assessing", actor=actor)
    due = (
        case.decision_notices.filter(family_notified_on__isnull=True)
        .order_by("letter_due_on")
        .values_list("letter_due_on", flat=True)
        .first()
    )
    assert due is not None
    assert stored(case, "decision_letter_due") == due
    send_letters(case, actor)
    assert stored(case, "decision_letter_due") is None


def test_the_backfill_agrees_with_the_rows():
    actor = caseworker()
    case = case_in_status("assessing", actor=actor)
    due = stored(case, "decision_letter_due")
    Case.objects.filter(pk=case.pk).update(
        decision_letter_due=None, consultation_answer_due=datetime.date(2026, 1, 1)
    )
    assert plan_inputs_backfill() == 2
    assert (stored(case, "decision_letter_due"), stored(case, "consultation_answer_due")) == (
        due,
        None,
    )


def test_a_new_notice_keeps_the_earliest_letter_due_as_the_full_refresh_would():
    """A new unsent notice only moves the stored date forward (`case_letter_due_include`);
    after each, the stored date is what the full refresh works out from the rows."""
    from plans.letter_models import DecisionNotice, LetterKind  # noqa: PLC0415
    from plans.risk_inputs import case_plan_inputs_refresh  # noqa: PLC0415

    actor = caseworker()
    case = case_in_status("assessing", actor=actor)
    send_letters(case, actor)
    assert stored(case, "decision_letter_due") is None
    later, earlier = datetime.date(2026, 12, 10), datetime.date(2026, 12, 3)
    for due_on, expected in ((later, later), (earlier, earlier), (later, earlier)):
        DecisionNotice.objects.create(
            case=case, kind=LetterKind.DRAFT_PLAN, decided_on=TODAY, letter_due_on=due_on
        )
        assert stored(case, "decision_letter_due") == expected
        case_plan_inputs_refresh([case.pk])
        assert stored(case, "decision_letter_due") == expected
    sent = DecisionNotice.objects.create(
        case=case,
        kind=LetterKind.DRAFT_PLAN,
        decided_on=TODAY,
        letter_due_on=datetime.date(2026, 11, 1),
        family_notified_on=TODAY,
    )
    assert sent.pk
    assert stored(case, "decision_letter_due") == earlier
