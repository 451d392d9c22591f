"""Every write to a case. Each service is atomic, locks the row it changes, audits, and refuses
illegal changes before touching anything, so a refusal leaves state and audit untouched."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django_fsm import ConcurrentTransition, can_proceed, has_transition_perm

from audit.services import audit_record

from . import deadlines, errors
from .extensions import case_readiness
from .models import (
    PARENTS_READ_FOR_STEP,
    Case,
    CaseStatus,
    Child,
    ReferenceSequence,
    cases_flag_for_recheck,
    cases_flags_collected,
    parents_with_responsibility,
)
from .roles import Role, has_role, may_change_case


def clock_settings() -> deadlines.ClockSettings:
    return deadlines.ClockSettings(
        statutory_panel_decision_days=settings.EHC_STATUTORY_PANEL_DECISION_DAY,
        draft_plan_days=settings.EHC_DRAFT_PLAN_DAY,
        warning_days=settings.EHC_RISK_WARNING_DAYS,
    )


@dataclass(frozen=True)
class TransitionRule:
    label: str
    reason_required: bool = False


#: Section 3: every step a case can take, with what it needs. Declines and withdrawals need a
#: reason by the spec; revising a draft and reopening on appeal need one by our decision 0002.
TRANSITIONS: dict[str, TransitionRule] = {
    "agree_to_assess": TransitionRule("Agree to assess"),
    "decline_to_assess": TransitionRule("Decline to assess", reason_required=True),
    "agree_to_issue": TransitionRule("Agree to issue a plan"),
    "decline_to_issue": TransitionRule("Decline to issue a plan", reason_required=True),
    "issue_draft": TransitionRule("Issue the draft plan"),
    "issue_final": TransitionRule("Issue the final plan"),
    "revise_draft": TransitionRule("Revise the draft plan", reason_required=True),
    "withdraw": TransitionRule("Withdraw the request", reason_required=True),
    "reopen_on_appeal": TransitionRule("Reopen on appeal", reason_required=True),
}


#: Apps that own what a step sets in motion register here (for example the advice requests app
#: creates the advice chosen at panel when a case is agreed for assessment). A hook runs inside
#: the transition's transaction, after the case is saved and audited, as
#: `hook(case=..., actor=..., effective_date=..., reason=..., details=...)` (`reason` the step's
#: own, as audited); raising ValidationError (or a CaseError) rolls the whole step back.
TRANSITION_HOOKS: dict[str, list] = {}


def register_transition_hook(transition: str, hook) -> None:
    if transition not in TRANSITIONS:
        raise ValueError(f"No such transition: {transition}")
    if hook not in TRANSITION_HOOKS.setdefault(transition, []):
        TRANSITION_HOOKS[transition].append(hook)


#: Called as `hook(case=..., actor=..., previous=...)` inside the transaction that gives a case
#: a caseworker (case_create with a caseworker, case_assign), after the audit row is written;
#: the notifications app registers "case assigned to you" here.
ASSIGNMENT_HOOKS: list = []


def register_assignment_hook(hook) -> None:
    if hook not in ASSIGNMENT_HOOKS:
        ASSIGNMENT_HOOKS.append(hook)


#: Called as `hook(case=..., actor=...)` inside the transaction that logs a new request (not an
#: imported one), after its audit row; the family portal registers "request received" here.
CREATION_HOOKS: list = []


def register_creation_hook(hook) -> None:
    if hook not in CREATION_HOOKS:
        CREATION_HOOKS.append(hook)


def _run_assignment_hooks(case: Case, actor, previous) -> None:
    if case.caseworker_id is not None:
        for hook in ASSIGNMENT_HOOKS:
            hook(case=case, actor=actor, previous=previous)


def _today() -> datetime.date:
    return timezone.localdate()


def _refresh_derived(case: Case) -> None:
    """Due dates come from the received date; the next milestone from the status."""
    dues = deadlines.due_dates(case.received_on, clock_settings())
    case.decision_to_assess_due = dues[deadlines.Milestone.DECISION_TO_ASSESS]
    case.statutory_panel_decision_due = dues[deadlines.Milestone.STATUTORY_PANEL_DECISION]
    case.draft_plan_due = dues[deadlines.Milestone.DRAFT_PLAN]
    case.final_plan_due = dues[deadlines.Milestone.FINAL_PLAN]
    milestone = deadlines.next_milestone(case.status)
    case.next_milestone = milestone.value if milestone else ""
    case.next_milestone_due = dues[milestone] if milestone else None
    # After a tribunal order the case's clock follows the order (disputes, decision 0121).
    override = (case.due_date_overrides or {}).get(case.next_milestone)
    if override:
        case.next_milestone_due = datetime.date.fromisoformat(override)


def _next_reference(year: int) -> str:
    sequence, _ = ReferenceSequence.objects.select_for_update().get_or_create(year=year)
    sequence.last_number += 1
    sequence.save(update_fields=["last_number"])
    return f"{settings.EHC_REFERENCE_PREFIX}-{year}-{sequence.last_number:05d}"


@transaction.atomic
def child_create(*, actor, **fields) -> Child:
    child = Child(**fields)
    child.full_clean()
    child.save()
    audit_record(actor=actor, verb="child.created", target=child)
    return child


def case_build(
    *,
    child: Child,
    received_on: datetime.date,
    request_source: int,
    primary_need: str,
    secondary_needs: list[str] | None = None,
    caseworker=None,
    evidence_deadline: datetime.date | None = None,
    imported: bool = False,
    today: datetime.date,
    reference: str = "pending",
    check_database: bool = True,
) -> Case:
    """An unsaved case with its clock, checked as `case_create` checks it.

    Shared by `case_create` and the tracker import's bulk replay. `check_database=False` skips
    only the checks that query the database (the child and caseworker rows exist, the check
    constraints): the import has already made sure of them, and the database enforces them on
    insert anyway."""
    if received_on > today:
        raise ValidationError({"received_on": errors.RECEIVED_IN_FUTURE})
    if caseworker is not None:
        _check_assignee(caseworker)
    case = Case(
        reference=reference,
        child=child,
        received_on=received_on,
        request_source=request_source,
        primary_need=primary_need,
        secondary_needs=list(secondary_needs or []),
        caseworker=caseworker,
        status_changed_on=received_on,
        evidence_deadline=evidence_deadline,
        imported=imported,
    )
    _refresh_derived(case)
    exclude = (
        ["reference", "status"]
        if check_database
        else ["reference", "status", "child", "caseworker"]
    )
    case.full_clean(exclude=exclude, validate_constraints=check_database)
    return case


@transaction.atomic
def case_create(
    *,
    actor,
    child: Child,
    received_on: datetime.date,
    request_source: int,
    primary_need: str,
    secondary_needs: list[str] | None = None,
    caseworker=None,
    evidence_deadline: datetime.date | None = None,
    imported: bool = False,
    today: datetime.date | None = None,
    reference: str | None = None,
    intake: dict | None = None,
) -> Case:
    """Log a request: the statutory clock starts on the date it was received.

    `reference` is for the tracker import only, which keeps the council's own reference (the
    import checks it is unique and reserves generated numbers it could collide with).
    `intake` is what the intake recorded on the way (cases.intake: the possible matches and the
    caseworker's decision about them, a recent refusal): it goes into the audit row."""
    case = case_build(
        child=child,
        received_on=received_on,
        request_source=request_source,
        primary_need=primary_need,
        secondary_needs=secondary_needs,
        caseworker=caseworker,
        evidence_deadline=evidence_deadline,
        imported=imported,
        today=today or _today(),
    )
    case.reference = reference or _next_reference(received_on.year)
    case.save()
    audit_record(
        actor=actor,
        verb="case.created",
        target=case,
        case=case,
        to_state=case.status,
        effective_date=received_on,
        payload={**({"imported": imported} if imported else {}), **(intake or {})},
    )
    _run_assignment_hooks(case, actor, previous=None)
    if not imported:
        for hook in CREATION_HOOKS:
            hook(case=case, actor=actor)
    return case


EDITABLE_FIELDS = ("primary_need", "secondary_needs", "request_source", "evidence_deadline")


@transaction.atomic
def case_update(
    *, actor, case: Case, data: dict, reason: str = "", today: datetime.date | None = None
) -> Case:
    """Correct a case's details. The received date may be corrected only before the decision
    whether to assess (it restarts every due date); the status never changes here."""
    if not may_change_case(case, actor):
        raise errors.CaseForbiddenError(errors.CHANGE_FORBIDDEN)
    case = Case.objects.select_for_update().get(pk=case.pk)
    changes = {}
    for name, value in data.items():
        if name not in (*EDITABLE_FIELDS, "received_on"):
            raise ValidationError({name: "This field cannot be changed here."})
        if getattr(case, name) != value:
            changes[name] = [_jsonable(getattr(case, name)), _jsonable(value)]
            setattr(case, name, value)
    if "received_on" in changes:
        if case.status != CaseStatus.RECEIVED:
            raise ValidationError({"received_on": errors.RECEIVED_CHANGE_AFTER_DECISION})
        if case.received_on > (today or _today()):
            raise ValidationError({"received_on": errors.RECEIVED_IN_FUTURE})
        case.status_changed_on = case.received_on
        _refresh_derived(case)
    if not changes:
        return case
    case.full_clean(exclude=["reference", "status"])
    case.save()
    audit_record(
        actor=actor,
        verb="case.updated",
        target=case,
        case=case,
        reason=reason,
        payload={"changes": changes},
    )
    return case


def _jsonable(value):
    return value.isoformat() if isinstance(value, datetime.date) else value


def _check_assignee(user) -> None:
    if not (user.is_active and has_role(user, Role.CASEWORKER, Role.MANAGER)):
        raise ValidationError({"caseworker": errors.ASSIGNEE_NOT_CASEWORKER})


@transaction.atomic
def case_assign(*, actor, case: Case, caseworker, reason: str = "") -> Case:
    if not may_change_case(case, actor):
        raise errors.CaseForbiddenError(errors.ASSIGN_FORBIDDEN)
    if caseworker is not None:
        _check_assignee(caseworker)
    case = Case.objects.select_for_update().get(pk=case.pk)
    previous = case.caseworker
    if previous == caseworker:
        return case
    case.caseworker = caseworker
    case.save(update_fields=["caseworker", "updated_at"])
    audit_record(
        actor=actor,
        verb="case.assigned",
        target=case,
        case=case,
        reason=reason,
        payload={
            "from": previous.username if previous else None,
            "to": caseworker.username if caseworker else None,
        },
    )
    _run_assignment_hooks(case, actor, previous=previous)
    return case


def validate_effective_date(
    case: Case, effective_date: datetime.date, today: datetime.date
) -> None:
    """Section 3: never in the future, never before the previous transition."""
    if effective_date > today:
        raise ValidationError({"effective_date": errors.EFFECTIVE_DATE_IN_FUTURE})
    if effective_date < case.status_changed_on:
        raise ValidationError(
            {
                "effective_date": errors.EFFECTIVE_DATE_BEFORE_PREVIOUS.format(
                    previous=case.status_changed_on
                )
            }
        )


def _validate_transition_details(case: Case, name: str, effective_date: datetime.date) -> None:
    if name == "issue_final" and not case.imported and case.draft_issued_on:
        earliest = deadlines.earliest_final_plan_date(case.draft_issued_on)
        if effective_date < earliest:
            raise ValidationError(
                {
                    "effective_date": errors.FAMILY_COMMENT_PERIOD.format(
                        draft=case.draft_issued_on, earliest=earliest
                    )
                }
            )


def status_words(status: str) -> str:
    """A status as the pages say it ("Draft plan issued"), never its code."""
    try:
        return CaseStatus(status).label
    except ValueError:
        return status


def available_transitions(case: Case, user) -> list[str]:
    """The steps this user may take on this case now, in the order of TRANSITIONS."""
    return [
        name
        for name in TRANSITIONS
        if can_proceed(getattr(case, name)) and has_transition_perm(getattr(case, name), user)
    ]


def transition_apply(
    case: Case,
    transition: str,
    *,
    actor,
    effective_date: datetime.date,
    reason: str,
    today: datetime.date,
) -> str:
    """Check one step and make it on the case in memory; return the status it left.

    Every check of section 3 lives here, so `case_transition` (on the locked row) and the
    tracker import's bulk replay (on unsaved historic cases) cannot disagree about what is
    allowed. Saving, auditing and hooks are the caller's."""
    rule = TRANSITIONS.get(transition)
    if rule is None:
        raise ValidationError({"transition": errors.UNKNOWN_TRANSITION.format(name=transition)})
    method = getattr(case, transition)
    if not can_proceed(method):
        raise errors.TransitionNotAllowedError(
            errors.TRANSITION_NOT_ALLOWED.format(
                status=status_words(case.status), transition=rule.label
            )
        )
    if not has_transition_perm(method, actor):
        raise errors.CaseForbiddenError(errors.TRANSITION_FORBIDDEN.format(transition=rule.label))
    if rule.reason_required and not reason:
        raise ValidationError({"reason": errors.REASON_REQUIRED})
    validate_effective_date(case, effective_date, today)
    _validate_transition_details(case, transition, effective_date)
    from_status = case.status
    method(effective_date=effective_date, reason=reason)
    case.status_changed_on = effective_date
    case.rolled_off_agenda = False
    _refresh_derived(case)
    return from_status


@transaction.atomic
def case_transition(
    *,
    actor,
    case: Case,
    transition: str,
    effective_date: datetime.date | None = None,
    reason: str = "",
    expected_status: str | None = None,
    today: datetime.date | None = None,
    payload: dict | None = None,
    details: dict | None = None,
    confirm_outstanding_advice: bool | None = None,
) -> Case:
    """Move a case one step (section 3), on the date it happened.

    `confirm_outstanding_advice` (issue 13 item 7): the pages and the API always pass it (a
    bool) for a statutory decision recorded outside a panel; while advice is outstanding the
    decision is refused unless it is True, and the confirmation is audited with what was
    outstanding. None means the caller is a panel meeting (the chair decides with the agenda's
    "advice incomplete" flag in front of them) or a seeding or import path.

    `payload` is added to the audit row (the tracker import marks its rows); `details` is passed
    to the step's registered hooks (for example the advice chosen when agreeing to assess).

    Locks the row, so two concurrent transitions of one case are serialised: the second sees
    the first's result and is refused with a conflict. `expected_status` is the status the
    user saw; if the case has moved since, the change is refused rather than applied blind.
    """
    today = today or _today()
    effective_date = effective_date or today
    reason = (reason or "").strip()
    rule = TRANSITIONS.get(transition)
    if rule is None:
        raise ValidationError({"transition": errors.UNKNOWN_TRANSITION.format(name=transition)})

    locked = _locked_for_step(case, transition)
    if expected_status is not None and locked.status != expected_status:
        raise errors.ConcurrentChangeError(
            errors.CASE_CHANGED.format(status=status_words(locked.status))
        )
    before = _field_values(locked)
    payload = dict(payload or {})
    if confirm_outstanding_advice is not None and transition in DECISIONS_NEEDING_ADVICE:
        outstanding = _outstanding_advice_words(locked, today)
        if outstanding and not confirm_outstanding_advice:
            raise ValidationError(
                {
                    "confirm_outstanding_advice": errors.ADVICE_OUTSTANDING_CONFIRM.format(
                        outstanding=and_join(outstanding)
                    )
                }
            )
        if outstanding:
            payload["confirmed_outstanding_advice"] = outstanding
    from_status = transition_apply(
        locked,
        transition,
        actor=actor,
        effective_date=effective_date,
        reason=reason,
        today=today,
    )
    # The case's recheck flag is written once, as the step ends (its save and its hooks' writes
    # each flag it).
    with cases_flags_collected():
        try:
            # Only what the step changed (and updated_at): a shorter UPDATE, same guard on status.
            locked.save(update_fields=[*_changed_fields(before, locked), "updated_at"])
        except ConcurrentTransition as exc:
            raise errors.ConcurrentChangeError(
                errors.CASE_CHANGED.format(status="changed by someone else")
            ) from exc
        audit_record(
            actor=actor,
            verb=f"case.{transition}",
            target=locked,
            case=locked,
            from_state=from_status,
            to_state=locked.status,
            effective_date=effective_date,
            reason=reason,
            payload=payload,
        )
        try:
            for hook in TRANSITION_HOOKS.get(transition, ()):
                hook(
                    case=locked,
                    actor=actor,
                    effective_date=effective_date,
                    reason=reason,
                    details=details or {},
                )
        finally:
            _forget_step_reads(locked)
    return locked


def _locked_for_step(case: Case, transition: str) -> Case:
    """The case row locked and read again. Only the case's row is locked. A step with hooks
    reads its child and caseworker in the same statement, and then the child's parents with
    parental responsibility, because its hooks need them (the letters and the family's message
    name and write to them; the frozen plan names the child): reads that each hook would
    otherwise make again (issue 20, benchmark 5)."""
    cases = Case.objects.select_for_update(of=("self",))
    if not TRANSITION_HOOKS.get(transition):
        return cases.get(pk=case.pk)
    locked = cases.select_related("child", "caseworker").get(pk=case.pk)
    # As a prefetch with `to_attr` would keep them, without its machinery.
    setattr(locked.child, PARENTS_READ_FOR_STEP, parents_with_responsibility(locked.child))
    return locked


def _forget_step_reads(case: Case) -> None:
    """The parents read for the step's hooks were for them: the caller keeps the case, and may
    add a parent after the step (parents_with_responsibility then reads them again)."""
    if Case.child.is_cached(case):
        case.child.__dict__.pop(PARENTS_READ_FOR_STEP, None)


#: Section 4: the statutory panel decides once the advice is in; these steps taken outside a
#: panel while advice is outstanding need the decider's confirmation (issue 13 item 7).
DECISIONS_NEEDING_ADVICE = frozenset({"agree_to_issue", "decline_to_issue"})


def outstanding_advice(case: Case, today: datetime.date) -> list[str]:
    """What advice the case still waits for, in words ("Educational psychology advice from
    the Synthetic EP Service"), from the app that provides readiness (none: nothing)."""
    readiness = case_readiness(case=case, today=today)
    if not readiness:
        return []
    return [f"{item['kind_label']} from {item['service']}" for item in readiness["outstanding"]]


def _outstanding_advice_words(case: Case, today: datetime.date) -> list[str]:
    if case.status != CaseStatus.ASSESSING:
        return []  # the step itself will be refused; say that, not this
    return outstanding_advice(case, today)


def and_join(items: list[str]) -> str:
    return items[0] if len(items) == 1 else f"{', '.join(items[:-1])} and {items[-1]}"


def _field_values(case: Case) -> dict:
    return {field.attname: getattr(case, field.attname) for field in Case._meta.concrete_fields}


def _changed_fields(before: dict, case: Case) -> list[str]:
    return [name for name, value in _field_values(case).items() if before[name] != value]


def cases_mark_rolled_off_agenda(*, case_ids: list[int]) -> int:
    """Section 5: a case that rolled off a full agenda is at risk until it next moves on (the
    next transition clears the flag). Derived state: not audited, like the risk sweep.

    One UPDATE by primary key of the cases an agenda build read beyond capacity (decision
    0165), guarded so only cases not already flagged are written; returns how many were. No
    statement when there are none."""
    if not case_ids:
        return 0
    marked = Case.objects.filter(pk__in=case_ids, rolled_off_agenda=False).update(
        rolled_off_agenda=True
    )
    if marked:  # the sweep rechecks them (those already marked too: a recheck changes nothing)
        cases_flag_for_recheck(case_ids)
    return marked


def start_of_day(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))
