"""Section 4: every (status, transition) pair of an advice request, who may take each step,
and that every step is audited against the case."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from advice_requests import errors
from advice_requests.models import AdviceRequest, AdviceStatus
from advice_requests.services import (
    TRANSITIONS,
    advice_request_submit,
    advice_request_transition,
    available_transitions,
)
from audit.models import AuditEntry
from cases import errors as case_errors
from tests.cases.factories import TODAY, UserFactory, caseworker, manager

from .factories import (
    SUMMARY,
    PartnerServiceFactory,
    advice_in_status,
    make_advice,
    partner,
    upload,
)

pytestmark = pytest.mark.django_db

#: Section 4, written out by hand: (from status, transition) -> (to status, who takes it).
ALLOWED = {
    ("requested", "accept"): ("accepted", "partner"),
    ("requested", "decline"): ("declined", "partner"),
    ("accepted", "decline"): ("declined", "partner"),
    ("requested", "cancel"): ("cancelled", "caseworker"),
    ("accepted", "cancel"): ("cancelled", "caseworker"),
    ("accepted", "submit"): ("submitted", "partner"),
    ("returned", "submit"): ("submitted", "partner"),
    ("submitted", "return_for_quality"): ("returned", "caseworker"),
}
ALL_TRANSITIONS = [*TRANSITIONS, "submit"]
ALL_PAIRS = [(status, name) for status in AdviceStatus.values for name in ALL_TRANSITIONS]


def test_the_table_names_only_real_transitions():
    assert {name for _, name in ALLOWED} == set(ALL_TRANSITIONS)


def _fire(actor, advice, transition):
    if transition == "submit":
        return advice_request_submit(
            actor=actor, advice=advice, document=upload(), today=TODAY, **SUMMARY
        ).advice_request
    return advice_request_transition(
        actor=actor, advice=advice, transition=transition, reason="Synthetic.", today=TODAY
    )


def _advice_audit(advice):
    return AuditEntry.objects.filter(case=advice.case, target_id=str(advice.pk)).order_by("id")


@pytest.mark.parametrize(("status", "transition"), ALL_PAIRS)
def test_every_status_and_transition_pair(status, transition):
    service = PartnerServiceFactory()
    advice = advice_in_status(status, service=service)
    member = partner(service)
    audit_before = _advice_audit(advice).count()
    if (status, transition) in ALLOWED:
        target, who = ALLOWED[(status, transition)]
        actor = member if who == "partner" else advice.case.caseworker
        moved = _fire(actor, advice, transition)
        assert moved.status == target
        assert AdviceRequest.objects.get(pk=advice.pk).status == target
        entries = _advice_audit(advice)
        assert entries.count() == audit_before + 1
        last = entries.last()
        assert (last.verb, last.from_state, last.to_state, last.actor) == (
            f"advice.{transition}",
            status,
            target,
            actor,
        )
        assert last.case_id == advice.case_id
    else:
        with pytest.raises(case_errors.TransitionNotAllowedError):
            _fire(member, advice, transition)
        assert AdviceRequest.objects.get(pk=advice.pk).status == status
        assert _advice_audit(advice).count() == audit_before


@pytest.mark.parametrize("transition", ["accept", "decline", "submit"])
def test_only_the_addressed_service_answers(transition):
    advice = advice_in_status("accepted" if transition == "submit" else "requested")
    other_partner = partner(PartnerServiceFactory())
    for outsider in (other_partner, advice.case.caseworker, manager()):
        with pytest.raises(case_errors.CaseForbiddenError):
            _fire(outsider, advice, transition)
    assert AdviceRequest.objects.get(pk=advice.pk).status == advice.status


@pytest.mark.parametrize(
    ("status", "transition"), [("requested", "cancel"), ("submitted", "return_for_quality")]
)
def test_only_caseworkers_and_managers_cancel_and_return(status, transition):
    service = PartnerServiceFactory()
    advice = advice_in_status(status, service=service)
    for outsider in (partner(service), UserFactory(roles=["panel_member"])):
        with pytest.raises(case_errors.CaseForbiddenError):
            _fire(outsider, advice, transition)
    moved = _fire(manager(), advice, transition)
    assert moved.status == ALLOWED[(status, transition)][0]


@pytest.mark.parametrize(
    ("status", "transition"),
    [("requested", "decline"), ("requested", "cancel"), ("submitted", "return_for_quality")],
)
def test_reason_required(status, transition):
    service = PartnerServiceFactory()
    advice = advice_in_status(status, service=service)
    actor = partner(service) if transition == "decline" else advice.case.caseworker
    with pytest.raises(ValidationError) as excinfo:
        advice_request_transition(
            actor=actor, advice=advice, transition=transition, reason="  ", today=TODAY
        )
    assert excinfo.value.message_dict == {"reason": [errors.REASON_REQUIRED]}
    assert AdviceRequest.objects.get(pk=advice.pk).status == status


def test_reason_and_dates_are_recorded():
    advice = advice_in_status("submitted")
    day = TODAY + datetime.timedelta(days=1)
    moved = advice_request_transition(
        actor=advice.case.caseworker,
        advice=advice,
        transition="return_for_quality",
        reason="The provision is not specified.",
        today=day,
    )
    assert (moved.returned_on, moved.status_changed_on, moved.last_reason) == (
        day,
        day,
        "The provision is not specified.",
    )
    assert moved.first_submitted_on == TODAY


def test_resubmission_keeps_the_first_submission_date_and_both_documents():
    service = PartnerServiceFactory()
    advice = advice_in_status("returned", service=service)
    later = TODAY + datetime.timedelta(days=5)
    advice_request_submit(
        actor=partner(service), advice=advice, document=upload(), today=later, **SUMMARY
    )
    advice.refresh_from_db()
    assert (advice.status, advice.first_submitted_on, advice.submitted_on) == (
        "submitted",
        TODAY,
        later,
    )
    assert advice.submissions.count() == 2


def test_stale_expected_status_is_a_conflict_and_changes_nothing():
    service = PartnerServiceFactory()
    advice = advice_in_status("requested", service=service)
    member = partner(service)
    advice_request_transition(actor=member, advice=advice, transition="accept", today=TODAY)
    with pytest.raises(case_errors.ConcurrentChangeError):
        advice_request_transition(
            actor=advice.case.caseworker,
            advice=advice,
            transition="cancel",
            reason="Synthetic.",
            expected_status="requested",
            today=TODAY,
        )
    assert AdviceRequest.objects.get(pk=advice.pk).status == "accepted"


def test_unknown_transition_is_a_validation_error():
    advice = make_advice()
    with pytest.raises(ValidationError) as excinfo:
        advice_request_transition(actor=advice.case.caseworker, advice=advice, transition="status")
    assert "transition" in excinfo.value.message_dict


def test_status_cannot_be_assigned_by_hand():
    advice = make_advice()
    with pytest.raises(AttributeError):
        advice.status = "submitted"


def test_parent_views_are_recorded_by_the_sen_team():
    advice = AdviceRequest.objects.get(kind="parent_views", case=make_advice().case)
    worker = caseworker()
    assert available_transitions(advice, worker) == ["accept", "decline", "cancel"]
    assert available_transitions(advice, partner(PartnerServiceFactory())) == []
    accepted = advice_request_transition(actor=worker, advice=advice, transition="accept")
    submission = advice_request_submit(
        actor=worker, advice=accepted, document=upload(), today=TODAY, **SUMMARY
    )
    assert submission.advice_request.status == "submitted"


def test_available_transitions_by_role():
    service = PartnerServiceFactory()
    advice = advice_in_status("accepted", service=service)
    assert available_transitions(advice, partner(service)) == ["decline", "submit"]
    assert available_transitions(advice, advice.case.caseworker) == ["cancel"]
    assert available_transitions(advice, partner(PartnerServiceFactory())) == []
