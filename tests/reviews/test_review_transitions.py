"""Every review state and step (section 13); refusals leave state and audit untouched."""

import pytest
from django.core.exceptions import ValidationError

from audit.models import AuditEntry
from reviews import errors
from reviews.models import Review
from reviews.services import TRANSITIONS, available_transitions, review_transition
from tests.advice_requests.factories import partner
from tests.cases.factories import ChildFactory, UserFactory, caseworker

from .factories import LETTER, PATHS, TODAY, D, make_plan, review_in_status, school_service

pytestmark = pytest.mark.django_db

#: status -> the steps allowed from it.
ALLOWED = {
    "scheduled": {"send_invitations"},
    "invitations_sent": {"hold_meeting"},
    "meeting_held": {"receive_report"},
    "report_received": {"decide_maintain", "decide_amend", "decide_cease"},
    "amending": {"propose_amendments"},
    "amendments_proposed": {"issue_amended_plan"},
    "cease_proposed": {"record_cease_consultation"},
    "cease_consulted": {"cease_plan", "keep_plan"},
    "maintained": set(),
    "amended": set(),
    "ceased": set(),
}


def _snapshot(review):
    review.refresh_from_db()
    return review.status, AuditEntry.objects.filter(target_id=str(review.pk)).count()


@pytest.mark.parametrize("status", sorted(ALLOWED))
def test_each_status_allows_exactly_its_steps(status):
    actor = caseworker()
    review = review_in_status(status, actor=actor)
    assert set(available_transitions(review, actor)) == ALLOWED[status]


@pytest.mark.parametrize("status", sorted(ALLOWED))
def test_refused_steps_leave_state_and_audit_untouched(status):
    actor = caseworker()
    review = review_in_status(status, actor=actor)
    before = _snapshot(review)
    for name in set(TRANSITIONS) - ALLOWED[status]:
        with pytest.raises(errors.TransitionNotAllowedError):
            review_transition(
                actor=actor, review=review, transition=name, details=LETTER, today=TODAY
            )
    assert _snapshot(review) == before


def test_each_step_is_audited_with_from_and_to():
    review = review_in_status("amended")
    verbs = list(
        AuditEntry.objects.filter(target_id=str(review.pk), verb__startswith="review.")
        .order_by("pk")
        .values_list("verb", "from_state", "to_state")
    )
    assert verbs[0] == ("review.scheduled", "", "scheduled")
    assert verbs[-1] == ("review.issue_amended_plan", "amendments_proposed", "amended")
    assert len(verbs) == 1 + len(PATHS["amended"])


def test_meeting_moves_the_plans_review_date_and_decision_records_the_letter():
    review = review_in_status("maintained")
    plan = review.plan
    plan.refresh_from_db()
    assert plan.last_review_meeting_on == D(2026, 10, 1)
    assert plan.review_due == D(2027, 10, 1)
    assert plan.last_review_decision_on == D(2026, 10, 12)
    assert plan.last_review_outcome == "M"
    assert review.decision_due == D(2026, 10, 29)


def test_decision_needs_the_letter_date():
    actor = caseworker()
    review = review_in_status("report_received", actor=actor)
    before = _snapshot(review)
    with pytest.raises(ValidationError) as raised:
        review_transition(actor=actor, review=review, transition="decide_amend", today=TODAY)
    assert raised.value.message_dict == {"decision_letter_sent_on": [errors.LETTER_REQUIRED]}
    assert _snapshot(review) == before


def test_amended_plan_not_before_the_familys_fifteen_days():
    actor = caseworker()
    review = review_in_status("amendments_proposed", actor=actor)  # proposed 13 October
    before = _snapshot(review)
    with pytest.raises(ValidationError, match="28 October 2026"):
        review_transition(
            actor=actor,
            review=review,
            transition="issue_amended_plan",
            effective_date=D(2026, 10, 27),
            today=D(2026, 11, 10),
        )
    assert _snapshot(review) == before
    review = review_transition(
        actor=actor,
        review=review,
        transition="issue_amended_plan",
        effective_date=D(2026, 10, 28),
        details={"setting_name": "Hillside Secondary (synthetic)", "setting_urn": "123456"},
        today=D(2026, 11, 10),
    )
    assert review.status == "amended"
    review.plan.refresh_from_db()
    assert review.plan.setting_urn == "123456"


