"""Exceptions to the time limits (ehc-process.md section 2): proposed by a caseworker with the
evidence, agreed by a manager who is not the proposer. They never move a due date."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from audit.services import audit_record

from . import errors
from .models import Case, CaseException, CaseStatus, ExceptionGround
from .roles import Role, has_role, may_agree_exception
from .services import start_of_day

#: Called as `hook(exception=..., actor=...)` inside the proposal's transaction: the
#: notifications app tells the managers an exception is waiting (issue 14).
EXCEPTION_PROPOSED_HOOKS: list = []


def register_exception_proposed_hook(hook) -> None:
    if hook not in EXCEPTION_PROPOSED_HOOKS:
        EXCEPTION_PROPOSED_HOOKS.append(hook)


#: Regs 5(4), 8(2): these grounds excuse only a continuous period of at least 4 weeks.
FOUR_WEEK_GROUNDS = frozenset({ExceptionGround.SCHOOL_CLOSURE, ExceptionGround.ABSENT_FROM_AREA})
FOUR_WEEKS = 28


def exception_may_be_proposed(case: Case) -> bool:
    """Issue 14: offer only what can still happen. An open case may need an exception; so may a
    final plan issued late (the exception changes how it counts in SEN2, section 7). A
    withdrawn or declined case has no limit left to excuse (decision 0091)."""
    if case.is_open:
        return True
    late_plan = case.final_issued_on is not None and case.final_issued_on > case.final_plan_due
    return case.status == CaseStatus.FINAL_ISSUED and late_plan


def check_exception_proposal(
    *,
    actor,
    ground: str,
    starts_on: datetime.date,
    ends_on: datetime.date | None,
    today: datetime.date | None = None,
) -> None:
    """What every proposal must satisfy, for a case or for an advice request (section 2).
    An exception records circumstances that happened: it cannot start in the future."""
    if not has_role(actor, Role.CASEWORKER, Role.MANAGER):
        raise errors.CaseForbiddenError(errors.EXCEPTION_PROPOSE_FORBIDDEN)
    if starts_on > (today or timezone.localdate()):
        raise ValidationError({"starts_on": errors.EXCEPTION_STARTS_IN_FUTURE})
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
    if getattr(exception, "is_refused", False):
        raise errors.CaseConflictError(errors.EXCEPTION_ALREADY_REFUSED)
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
    today: datetime.date | None = None,
) -> CaseException:
    """Section 2: a caseworker proposes an exception with its evidence; it counts once agreed.
    The managers are told (issue 14) through EXCEPTION_PROPOSED_HOOKS."""
    check_exception_proposal(
        actor=actor, ground=ground, starts_on=starts_on, ends_on=ends_on, today=today
    )
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
    for hook in EXCEPTION_PROPOSED_HOOKS:
        hook(exception=exception, actor=actor)
    return exception


@transaction.atomic
def exception_agree(
    *,
    actor,
    exception: CaseException,
    family_notified_on: datetime.date | None = None,
    allow_self_agreement: bool = False,
    agreed_on: datetime.date | None = None,
    comment: str = "",
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
    comment = (comment or "").strip()
    if comment:
        exception.agreement_comment = comment
        exception.save(update_fields=["agreement_comment"])
    audit_record(
        actor=actor,
        verb="case.exception_agreed",
        target=exception,
        case=exception.case,
        effective_date=agreed_on,
        reason=comment,
        payload={"ground": exception.ground},
    )
    return exception


@transaction.atomic
def exception_refuse(*, actor, exception: CaseException, reason: str) -> CaseException:
    """Issue 14: a manager refuses a proposed exception, saying why (four eyes, as agreeing).
    A refused exception never counts; the caseworker may propose a better-evidenced one."""
    if not may_agree_exception(actor):
        raise errors.CaseForbiddenError(errors.EXCEPTION_AGREE_FORBIDDEN)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": errors.EXCEPTION_REFUSAL_REASON_REQUIRED})
    exception = CaseException.objects.select_for_update().get(pk=exception.pk)
    if exception.is_agreed:
        raise errors.CaseConflictError(errors.EXCEPTION_ALREADY_AGREED)
    if exception.is_refused:
        raise errors.CaseConflictError(errors.EXCEPTION_ALREADY_REFUSED)
    if exception.proposed_by_id == actor.pk:
        raise errors.CaseForbiddenError(errors.EXCEPTION_SELF_AGREE)
    exception.refused_by = actor
    exception.refused_at = timezone.now()
    exception.refusal_reason = reason
    exception.save(update_fields=["refused_by", "refused_at", "refusal_reason"])
    audit_record(
        actor=actor,
        verb="case.exception_refused",
        target=exception,
        case=exception.case,
        reason=reason,
        payload={"ground": exception.ground},
    )
    return exception
