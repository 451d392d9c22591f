"""Every write to advice (ehc-process.md section 4). Each service is atomic, locks the row it
changes, refuses illegal changes before touching anything, and audits against the case so the
case's history shows its advice."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django_fsm import ConcurrentTransition, can_proceed, has_transition_perm

from audit.services import audit_record
from cases import deadlines
from cases.errors import (
    CaseConflictError,
    CaseForbiddenError,
    ConcurrentChangeError,
    TransitionNotAllowedError,
)
from cases.models import Case, CaseStatus

from . import documents, errors
from .models import (
    AdviceKind,
    AdviceRequest,
    AdviceStatus,
    AdviceSubmission,
    PartnerService,
    ReusedAdvice,
)
from .roles import is_current_member, may_manage_advice


def _today() -> datetime.date:
    return timezone.localdate()


def _iso(value):
    return value.isoformat() if isinstance(value, datetime.date) else value


# --- Requesting advice ---------------------------------------------------------------------


def _check_not_duplicate(case: Case, kind: str, service: PartnerService | None) -> None:
    """Reg 6(1): one request per provider per case (checked here for a clear message; the
    database constraints are the backstop)."""
    live = AdviceRequest.objects.filter(case=case).exclude(status=AdviceStatus.CANCELLED)
    if service is not None:
        if live.filter(service=service).exists():
            raise ValidationError({"service": errors.ALREADY_REQUESTED.format(service=service)})
        if ReusedAdvice.objects.filter(case=case, service=service).exists():
            raise ValidationError({"service": errors.ALREADY_REUSED.format(service=service)})
    if kind == AdviceKind.PARENT_VIEWS and live.filter(kind=AdviceKind.PARENT_VIEWS).exists():
        raise ValidationError({"kind": errors.PARENT_VIEWS_ALREADY_REQUESTED})


@transaction.atomic
def advice_request_create(
    *,
    actor,
    case: Case,
    kind: str,
    service: PartnerService | None,
    question: str,
    professional=None,
    requested_on: datetime.date | None = None,
    today: datetime.date | None = None,
    decided_at_panel: bool = False,
) -> AdviceRequest:
    """Ask a provider for advice; it is due 6 weeks after they receive the request (reg 8(1)).

    `decided_at_panel`: the request is part of a panel's decision to assess, whose recorder
    (possibly the panel chair) was already authorised by the case transition."""
    if not decided_at_panel and not may_manage_advice(None, actor):
        raise CaseForbiddenError(errors.REQUEST_FORBIDDEN)
    today = today or _today()
    requested_on = requested_on or today
    case = Case.objects.select_for_update().get(pk=case.pk)
    if case.status != CaseStatus.ASSESSING:
        raise CaseConflictError(errors.CASE_NOT_ASSESSING)
    if kind not in AdviceKind.values:
        raise ValidationError({"kind": errors.UNKNOWN_KIND.format(kind=kind)})
    if service is None and kind != AdviceKind.PARENT_VIEWS:
        raise ValidationError({"service": errors.SERVICE_REQUIRED})
    if service is not None and not service.is_active:
        raise ValidationError({"service": errors.SERVICE_INACTIVE})
    question = (question or "").strip()
    if not question:
        raise ValidationError({"question": errors.QUESTION_REQUIRED})
    if requested_on > today:
        raise ValidationError({"requested_on": errors.REQUESTED_IN_FUTURE})
    if professional is not None and not is_current_member(professional, service):
        raise ValidationError({"professional": errors.PROFESSIONAL_NOT_MEMBER})
    _check_not_duplicate(case, kind, service)

    advice = AdviceRequest(
        case=case,
        kind=kind,
        service=service,
        professional=professional,
        question=question,
        requested_on=requested_on,
        due_on=deadlines.advice_due(requested_on),
        status_changed_on=requested_on,
        requested_by=actor,
    )
    advice.full_clean(exclude=["status"], validate_constraints=False)
    try:
        with transaction.atomic():
            advice.save()
    except IntegrityError as exc:  # a concurrent request to the same provider won the race
        raise CaseConflictError(
            errors.ALREADY_REQUESTED.format(service=service or "the family")
        ) from exc
    audit_record(
        actor=actor,
        verb="advice.requested",
        target=advice,
        case=case,
        to_state=advice.status,
        effective_date=requested_on,
        payload={
            "kind": kind,
            "service": service.name if service else None,
            "due_on": advice.due_on.isoformat(),
        },
    )
    return advice


@dataclass(frozen=True)
class TransitionRule:
    label: str
    reason_required: bool = False


#: Section 4: the steps an advice request can take (submission has its own service, because it
#: carries a document).
TRANSITIONS: dict[str, TransitionRule] = {
    "accept": TransitionRule("Accept the request"),
    "decline": TransitionRule("Decline the request", reason_required=True),
    "cancel": TransitionRule("Cancel the request", reason_required=True),
    "return_for_quality": TransitionRule("Return for quality", reason_required=True),
}


def available_transitions(advice: AdviceRequest, user) -> list[str]:
    names = [*TRANSITIONS, "submit"]
    return [
        name
        for name in names
        if can_proceed(getattr(advice, name)) and has_transition_perm(getattr(advice, name), user)
    ]


def _lock_and_check(
    *, actor, advice: AdviceRequest, transition: str, expected_status: str | None
) -> AdviceRequest:
    # The case first, as creating a request and withdrawing the case do: one lock order, and
    # the case's stored advice risk input is written by one transaction at a time (0190).
    list(Case.objects.select_for_update().filter(pk=advice.case_id).values_list("pk"))
    locked = (
        AdviceRequest.objects.select_for_update(of=("self",))
        .select_related("case", "service")
        .get(pk=advice.pk)
    )
    if expected_status is not None and locked.status != expected_status:
        raise ConcurrentChangeError(errors.ADVICE_CHANGED.format(status=locked.status))
    method = getattr(locked, transition)
    if not can_proceed(method):
        raise TransitionNotAllowedError(
            errors.TRANSITION_NOT_ALLOWED.format(status=locked.status, transition=transition)
        )
    if not has_transition_perm(method, actor):
        raise CaseForbiddenError(errors.TRANSITION_FORBIDDEN.format(transition=transition))
    return locked


def _save_transition(locked: AdviceRequest) -> None:
    try:
        locked.save()
    except ConcurrentTransition as exc:
        raise ConcurrentChangeError(
            errors.ADVICE_CHANGED.format(status="changed by someone else")
        ) from exc


@transaction.atomic
def advice_request_transition(
    *,
    actor,
    advice: AdviceRequest,
    transition: str,
    reason: str = "",
    expected_status: str | None = None,
    today: datetime.date | None = None,
) -> AdviceRequest:
    """Accept, decline, cancel or return a request for quality, on today's date."""
    today = today or _today()
    reason = (reason or "").strip()
    rule = TRANSITIONS.get(transition)
    if rule is None:
        raise ValidationError({"transition": errors.UNKNOWN_TRANSITION.format(name=transition)})
    locked = _lock_and_check(
        actor=actor, advice=advice, transition=transition, expected_status=expected_status
    )
    if rule.reason_required and not reason:
        raise ValidationError({"reason": errors.REASON_REQUIRED})
    from_status = locked.status
    getattr(locked, transition)(on=today, reason=reason)
    locked.status_changed_on = today
    _save_transition(locked)
    audit_record(
        actor=actor,
        verb=f"advice.{transition}",
        target=locked,
        case=locked.case,
        from_state=from_status,
        to_state=locked.status,
        effective_date=today,
        reason=reason,
        payload={"kind": locked.kind, "service": locked.service.name if locked.service else None},
    )
    return locked


