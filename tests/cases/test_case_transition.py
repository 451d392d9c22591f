import datetime

import pytest
from django.core.exceptions import ValidationError

from audit.models import AuditEntry
from cases import errors
from cases.models import Case, CaseStatus
from cases.roles import Role
from cases.services import TRANSITIONS, available_transitions, case_transition
from tests.plans.factories import prepare_step

from .factories import TODAY, UserFactory, advice_chosen, case_in_status, caseworker, make_case

pytestmark = pytest.mark.django_db

#: Section 3, written out by hand: (from status, transition) -> to status.
ALLOWED = {
    ("received", "agree_to_assess"): "assessing",
    ("received", "decline_to_assess"): "assessment_declined",
    ("received", "withdraw"): "withdrawn",
    ("assessing", "agree_to_issue"): "drafting",
    ("assessing", "decline_to_issue"): "plan_declined",
    ("assessing", "withdraw"): "withdrawn",
    ("drafting", "issue_draft"): "draft_issued",
    ("drafting", "withdraw"): "withdrawn",
    ("draft_issued", "issue_final"): "final_issued",
    ("draft_issued", "revise_draft"): "drafting",
    ("draft_issued", "withdraw"): "withdrawn",
    ("assessment_declined", "reopen_on_appeal"): "assessing",
    ("plan_declined", "reopen_on_appeal"): "drafting",
}
ALL_PAIRS = [(status, name) for status in CaseStatus.values for name in TRANSITIONS]


def test_the_table_names_only_real_transitions():
    assert {name for _, name in ALLOWED} == set(TRANSITIONS)


@pytest.mark.parametrize(("status", "transition"), ALL_PAIRS)
def test_every_status_and_transition_pair(status, transition):
    actor = caseworker()
    case = case_in_status(status, actor=actor)
    audit_before = AuditEntry.objects.filter(case=case, verb__startswith="case.").count()
    effective = TODAY - datetime.timedelta(days=1)

    if (status, transition) in ALLOWED:
        prepare_step(case, transition, actor)
        moved = case_transition(
            actor=actor,
            case=case,
            transition=transition,
            effective_date=effective,
            reason="Synthetic reason.",
            today=TODAY,
            details=advice_chosen(),
        )
        assert moved.status == ALLOWED[(status, transition)]
        assert Case.objects.get(pk=case.pk).status == ALLOWED[(status, transition)]
        # The case's own steps; advice requested by agree_to_assess is audited on the case too.
        entries = AuditEntry.objects.filter(case=case, verb__startswith="case.").order_by("id")
        assert entries.count() == audit_before + 1
        last = entries.last()
        assert (last.verb, last.from_state, last.to_state) == (
            f"case.{transition}",
            status,
            ALLOWED[(status, transition)],
        )
        assert last.actor == actor
        assert last.effective_date == effective
        assert last.reason == "Synthetic reason."
    else:
        with pytest.raises(errors.TransitionNotAllowedError):
            case_transition(
                actor=actor,
                case=case,
                transition=transition,
                effective_date=effective,
                reason="Synthetic reason.",
                today=TODAY,
            )
        assert Case.objects.get(pk=case.pk).status == status
        assert (
            AuditEntry.objects.filter(case=case, verb__startswith="case.").count() == audit_before
        )


def test_transition_records_actual_dates_and_moves_the_next_milestone():
    case = make_case(received_on=datetime.date(2026, 1, 5))
    assert (case.next_milestone, case.next_milestone_due) == (
        "decision_to_assess",
        datetime.date(2026, 2, 16),
    )
    case = case_transition(
        actor=case.caseworker,
        case=case,
        transition="agree_to_assess",
        effective_date=datetime.date(2026, 2, 16),
        today=TODAY,
        details=advice_chosen(),
    )
    assert case.assessment_decided_on == datetime.date(2026, 2, 16)
    assert case.status_changed_on == datetime.date(2026, 2, 16)
    assert (case.next_milestone, case.next_milestone_due) == (
        "statutory_panel_decision",
        datetime.date(2026, 4, 27),
    )


