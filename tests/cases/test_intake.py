"""Section 10: logging a request (cases.intake.request_log) and the family's details."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from audit.models import AuditEntry
from audit.selectors import case_history
from cases import errors
from cases.intake import DIFFERENT_CHILD, child_update, parent_carer_update, request_log
from cases.models import Case, Child, ParentCarer
from cases.roles import Role
from security.subject_access import child_record

from .factories import TODAY, ChildFactory, UserFactory, case_in_status, caseworker, make_case

pytestmark = pytest.mark.django_db
BORN = datetime.date(2016, 4, 2)
RECEIVED = datetime.date(2026, 10, 20)
PERSON = {
    "name": "Pat Example",
    "relationship": "Mother",
    "email": "pat@example.invalid",
    "phone": "01632 960 001",
    "preferred_contact_method": "post",
    "address": "1 Example Road, Demo Town, ZZ1 1ZZ",
    "interpreter_language": "Polish",
    "has_parental_responsibility": True,
}


def _log(actor, **kwargs):
    kwargs.setdefault(
        "new_child", {"first_name": "Noor", "last_name": "Ali", "date_of_birth": BORN}
    )
    return request_log(
        actor=actor,
        received_on=RECEIVED,
        request_source=1,
        primary_need="ASD",
        caseworker=actor,
        today=TODAY,
        **kwargs,
    )


def test_a_new_child_with_the_family_starts_the_clock_as_case_create_does():
    actor = caseworker()
    case = _log(actor, parent_carers=[PERSON])
    assert case.reference == "EHC-2026-00001"
    assert case.decision_to_assess_due == RECEIVED + datetime.timedelta(days=42)
    assert case.final_plan_due == RECEIVED + datetime.timedelta(days=140)
    person = case.child.parent_carers.get()
    assert (person.name, person.interpreter_language) == ("Pat Example", "Polish")
    created = case_history(case=case).get(verb="case.created")
    assert created.actor == actor
    assert created.payload == {"possible_matches": []}
    added = case_history(case=case).get(verb="parent_carer.created")
    assert added.payload["values"]["preferred_contact_method"] == "post"


def test_possible_matches_without_a_decision_are_refused_and_nothing_saved():
    known = ChildFactory(first_name="Nour", last_name="Ali", date_of_birth=BORN)
    with pytest.raises(errors.DuplicateDecisionRequired) as excinfo:
        _log(caseworker(), parent_carers=[PERSON])
    assert [match.child.pk for match in excinfo.value.matches] == [known.pk]
    assert excinfo.value.message_dict == {
        "duplicate_decision": [errors.DUPLICATE_DECISION_REQUIRED]
    }
    assert Child.objects.count() == 1
    assert (Case.objects.count(), ParentCarer.objects.count()) == (0, 0)


def test_different_child_makes_a_new_record_and_the_audit_says_so():
    twin = ChildFactory(first_name="Sami", last_name="Ali", date_of_birth=BORN)
    case = _log(caseworker(), duplicate_decision=DIFFERENT_CHILD)
    assert case.child.pk != twin.pk
    created = case_history(case=case).get(verb="case.created")
    assert created.payload == {
        "possible_matches": [twin.pk],
        "duplicate_decision": DIFFERENT_CHILD,
    }


def test_choosing_the_known_child_uses_their_record():
    known = ChildFactory(first_name="Noor", last_name="Ali", date_of_birth=BORN)
    case = _log(caseworker(), duplicate_decision=known.pk, parent_carers=[PERSON])
    assert case.child == known
    assert Child.objects.count() == 1
    assert known.parent_carers.count() == 1
    created = case_history(case=case).get(verb="case.created")
    assert created.payload["duplicate_decision"] == "same_child"


def test_a_decision_that_is_not_one_of_the_matches_is_refused():
    ChildFactory(first_name="Noor", last_name="Ali", date_of_birth=BORN)
    other = ChildFactory(first_name="Someone", last_name="Else")
    with pytest.raises(ValidationError) as excinfo:
        _log(caseworker(), duplicate_decision=other.pk)
    assert excinfo.value.message_dict == {
        "duplicate_decision": [errors.DUPLICATE_DECISION_NOT_A_MATCH]
    }
    assert Case.objects.count() == 0


def test_a_refusal_in_the_last_six_months_is_flagged_never_refused():
    actor = caseworker()
    declined = case_in_status(
        "assessment_declined", actor=actor, received_on=datetime.date(2026, 3, 20)
    )
    # Declined on day 40, 29 April 2026: within the 6 months before 20 October (from 20 April),
    # not within those before 2 November (from 2 May).
    assert declined.assessment_decided_on == datetime.date(2026, 4, 29)
    case = _log(actor, child=declined.child, new_child=None)
    entry = case_history(case=case).get(verb="case.created")
    assert entry.payload == {
        "existing_child": declined.child.pk,
        "recent_refusal": declined.reference,
    }
    later = request_log(
        actor=actor,
        child=declined.child,
        received_on=TODAY,
        request_source=2,
        primary_need="ASD",
        today=TODAY,
    )
    assert "recent_refusal" not in case_history(case=later).get(verb="case.created").payload


def test_a_bad_parent_carer_saves_nothing():
    bad = {**PERSON, "email": "not-an-email", "phone": "12"}
    with pytest.raises(ValidationError) as excinfo:
        _log(caseworker(), parent_carers=[bad])
    assert excinfo.value.message_dict["email"] == [
        "Enter an email address in the correct format, like name@example.com"
    ]
    assert excinfo.value.message_dict["phone"] == [
        "Enter a telephone number, like 01632 960 001 or 07700 900 982"
    ]
    assert (Child.objects.count(), Case.objects.count()) == (0, 0)
    assert not AuditEntry.objects.exists()


def test_only_caseworkers_and_managers_log_requests():
    with pytest.raises(errors.CaseForbiddenError):
        _log(UserFactory(roles=[Role.PANEL_CHAIR]))
    assert Child.objects.count() == 0


def test_a_parent_carer_update_is_audited_with_before_and_after():
    case = make_case()
    person = ParentCarer.objects.create(child=case.child, name="Pat", email="a@example.invalid")
    parent_carer_update(
        actor=case.caseworker,
        parent_carer=person,
        data={"email": "b@example.invalid", "name": "Pat"},
        case=case,
    )
    entry = case_history(case=case).get(verb="parent_carer.updated")
    assert entry.payload == {"changes": {"email": ["a@example.invalid", "b@example.invalid"]}}


def test_consent_is_recorded_only_for_a_young_person_with_its_date():
    child = ChildFactory(date_of_birth=datetime.date(2018, 3, 14))
    actor = caseworker()
    with pytest.raises(ValidationError) as excinfo:
        child_update(
            actor=actor,
            child=child,
            data={"young_person_consents_to_parents": True, "consent_recorded_on": TODAY},
            today=TODAY,
        )
    assert "young_person_consents_to_parents" in excinfo.value.message_dict
    older = ChildFactory(date_of_birth=datetime.date(2009, 1, 10))
    with pytest.raises(ValidationError) as excinfo:
        child_update(
            actor=actor, child=older, data={"young_person_consents_to_parents": True}, today=TODAY
        )
    assert excinfo.value.message_dict == {"consent_recorded_on": [errors.CONSENT_DATE_REQUIRED]}
    older = child_update(
        actor=actor,
        child=older,
        data={"young_person_consents_to_parents": True, "consent_recorded_on": TODAY},
        today=TODAY,
    )
    assert older.young_person_consents_to_parents is True
    entry = AuditEntry.objects.get(verb="child.updated")
    assert entry.payload["changes"]["consent_recorded_on"] == [None, "2026-11-02"]


def test_the_family_and_their_audit_rows_are_in_the_subject_access_record():
    case = _log(caseworker(), parent_carers=[PERSON])
    record = child_record(child=case.child)
    assert list(record[ParentCarer].values_list("name", flat=True)) == ["Pat Example"]
    verbs = set(record[AuditEntry].values_list("verb", flat=True))
    assert {"case.created", "parent_carer.created"} <= verbs