def advice_request_accept(*, actor, advice, **kwargs) -> AdviceRequest:
    return advice_request_transition(actor=actor, advice=advice, transition="accept", **kwargs)


def advice_request_decline(*, actor, advice, reason, **kwargs) -> AdviceRequest:
    return advice_request_transition(
        actor=actor, advice=advice, transition="decline", reason=reason, **kwargs
    )


def advice_request_cancel(*, actor, advice, reason, **kwargs) -> AdviceRequest:
    return advice_request_transition(
        actor=actor, advice=advice, transition="cancel", reason=reason, **kwargs
    )


def advice_request_return(*, actor, advice, reason, **kwargs) -> AdviceRequest:
    return advice_request_transition(
        actor=actor, advice=advice, transition="return_for_quality", reason=reason, **kwargs
    )


@transaction.atomic
def advice_request_submit(
    *,
    actor,
    advice: AdviceRequest,
    document,
    needs: str,
    outcomes_sought: str,
    provision: str,
    expected_status: str | None = None,
    today: datetime.date | None = None,
) -> AdviceSubmission:
    """The provider returns its advice: a document (checked by content) and a structured summary.

    Everything is checked before the file is written, so a refusal stores nothing; if the
    database write then fails, the file is removed again."""
    today = today or _today()
    locked = _lock_and_check(
        actor=actor, advice=advice, transition="submit", expected_status=expected_status
    )
    summary = {
        "needs": (needs or "").strip(),
        "outcomes_sought": (outcomes_sought or "").strip(),
        "provision": (provision or "").strip(),
    }
    # Every problem at once, the missing document with the rest: one try shows them all.
    problems = {
        name: [errors.SUBMISSION_FIELD_REQUIRED[name]] for name, text in summary.items() if not text
    }
    try:
        checked = documents.check_document(document)
    except ValidationError as exc:
        problems.update(exc.message_dict)
    if problems:
        raise ValidationError(problems)

    stored_name = documents.store_document(document, checked)
    try:
        from_status = locked.status
        locked.submit(on=today)
        locked.status_changed_on = today
        _save_transition(locked)
        submission = AdviceSubmission.objects.create(
            advice_request=locked,
            stored_name=stored_name,
            original_filename=(getattr(document, "name", "") or "advice")[:255],
            content_type=checked.content_type,
            size=checked.size,
            sha256=checked.sha256,
            submitted_by=actor,
            submitted_on=today,
            **summary,
        )
        audit_record(
            actor=actor,
            verb="advice.submit",
            target=locked,
            case=locked.case,
            from_state=from_status,
            to_state=locked.status,
            effective_date=today,
            payload={
                "kind": locked.kind,
                "submission": submission.pk,
                "content_type": checked.content_type,
                "size": checked.size,
                "sha256": checked.sha256,
            },
        )
    except BaseException:
        documents.delete_document(stored_name)
        raise
    return submission