def test_closed_case_has_no_next_milestone():
    case = case_in_status("final_issued")
    assert (case.next_milestone, case.next_milestone_due) == ("", None)
    assert case.final_issued_on == datetime.date(2026, 1, 5) + datetime.timedelta(days=138)


@pytest.mark.parametrize("transition", ["decline_to_assess", "withdraw"])
def test_reason_required(transition):
    case = make_case()
    with pytest.raises(ValidationError) as excinfo:
        case_transition(
            actor=case.caseworker, case=case, transition=transition, reason="  ", today=TODAY
        )
    assert excinfo.value.message_dict == {"reason": [errors.REASON_REQUIRED]}
    assert Case.objects.get(pk=case.pk).status == "received"
    assert AuditEntry.objects.filter(case=case).count() == 1  # only the creation


def test_decline_records_appeal_rights_sent_when_its_letter_is_sent():
    """Section 11: the family is notified when the decision letter is sent (plans.letters)."""
    from plans.letters import letter_mark_sent  # noqa: PLC0415

    case = case_in_status("assessment_declined")
    assert Case.objects.get(pk=case.pk).appeal_rights_sent_on is None
    for letter in case.letters.all():
        letter_mark_sent(
            actor=case.caseworker,
            letter=letter,
            method="post",
            sent_on=case.assessment_decided_on,
            today=TODAY,
        )
    assert Case.objects.get(pk=case.pk).appeal_rights_sent_on == case.assessment_decided_on


def test_effective_date_in_the_future_is_refused():
    case = make_case()
    with pytest.raises(ValidationError) as excinfo:
        case_transition(
            actor=case.caseworker,
            case=case,
            transition="agree_to_assess",
            effective_date=TODAY + datetime.timedelta(days=1),
            today=TODAY,
        )
    assert excinfo.value.message_dict == {"effective_date": [errors.EFFECTIVE_DATE_IN_FUTURE]}
    assert Case.objects.get(pk=case.pk).status == "received"


def test_effective_date_before_the_previous_transition_is_refused():
    case = case_in_status("assessing")  # agreed on day 40 = 2026-02-14
    with pytest.raises(ValidationError) as excinfo:
        case_transition(
            actor=case.caseworker,
            case=case,
            transition="agree_to_issue",
            effective_date=datetime.date(2026, 2, 13),
            today=TODAY,
        )
    assert excinfo.value.message_dict == {
        "effective_date": [
            errors.EFFECTIVE_DATE_BEFORE_PREVIOUS.format(previous=datetime.date(2026, 2, 14))
        ]
    }
    assert "14 February 2026" in excinfo.value.message_dict["effective_date"][0]
    assert Case.objects.get(pk=case.pk).status == "assessing"


def test_effective_date_on_the_previous_transition_day_is_allowed():
    case = case_in_status("assessing")
    case = case_transition(
        actor=case.caseworker,
        case=case,
        transition="agree_to_issue",
        effective_date=datetime.date(2026, 2, 14),
        today=TODAY,
    )
    assert case.status == "drafting"


def test_effective_date_defaults_to_today(time_machine):
    time_machine.move_to(datetime.datetime(2026, 3, 1, 12, tzinfo=datetime.UTC))
    case = make_case(today=datetime.date(2026, 3, 1))
    case = case_transition(
        actor=case.caseworker, case=case, transition="agree_to_assess", details=advice_chosen()
    )
    assert case.assessment_decided_on == datetime.date(2026, 3, 1)