def test_amended_plan_due_uses_the_devon_cap():
    review = review_in_status("amendments_proposed")
    # Meeting 1 October + 84 = 24 December; proposed 13 October + 56 = 8 December.
    assert review.amended_plan_due == D(2026, 12, 8)
    assert review.next_milestone == "amended_plan"


def test_ceasing_needs_a_sen2_reason_and_ceases_the_plan():
    actor = caseworker()
    review = review_in_status("cease_consulted", actor=actor)
    before = _snapshot(review)
    with pytest.raises(ValidationError):
        review_transition(
            actor=actor, review=review, transition="cease_plan", details={"cease_reason": 42}
        )
    assert _snapshot(review) == before
    review = review_in_status("ceased")
    review.plan.refresh_from_db()
    assert review.plan.ceased_on == D(2026, 10, 30)
    assert review.plan.cease_reason == 2


def test_effective_date_not_in_future_nor_before_previous_step():
    actor = caseworker()
    review = review_in_status("meeting_held", actor=actor)
    before = _snapshot(review)
    for day, message in [
        (D(2026, 11, 3), errors.EFFECTIVE_DATE_IN_FUTURE),
        (D(2026, 9, 30), "cannot be before the previous step"),
    ]:
        with pytest.raises(ValidationError, match=message):
            review_transition(
                actor=actor,
                review=review,
                transition="receive_report",
                effective_date=day,
                details={"report_text": "x"},
                today=TODAY,
            )
    assert _snapshot(review) == before


def test_a_user_without_a_role_is_refused():
    review = review_in_status("scheduled")
    before = _snapshot(review)
    with pytest.raises(errors.CaseForbiddenError):
        review_transition(actor=UserFactory(), review=review, transition="send_invitations")
    assert _snapshot(review) == before


def test_school_member_sends_the_report_and_another_partner_cannot():
    school = school_service()
    review = review_in_status("meeting_held", school=school)
    outsider = partner(school_service())
    before = _snapshot(review)
    with pytest.raises(errors.CaseForbiddenError):
        review_transition(
            actor=outsider,
            review=review,
            transition="receive_report",
            details={"report_text": "x"},
            today=TODAY,
        )
    assert _snapshot(review) == before
    review = review_transition(
        actor=partner(school),
        review=review,
        transition="receive_report",
        details={"report_text": "Made progress (synthetic).", "report_by": "Ms Head"},
        today=TODAY,
    )
    assert review.status == "report_received"


def test_stale_expected_status_is_refused():
    actor = caseworker()
    review = review_in_status("invitations_sent", actor=actor)
    before = _snapshot(review)
    with pytest.raises(errors.ConcurrentChangeError):
        review_transition(
            actor=actor,
            review=review,
            transition="hold_meeting",
            effective_date=D(2026, 10, 1),
            expected_status="scheduled",
            today=TODAY,
        )
    assert _snapshot(review) == before


def test_one_open_review_per_plan_and_none_for_a_ceased_plan():
    from reviews.services import review_schedule  # noqa: PLC0415

    actor = caseworker()
    review = review_in_status("scheduled", actor=actor)
    with pytest.raises(errors.CaseConflictError, match="already has a review"):
        review_schedule(actor=actor, plan=review.plan, meeting_on=D(2026, 12, 1))
    ceased = review_in_status("ceased", actor=actor)
    with pytest.raises(errors.CaseConflictError, match="ceased"):
        review_schedule(actor=actor, plan=ceased.plan, meeting_on=D(2026, 12, 1))
    assert Review.objects.count() == 2


def test_plan_computes_review_and_phase_transfer_dates():
    child = ChildFactory(date_of_birth=D(2014, 9, 1))
    plan = make_plan(child=child, start_date=D(2024, 2, 29), today=D(2025, 3, 1))
    assert plan.review_due == D(2025, 2, 28)
    assert plan.phase_transfer == "primary_to_secondary"
    assert plan.phase_transfer_due == D(2026, 2, 15)


def test_transferred_in_plan_reviewed_by_the_later_date():
    plan = make_plan(
        start_date=D(2025, 4, 1),
        transferred_in_from_la="Synthetic Shire",
        transferred_in_on=D(2026, 3, 10),
        today=D(2026, 3, 10),
    )
    assert plan.review_due == D(2026, 6, 10)
