"""Disputes' services and transitions: allowed steps, refused steps leaving state and audit
untouched, an order reopening the case on the order's clock, SEN2 keeping the original outcome."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from audit.models import AuditEntry
from cases import errors as case_errors
from cases.models import Case
from disputes import errors, services
from disputes.models import Dispute, Mediation, OrderDeadline
from reports.sen2 import sen2_rows
from tests.cases.factories import UserFactory, case_in_status

from .factories import LETTER, RECEIVED, appealed, declined_dispute

pytestmark = pytest.mark.django_db
D = datetime.date


def _audit_count():
    return AuditEntry.objects.count()


def test_a_declined_case_opens_its_window_from_the_letter_date():
    actor, case, dispute = declined_dispute()
    assert dispute.decision_letter_sent_on == LETTER == case.appeal_rights_sent_on
    assert dispute.appeal_deadline == D(2026, 4, 14)
    entry = AuditEntry.objects.filter(verb="dispute.opened").get()
    assert entry.case_id == case.pk
    assert entry.payload["appeal_deadline"] == "2026-04-14"


def test_the_caseworker_may_enter_the_letters_own_date():
    case = case_in_status("plan_declined", family_told=True, received_on=RECEIVED)
    dispute = services.dispute_open(
        actor=case.caseworker,
        case=case,
        decision="decline_to_issue",
        letter_sent_on=D(2026, 4, 20),
    )
    assert dispute.appeal_deadline == D(2026, 6, 20)


def test_a_case_without_such_a_decision_is_refused_and_nothing_is_written():
    case = case_in_status("assessing", received_on=RECEIVED)
    before = _audit_count()
    with pytest.raises(ValidationError) as caught:
        services.dispute_open(actor=case.caseworker, case=case, decision="decline_to_assess")
    assert caught.value.message_dict["decision"] == [errors.NOT_APPEALABLE_YET]
    assert not Dispute.objects.exists()
    assert _audit_count() == before


def test_someone_without_a_caseworker_role_is_refused():
    _, case, _ = declined_dispute()
    with pytest.raises(case_errors.CaseForbiddenError):
        services.dispute_open(actor=UserFactory(), case=case, decision="decline_to_issue")


def test_mediation_steps_and_a_late_certificate_moves_the_deadline():
    actor, _, dispute = declined_dispute()
    mediation = services.mediation_start(
        actor=actor, dispute=dispute, adviser_contacted_on=D(2026, 3, 2)
    )
    services.mediation_transition(
        actor=actor,
        mediation=mediation,
        transition="choose_mediation",
        effective_date=D(2026, 3, 4),
    )
    mediation.refresh_from_db()
    assert mediation.mediation_due == D(2026, 4, 3)  # reg 37: 30 days
    services.mediation_transition(
        actor=actor,
        mediation=mediation,
        transition="record_held",
        effective_date=D(2026, 3, 30),
        outcome="no_agreement",
    )
    services.mediation_transition(
        actor=actor,
        mediation=mediation,
        transition="issue_certificate",
        effective_date=D(2026, 4, 1),
    )
    dispute.refresh_from_db()
    assert dispute.appeal_deadline == D(2026, 5, 1)  # 1 month from the certificate: later
    verbs = list(
        AuditEntry.objects.filter(verb__startswith="mediation.").values_list("verb", flat=True)
    )
    assert verbs == [
        "mediation.adviser_contacted",
        "mediation.choose_mediation",
        "mediation.record_held",
        "mediation.issue_certificate",
    ]


def test_a_refused_mediation_step_leaves_state_and_audit_untouched():
    actor, _, dispute = declined_dispute()
    mediation = services.mediation_start(
        actor=actor, dispute=dispute, adviser_contacted_on=D(2026, 3, 2)
    )
    before = _audit_count()
    with pytest.raises(case_errors.TransitionNotAllowedError):
        services.mediation_transition(
            actor=actor,
            mediation=mediation,
            transition="record_held",
            effective_date=D(2026, 3, 5),
            outcome="agreement",
        )
    mediation.refresh_from_db()
    assert mediation.status == "adviser_contacted"
    assert mediation.held_on is None
    assert _audit_count() == before


def test_a_date_before_the_letter_is_refused():
    actor, _, dispute = declined_dispute()
    with pytest.raises(ValidationError):
        services.mediation_start(actor=actor, dispute=dispute, adviser_contacted_on=D(2026, 2, 1))
    assert not Mediation.objects.exists()


def test_registering_an_appeal_sets_the_response_due_in_working_days():
    _, _, dispute, appeal = appealed(registered_on=D(2026, 3, 2))
    # 30 working days from Mon 2 March 2026, Good Friday 3 April and Easter Monday 6 April off.
    assert appeal.response_due == D(2026, 4, 15)
    dispute.refresh_from_db()
    assert dispute.status == "appealed"


def test_an_order_to_assess_reopens_the_case_on_the_orders_clock_and_sen2_keeps_the_refusal():
    actor, case, dispute, appeal = appealed()
    services.appeal_response_sent(actor=actor, appeal=appeal, sent_on=D(2026, 4, 10))
    services.appeal_outcome_record(
        actor=actor, appeal=appeal, outcome="order", decided_on=D(2026, 6, 3), order_kind="assess"
    )
    case = Case.objects.get(pk=case.pk)
    assert case.status == "assessing"
    assert case.next_milestone == "statutory_panel_decision"
    assert case.next_milestone_due == D(2026, 8, 12)  # reg 44(2)(b)(i): 10 weeks from 3 June
    assert case.assessment_decided_on == LETTER  # the original decision is untouched
    assert case.statutory_panel_decision_due == RECEIVED + datetime.timedelta(days=112)
    steps = dict(OrderDeadline.objects.values_list("step", "due_on"))
    assert steps == {
        "notify_assessment": D(2026, 6, 17),
        "decide_whether_to_issue": D(2026, 8, 12),
        "final_plan": D(2026, 9, 9),
    }
    dispute.refresh_from_db()
    assert dispute.status == "closed"
    row = next(r for r in sen2_rows(year=2026)["requests"] if r["RequestID"] == case.reference)
    assert row["RequestOutcome"] == "N"  # decided not to assess: the refusal keeps its outcome
    assert row["RequestOutcomeDate"] == LETTER.isoformat()
    assert (row["RequestTribunal"], row["RequestMediation"]) == ("1", "0")


def test_an_order_to_issue_reopens_to_drafting_and_the_draft_completes_its_step():
    actor, case, _, appeal = appealed("plan_declined", registered_on=D(2026, 5, 4))
    services.appeal_outcome_record(
        actor=actor,
        appeal=appeal,
        outcome="order",
        decided_on=D(2026, 7, 1),
        order_kind="issue_plan",
    )
    case = Case.objects.get(pk=case.pk)
    assert case.status == "drafting"
    assert case.next_milestone_due == D(2026, 8, 5)  # reg 44(2)(c)(i): 5 weeks
    from cases.services import case_transition  # noqa: PLC0415
    from tests.plans.factories import prepare_step  # noqa: PLC0415

    prepare_step(case, "issue_draft", actor)
    case_transition(actor=actor, case=case, transition="issue_draft", effective_date=D(2026, 8, 3))
    case.refresh_from_db()
    assert case.next_milestone == "final_plan"
    assert case.next_milestone_due == D(2026, 9, 16)  # 11 weeks
    draft = OrderDeadline.objects.get(step="draft_plan")
    assert draft.done_on == D(2026, 8, 3)
    assert draft.on_time
    row = next(r for r in sen2_rows(year=2026)["assessment"] if r["RequestID"] == case.reference)
    assert row["AssessmentOutcome"] == "N"  # decided not to issue: kept after the order
    assert row["AssessmentTribunal"] == "1"


def test_an_order_needs_its_kind_and_nothing_is_written_without_it():
    actor, case, _, appeal = appealed()
    before = _audit_count()
    with pytest.raises(ValidationError) as caught:
        services.appeal_outcome_record(
            actor=actor, appeal=appeal, outcome="order", decided_on=D(2026, 6, 3)
        )
    assert caught.value.message_dict["order_kind"] == [errors.ORDER_KIND_REQUIRED]
    appeal.refresh_from_db()
    assert appeal.status == "registered"
    assert _audit_count() == before


def test_a_withdrawn_appeal_closes_the_dispute_without_an_order():
    actor, case, dispute, appeal = appealed()
    services.appeal_outcome_record(
        actor=actor, appeal=appeal, outcome="withdrawn", decided_on=D(2026, 4, 1)
    )
    assert not OrderDeadline.objects.exists()
    assert Case.objects.get(pk=case.pk).status == "assessment_declined"


def test_a_mediation_agreement_to_amend_takes_reg_44_limits_and_other_actions_two_weeks():
    actor, _, dispute = declined_dispute()
    mediation = services.mediation_start(
        actor=actor, dispute=dispute, adviser_contacted_on=D(2026, 3, 2)
    )
    services.mediation_transition(
        actor=actor,
        mediation=mediation,
        transition="choose_mediation",
        effective_date=D(2026, 3, 3),
    )
    services.mediation_transition(
        actor=actor,
        mediation=mediation,
        transition="record_held",
        effective_date=D(2026, 3, 20),
        outcome="agreement",
    )
    order = services.mediation_agreement_action_add(
        actor=actor, mediation=mediation, kind="other", terms="Share the EP report."
    )
    assert order.deadlines.get().due_on == D(2026, 4, 3)  # reg 42(3): 2 weeks


def test_recording_an_order_step_done_is_audited_and_cannot_be_done_twice():
    actor, _, _, appeal = appealed()
    services.appeal_outcome_record(
        actor=actor, appeal=appeal, outcome="order", decided_on=D(2026, 6, 3), order_kind="assess"
    )
    notify = OrderDeadline.objects.get(step="notify_assessment")
    services.order_step_complete(actor=actor, deadline=notify, done_on=D(2026, 6, 10))
    assert AuditEntry.objects.filter(verb="dispute.order_step_done").get().payload["on_time"]
    with pytest.raises(case_errors.CaseConflictError):
        services.order_step_complete(actor=actor, deadline=notify, done_on=D(2026, 6, 11))


def test_a_case_referred_back_to_reconsider_gets_two_weeks_and_stays_declined():
    # Reg 43(2)(d), 44(2)(d) (decision 0140): the council reconsiders within 2 weeks; the case
    # is not reopened by the order itself (an order to issue would).
    actor, case, dispute, appeal = appealed("plan_declined", registered_on=D(2026, 5, 4))
    services.appeal_outcome_record(
        actor=actor,
        appeal=appeal,
        outcome="order",
        decided_on=D(2026, 7, 1),
        order_kind="reconsider",
    )
    (deadline,) = OrderDeadline.objects.filter(dispute=dispute)
    assert (deadline.step, deadline.due_on, deadline.regulation) == (
        "reconsider",
        D(2026, 7, 15),
        "reg 44(2)(d)",
    )
    assert Case.objects.get(pk=case.pk).status == "plan_declined"
    assert not deadline.on_case_clock