def test_final_plan_waits_for_the_familys_fifteen_days():
    case = case_in_status("draft_issued")  # draft served on day 120 = 2026-05-05
    with pytest.raises(ValidationError) as excinfo:
        case_transition(
            actor=case.caseworker,
            case=case,
            transition="issue_final",
            effective_date=datetime.date(2026, 5, 19),
            today=TODAY,
        )
    assert "20 May 2026" in excinfo.value.message_dict["effective_date"][0]
    prepare_step(case, "issue_final", case.caseworker)
    case = case_transition(
        actor=case.caseworker,
        case=case,
        transition="issue_final",
        effective_date=datetime.date(2026, 5, 20),
        today=TODAY,
    )
    assert case.status == "final_issued"


def test_unknown_transition_is_a_validation_error():
    case = make_case()
    with pytest.raises(ValidationError) as excinfo:
        case_transition(actor=case.caseworker, case=case, transition="status", today=TODAY)
    assert "transition" in excinfo.value.message_dict


@pytest.mark.parametrize("role", [Role.PARTNER, Role.PANEL_MEMBER])
def test_roles_that_may_not_move_cases_are_forbidden(role):
    case = make_case()
    outsider = UserFactory(roles=[role])
    with pytest.raises(errors.CaseForbiddenError):
        case_transition(actor=outsider, case=case, transition="agree_to_assess", today=TODAY)
    assert Case.objects.get(pk=case.pk).status == "received"
    assert AuditEntry.objects.filter(case=case).count() == 1


def test_panel_chair_may_record_panel_decisions_but_not_issue_plans():
    chair = UserFactory(roles=[Role.PANEL_CHAIR])
    case = make_case()
    assert available_transitions(case, chair) == ["agree_to_assess", "decline_to_assess"]
    drafting = case_in_status("drafting")
    assert available_transitions(drafting, chair) == []
    with pytest.raises(errors.CaseForbiddenError):
        case_transition(actor=chair, case=drafting, transition="issue_draft", today=TODAY)


def test_available_transitions_for_a_caseworker():
    case = make_case()
    assert available_transitions(case, case.caseworker) == [
        "agree_to_assess",
        "decline_to_assess",
        "withdraw",
    ]


def test_stale_expected_status_is_a_conflict_and_changes_nothing():
    case = make_case()
    stale = Case.objects.get(pk=case.pk)
    case_transition(
        actor=case.caseworker,
        case=case,
        transition="agree_to_assess",
        today=TODAY,
        details=advice_chosen(),
    )
    with pytest.raises(errors.ConcurrentChangeError) as excinfo:
        case_transition(
            actor=case.caseworker,
            case=stale,
            transition="withdraw",
            reason="Synthetic.",
            expected_status=stale.status,
            today=TODAY,
        )
    assert "now “Assessing”" in excinfo.value.message  # the status's label
    assert Case.objects.get(pk=case.pk).status == "assessing"
    assert AuditEntry.objects.filter(case=case, verb__startswith="case.").count() == 2


def test_status_cannot_be_assigned_by_hand():
    case = make_case()
    with pytest.raises(AttributeError):
        case.status = "final_issued"


def test_transition_leaves_callers_instance_untouched_on_refusal():
    case = make_case()
    with pytest.raises(errors.TransitionNotAllowedError):
        case_transition(actor=case.caseworker, case=case, transition="issue_final", today=TODAY)
    assert case.status == "received"


def test_a_failing_hook_rolls_the_whole_step_back(monkeypatch):
    from cases import services

    seen = []

    def hook(*, case, actor, effective_date, reason, details):
        seen.append(details)
        raise ValidationError({"advice": "Educational psychology advice is required."})

    monkeypatch.setitem(services.TRANSITION_HOOKS, "agree_to_assess", [hook])
    case = make_case()
    with pytest.raises(ValidationError):
        case_transition(
            actor=case.caseworker,
            case=case,
            transition="agree_to_assess",
            today=TODAY,
            details={"advice": []},
        )
    assert seen == [{"advice": []}]
    assert Case.objects.get(pk=case.pk).status == "received"
    assert AuditEntry.objects.filter(case=case).count() == 1