# --- Re-used advice (reg 6(4)) --------------------------------------------------------------


@transaction.atomic
def advice_reuse_record(
    *,
    actor,
    case: Case,
    kind: str,
    original_advice_on: datetime.date,
    provider_agreed_on: datetime.date | None,
    authority_agreed_on: datetime.date | None,
    family_agreed_on: datetime.date | None,
    service: PartnerService | None = None,
    provider_name: str = "",
    notes: str = "",
    today: datetime.date | None = None,
    decided_at_panel: bool = False,
) -> ReusedAdvice:
    """Reg 6(4): existing advice is used instead of a new request only when the provider, the
    authority and the family all agree it is sufficient; record each agreement's date."""
    if not decided_at_panel and not may_manage_advice(None, actor):
        raise CaseForbiddenError(errors.REQUEST_FORBIDDEN)
    today = today or _today()
    case = Case.objects.select_for_update().get(pk=case.pk)
    if kind not in AdviceKind.values:
        raise ValidationError({"kind": errors.UNKNOWN_KIND.format(kind=kind)})
    agreements = (provider_agreed_on, authority_agreed_on, family_agreed_on)
    if any(day is None for day in agreements) or original_advice_on is None:
        raise ValidationError({"reused": errors.REUSE_AGREEMENT_MISSING})
    if any(day > today for day in (*agreements, original_advice_on)):
        raise ValidationError({"reused": errors.REUSE_DATE_IN_FUTURE})
    if any(day < original_advice_on for day in agreements):
        raise ValidationError({"reused": errors.REUSE_AGREEMENT_BEFORE_ADVICE})
    provider_name = (provider_name or "").strip()
    if service is None and not provider_name:
        raise ValidationError({"service": errors.REUSE_PROVIDER_REQUIRED})
    if service is not None:
        live = AdviceRequest.objects.filter(case=case, service=service).exclude(
            status=AdviceStatus.CANCELLED
        )
        if live.exists():
            raise ValidationError({"service": errors.ALREADY_REQUESTED.format(service=service)})
    reused = ReusedAdvice.objects.create(
        case=case,
        kind=kind,
        service=service,
        provider_name=provider_name,
        original_advice_on=original_advice_on,
        provider_agreed_on=provider_agreed_on,
        authority_agreed_on=authority_agreed_on,
        family_agreed_on=family_agreed_on,
        notes=(notes or "").strip(),
        recorded_by=actor,
    )
    audit_record(
        actor=actor,
        verb="advice.reused",
        target=reused,
        case=case,
        effective_date=max(agreements),
        reason=reused.notes,
        payload={
            "kind": kind,
            "provider": service.name if service else provider_name,
            "original_advice_on": _iso(original_advice_on),
            "provider_agreed_on": _iso(provider_agreed_on),
            "authority_agreed_on": _iso(authority_agreed_on),
            "family_agreed_on": _iso(family_agreed_on),
        },
    )
    return reused
