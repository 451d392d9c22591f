"""Intake and the family (ehc-process.md section 10): logging a request with the child we may
already know, and keeping the child's and the family's details. Every write here is atomic,
checks the actor's role, validates before it saves (nothing half-saved) and is audited with
before and after values."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from audit.services import audit_record

from . import errors
from .models import Case, Child, ParentCarer
from .roles import may_change_case
from .selectors import possible_duplicate_children, recent_assessment_refusal
from .services import case_create, child_create

#: The caseworker's answer when the possible matches are all someone else.
DIFFERENT_CHILD = "different_child"

#: What a caseworker may change of a child and of a parent carer (the pages and the API).
CHILD_FIELDS = (
    "first_name",
    "last_name",
    "date_of_birth",
    "upn",
    "home_local_authority",
    "current_setting",
    "current_setting_urn",
    "in_year_9_or_above",
    "young_person_consents_to_parents",
    "consent_recorded_on",
)
PARENT_CARER_FIELDS = (
    "name",
    "relationship",
    "address",
    "email",
    "phone",
    "preferred_contact_method",
    "communication_needs",
    "interpreter_language",
    "has_parental_responsibility",
)


def _check_may_change(actor) -> None:
    if not may_change_case(None, actor):
        raise errors.CaseForbiddenError(errors.CHANGE_FORBIDDEN)


def _jsonable(value):
    return value.isoformat() if isinstance(value, datetime.date) else value


def _resolve_child(*, actor, new_child: dict, duplicate_decision) -> tuple[Child, dict]:
    """The new child's record, or the known child the caseworker chose (section 10): a new
    record is made only once every possible match has been answered for."""
    matches = possible_duplicate_children(
        first_name=new_child.get("first_name", ""),
        last_name=new_child.get("last_name", ""),
        date_of_birth=new_child.get("date_of_birth"),
        upn=new_child.get("upn", ""),
    )
    match_ids = [match.child.pk for match in matches]
    if not matches:
        return child_create(actor=actor, **new_child), {"possible_matches": []}
    if duplicate_decision is None or duplicate_decision == "":
        raise errors.DuplicateDecisionRequired(matches)
    if duplicate_decision == DIFFERENT_CHILD:
        child = child_create(actor=actor, **new_child)
        return child, {"possible_matches": match_ids, "duplicate_decision": DIFFERENT_CHILD}
    try:
        chosen = int(duplicate_decision)
    except (TypeError, ValueError):
        chosen = None
    if chosen not in match_ids:
        raise errors.DuplicateDecisionRequired(matches, errors.DUPLICATE_DECISION_NOT_A_MATCH)
    child = next(match.child for match in matches if match.child.pk == chosen)
    return child, {"possible_matches": match_ids, "duplicate_decision": "same_child"}


@transaction.atomic
def request_log(
    *,
    actor,
    received_on: datetime.date,
    request_source: int,
    primary_need: str,
    child: Child | None = None,
    new_child: dict | None = None,
    parent_carers: list[dict] | None = None,
    duplicate_decision: int | str | None = None,
    secondary_needs: list[str] | None = None,
    caseworker=None,
    evidence_deadline: datetime.date | None = None,
    today: datetime.date | None = None,
) -> Case:
    """Log a request the day it arrives (section 10): the child (a known one, or a new record
    once the possible matches are answered for), the people with parental responsibility, and
    the case through `case_create`, so the clock starts exactly as it always does. A refusal to
    assess in the 6 months before is recorded in the audit row, never a reason to refuse."""
    _check_may_change(actor)
    if (child is None) == (new_child is None):
        raise ValidationError(
            {"child": errors.CHILD_REQUIRED if child is None else errors.CHILD_BOTH}
        )
    if child is not None:
        intake = {"existing_child": child.pk}
    else:
        child, intake = _resolve_child(
            actor=actor, new_child=new_child, duplicate_decision=duplicate_decision
        )
    refusal = recent_assessment_refusal(child_id=child.pk, received_on=received_on)
    if refusal is not None:
        intake["recent_refusal"] = refusal.reference
    case = case_create(
        actor=actor,
        child=child,
        received_on=received_on,
        request_source=request_source,
        primary_need=primary_need,
        secondary_needs=secondary_needs,
        caseworker=caseworker,
        evidence_deadline=evidence_deadline,
        today=today,
        intake=intake,
    )
    for person in parent_carers or ():
        parent_carer_create(actor=actor, child=child, data=person, case=case)
    return case


@transaction.atomic
def parent_carer_create(*, actor, child: Child, data: dict, case: Case | None = None):
    """A person with (or without) parental responsibility for the child, and how to reach
    them (section 10). Audited with what was recorded."""
    _check_may_change(actor)
    unknown = set(data) - set(PARENT_CARER_FIELDS)
    if unknown:
        raise ValidationError(dict.fromkeys(unknown, "This field cannot be set here."))
    person = ParentCarer(child=child, **data)
    person.full_clean()
    person.save()
    audit_record(
        actor=actor,
        verb="parent_carer.created",
        target=person,
        case=case,
        payload={"values": {name: _jsonable(getattr(person, name)) for name in data}},
    )
    return person


def _apply_changes(instance, data: dict, allowed) -> dict:
    changes = {}
    for name, value in data.items():
        if name not in allowed:
            raise ValidationError({name: "This field cannot be changed here."})
        before = getattr(instance, name)
        if before != value:
            changes[name] = [_jsonable(before), _jsonable(value)]
            setattr(instance, name, value)
    return changes


@transaction.atomic
def parent_carer_update(*, actor, parent_carer: ParentCarer, data: dict, case: Case | None = None):
    """Correct a person's details; audited with each changed field's before and after."""
    _check_may_change(actor)
    person = ParentCarer.objects.select_for_update().get(pk=parent_carer.pk)
    changes = _apply_changes(person, data, PARENT_CARER_FIELDS)
    if not changes:
        return person
    person.full_clean()
    person.save()
    audit_record(
        actor=actor,
        verb="parent_carer.updated",
        target=person,
        case=case,
        payload={"changes": changes},
    )
    return person


def _check_consent(child: Child, changes: dict, today: datetime.date) -> None:
    """Section 10: a young person's consent to their parents seeing the case, with its date."""
    if not {"young_person_consents_to_parents", "consent_recorded_on"} & set(changes):
        return
    if child.young_person_consents_to_parents is None:
        if child.consent_recorded_on is not None:
            changes["consent_recorded_on"] = [_jsonable(child.consent_recorded_on), None]
            child.consent_recorded_on = None
        return
    if not child.is_young_person(today):
        raise ValidationError({"young_person_consents_to_parents": errors.CONSENT_NOT_YOUNG_PERSON})
    if child.consent_recorded_on is None:
        raise ValidationError({"consent_recorded_on": errors.CONSENT_DATE_REQUIRED})
    if child.consent_recorded_on > today:
        raise ValidationError({"consent_recorded_on": errors.CONSENT_DATE_IN_FUTURE})


@transaction.atomic
def child_update(
    *, actor, child: Child, data: dict, case: Case | None = None, today: datetime.date | None = None
) -> Child:
    """Correct the child's details or record a young person's consent; audited with each
    changed field's before and after."""
    _check_may_change(actor)
    today = today or timezone.localdate()
    locked = Child.objects.select_for_update().get(pk=child.pk)
    changes = _apply_changes(locked, data, CHILD_FIELDS)
    if not changes:
        return locked
    _check_consent(locked, changes, today)
    locked.full_clean()
    locked.save()
    audit_record(
        actor=actor, verb="child.updated", target=locked, case=case, payload={"changes": changes}
    )
    return locked
