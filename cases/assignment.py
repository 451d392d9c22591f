"""Reassigning cases (issue 13 item 6): a manager moves one case or many to another caseworker,
with a reason. A fixed number of queries however many cases move, each audited (from, to, why),
and the new caseworker told through the assignment hooks."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from audit.services import audit_entry, audit_record_many

from . import errors
from .models import Case
from .roles import may_reassign

#: How many cases one reassignment may move (a page of the list is 25; the API takes more).
MAX_REASSIGN = 500

#: Called as `hook(cases=[...], actor=..., previous={case_id: user or None})` inside the
#: reassignment's transaction: one call for the whole batch (the notifications app tells each
#: new caseworker in one insert).
BULK_ASSIGNMENT_HOOKS: list = []


def register_bulk_assignment_hook(hook) -> None:
    if hook not in BULK_ASSIGNMENT_HOOKS:
        BULK_ASSIGNMENT_HOOKS.append(hook)


def person_name(user) -> str:
    """A person's name as pages show it (never a username unless that is all there is)."""
    if user is None:
        return ""
    return user.get_full_name() or user.get_username()


def assignable_caseworkers():
    """Active caseworkers and managers, by name: who a case may be given to."""
    return (
        get_user_model()
        .objects.filter(is_active=True, groups__name__in=["caseworker", "manager"])
        .distinct()
        .order_by("first_name", "last_name", "username")
    )


def _check_reassign(*, actor, caseworker, references, reason) -> str:
    if not may_reassign(actor):
        raise errors.CaseForbiddenError(errors.REASSIGN_FORBIDDEN)
    if not references:
        raise ValidationError({"cases": errors.REASSIGN_NO_CASES})
    if len(references) > MAX_REASSIGN:
        raise ValidationError({"cases": errors.REASSIGN_TOO_MANY.format(limit=MAX_REASSIGN)})
    if caseworker is None:
        raise ValidationError({"caseworker": errors.REASSIGN_NO_CASEWORKER})
    if not (
        caseworker.is_active
        and caseworker.groups.filter(name__in=["caseworker", "manager"]).exists()
    ):
        raise ValidationError({"caseworker": errors.ASSIGNEE_NOT_CASEWORKER})
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": errors.REASSIGN_REASON_REQUIRED})
    return reason


@transaction.atomic
def cases_reassign(*, actor, references: list[str], caseworker, reason: str) -> list[Case]:
    """Give the cases named by `references` (visible to the manager) to `caseworker`.

    Queries, whatever the number of cases: the actor's roles, the new caseworker's roles, the
    cases locked and read with their current caseworker, one UPDATE, one INSERT of the audit
    rows, then the hooks (the notifications app: recipients, opt-outs, one INSERT). A case
    already with that caseworker is left alone and not audited. A reference the manager cannot
    see, or that does not exist, refuses the whole reassignment: nothing half-done."""
    references = list(dict.fromkeys(ref.strip() for ref in references if ref and ref.strip()))
    reason = _check_reassign(
        actor=actor, caseworker=caseworker, references=references, reason=reason
    )
    cases = list(
        Case.objects.visible_to(actor)
        .filter(reference__in=references)
        .select_related("caseworker")
        .select_for_update(of=("self",))
        .order_by("pk")
    )
    missing = set(references) - {case.reference for case in cases}
    if missing:
        raise ValidationError(
            {"cases": errors.REASSIGN_UNKNOWN.format(references=", ".join(sorted(missing)))}
        )
    moving = [case for case in cases if case.caseworker_id != caseworker.pk]
    if not moving:
        return []
    now = timezone.now()
    previous = {case.pk: case.caseworker for case in moving}
    Case.objects.filter(pk__in=[case.pk for case in moving]).update(
        caseworker=caseworker, updated_at=now
    )
    entries = []
    for case in moving:
        before = previous[case.pk]
        case.caseworker = caseworker
        case.updated_at = now
        entries.append(
            audit_entry(
                actor=actor,
                verb="case.assigned",
                target=case,
                case=case,
                reason=reason,
                payload={
                    "from": before.username if before else None,
                    "to": caseworker.username,
                    "from_name": person_name(before) or None,
                    "to_name": person_name(caseworker),
                },
            )
        )
    audit_record_many(entries)
    for hook in BULK_ASSIGNMENT_HOOKS:
        hook(cases=moving, actor=actor, previous=previous)
    return moving
