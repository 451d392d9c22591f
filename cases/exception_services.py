"""Exceptions to the time limits (ehc-process.md section 2): proposed by a caseworker with the
evidence, agreed by a manager who is not the proposer. They never move a due date."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from audit.services import audit_record

from . import errors
from .models import Case, CaseException, ExceptionGround
from .roles import Role, has_role, may_agree_exception
from .services import start_of_day

#: Regs 5(4), 8(2): these grounds excuse only a continuous period of at least 4 weeks.
FOUR_WEEK_GROUNDS = frozenset({ExceptionGround.SCHOOL_CLOSURE, ExceptionGround.ABSENT_FROM_AREA})
FOUR_WEEKS = 28


def check_exception_proposal(
    *, actor, ground: str, starts_on: datetime.date, ends_on: datetime.date | None
) -> None:
    """What every proposal must satisfy, for a case or for an advice request (section 2)."""
    if not has_role(actor, Role.CASEWORKER, Role.MANAGER):
        raise errors.CaseForbiddenError(errors.EXCEPTION_PROPOSE_FORBIDDEN)
    if ends_on is not None and ends_on < starts_on:
        raise ValidationError({"ends_on": errors.EXCEPTION_ENDS_BEFORE_START})
    too_short = ends_on is not None and (ends_on - starts_on).days + 1 < FOUR_WEEKS
    if ground in FOUR_WEEK_GROUNDS and too_short:
        raise ValidationError({"ends_on": errors.EXCEPTION_TOO_SHORT})


def record_agreement(
    *,
    actor,
    exception,
    family_notified_on: datetime.date | None,
    agreed_on: datetime.date | None = None,
    allow_self_agreement: bool = False,
) -> None:
    """Agree a locked exception (four eyes: not its proposer) and save it; the caller audits."""
    if exception.is_agreed:
        raise errors.CaseConflictError(errors.EXCEPTION_ALREADY_AGREED)
    if exception.proposed_by_id == actor.pk and not allow_self_agreement:
        raise errors.CaseForbiddenError(errors.EXCEPTION_SELF_AGREE)
    exception.agreed_by = actor
    exception.agreed_at = start_of_day(agreed_on) if agreed_on else timezone.now()
    exception.family_notified_on = family_notified_on
    exception.save(update_fields=["agreed_by", "agreed_at", "family_notified_on"])


@transaction.atomic
def exception_propose(
    *,
    actor,
    case: Case,
    ground: str,
    starts_on: datetime.date,
    ends_on: datetime.date | None = None,
    notes: str,
) -> CaseException:
    """Section 2: a caseworker proposes an exception with its evidence; it counts once agreed."""
    check_exception_proposal(actor=actor, ground=ground, starts_on=starts_on, ends_on=ends_on)
    case = Case.objects.select_for_update().get(pk=case.pk)
    exception = CaseException(
        case=case,
        ground=ground,
        starts_on=starts_on,
        ends_on=ends_on,
        notes=(notes or "").strip(),
        proposed_by=actor,
    )
    exception.full_clean()
    exception.save()
    audit_record(
        actor=actor,
        verb="case.exception_proposed",
        target=exception,
        case=case,
        effective_date=starts_on,
        reason=exception.notes,
        payload={
            "ground": ground,
            "starts_on": starts_on.isoformat(),
            "ends_on": ends_on.isoformat() if ends_on else None,
        },
    )
    return exception


@transaction.atomic
def exception_agree(
    *,
    actor,
    exception: CaseException,
    family_notified_on: datetime.date | None = None,
    allow_self_agreement: bool = False,
    agreed_on: datetime.date | None = None,
) -> CaseException:
    """A manager agrees a proposed exception (four eyes: not the proposer). It never moves a
    due date; it changes how a late milestone is counted. `allow_self_agreement` and
    `agreed_on` are for the tracker import only, which records exceptions a council agreed
    (on a past date) before it used this system."""
    if not may_agree_exception(actor):
        raise errors.CaseForbiddenError(errors.EXCEPTION_AGREE_FORBIDDEN)
    exception = CaseException.objects.select_for_update().get(pk=exception.pk)
    record_agreement(
        actor=actor,
        exception=exception,
        family_notified_on=family_notified_on,
        agreed_on=agreed_on,
        allow_self_agreement=allow_self_agreement,
    )
    audit_record(
        actor=actor,
        verb="case.exception_agreed",
        target=exception,
        case=exception.case,
        effective_date=agreed_on,
        payload={"ground": exception.ground},
    )
    return exception
