"""Every write to a dispute (section 14). Each service is atomic, locks the row it changes,
checks before touching anything (so a refusal leaves state and audit untouched), and audits.

`dispute_open(case=, decision=, letter_sent_on=)` is the seam other apps use to open an appeal
window from their own decision letters (the plan's and the review's, when they exist).
"""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django_fsm import ConcurrentTransition, can_proceed, has_transition_perm

from audit.services import audit_record
from cases import errors as case_errors
from cases.models import Case, CaseStatus, cases_flag_for_recheck
from cases.roles import may_change_case
from cases.services import case_transition
from reviews.models import Review

from . import deadlines, errors
from .models import (
    Appeal,
    AppealOutcome,
    Decision,
    Dispute,
    Mediation,
    MediationOutcome,
    Order,
    OrderDeadline,
    OrderSource,
)

#: The case status in which each decision can be disagreed with (the plan and review decisions
#: arrive through other apps; a final plan's content is appealable once it is issued).
DECISION_STATUSES = {
    Decision.DECLINE_TO_ASSESS: (CaseStatus.ASSESSMENT_DECLINED,),
    Decision.DECLINE_TO_ISSUE: (CaseStatus.PLAN_DECLINED,),
    Decision.PLAN_CONTENT: (CaseStatus.FINAL_ISSUED,),
    Decision.AMENDMENT: (CaseStatus.FINAL_ISSUED,),
    Decision.CEASE: (CaseStatus.FINAL_ISSUED,),
}


def _today() -> datetime.date:
    return timezone.localdate()


def _check_actor(actor) -> None:
    if not may_change_case(None, actor):
        raise case_errors.CaseForbiddenError(errors.FORBIDDEN)


def _check_date(field: str, value, today, *, not_before=None, what: str = "") -> None:
    if value is None:
        raise ValidationError({field: "Enter a date."})
    if value > today:
        raise ValidationError({field: errors.DATE_IN_FUTURE})
    if not_before is not None and value < not_before:
        raise ValidationError({field: errors.DATE_BEFORE.format(what=what, previous=not_before)})


def _fire(instance, name: str, *, actor, effective_date, what: str) -> str:
    method = getattr(instance, name)
    if not can_proceed(method):
        raise case_errors.TransitionNotAllowedError(
            errors.STEP_NOT_ALLOWED.format(what=what, status=instance.get_status_display())
        )
    if not has_transition_perm(method, actor):
        raise case_errors.CaseForbiddenError(errors.FORBIDDEN)
    from_status = instance.status
    method(effective_date=effective_date)
    return from_status


def _save(instance) -> None:
    try:
        instance.save()
    except ConcurrentTransition as exc:
        raise case_errors.ConcurrentChangeError(
            case_errors.CASE_CHANGED.format(status="changed by someone else")
        ) from exc


def _audit(actor, verb, target, dispute, **kwargs) -> None:
    audit_record(actor=actor, verb=verb, target=target, case=dispute.case, **kwargs)


def default_letter_date(case: Case, decision: str) -> datetime.date | None:
    """The letter date the case already knows: the appeal rights sent with a decline, or the
    final plan's issue date for its content."""
    if decision in (Decision.DECLINE_TO_ASSESS, Decision.DECLINE_TO_ISSUE):
        return case.appeal_rights_sent_on
    return case.final_issued_on


# --- The dispute ------------------------------------------------------------------------------


@transaction.atomic
def dispute_open(
    *,
    actor,
    case: Case,
    decision: str,
    letter_sent_on: datetime.date | None = None,
    today: datetime.date | None = None,
) -> Dispute:
    """Open the appeal window of one appealable decision, from the date its letter was sent
    (by default the date the case records; a caseworker may enter the letter's own date)."""
    _check_actor(actor)
    today = today or _today()
    decision = Decision(decision)
    case = Case.objects.select_for_update().get(pk=case.pk)
    if case.status not in DECISION_STATUSES[decision]:
        raise ValidationError({"decision": errors.NOT_APPEALABLE_YET})
    if Dispute.objects.filter(case=case, decision=decision, review__isnull=True).exists():
        raise case_errors.CaseConflictError(errors.DISPUTE_EXISTS)
    letter_sent_on = letter_sent_on or default_letter_date(case, decision)
    if letter_sent_on is None:
        raise ValidationError({"decision_letter_sent_on": errors.NO_LETTER_DATE})
    _check_date("decision_letter_sent_on", letter_sent_on, today)
    if letter_sent_on < case.received_on:
        raise ValidationError({"decision_letter_sent_on": errors.LETTER_BEFORE_REQUEST})
    return _window_open(actor, case, decision, letter_sent_on)


def _window_open(actor, case, decision, letter_sent_on, review=None) -> Dispute:
    """Create the window (2 months from the letter) and audit it: for a request's decision and
    for a review's alike."""
    dispute = Dispute.objects.create(
        case=case,
        review=review,
        decision=decision,
        decision_letter_sent_on=letter_sent_on,
        appeal_deadline=deadlines.appeal_deadline(letter_sent_on),
        status_changed_on=letter_sent_on,
    )
    payload = {"decision": decision.value, "appeal_deadline": dispute.appeal_deadline.isoformat()}
    if review is not None:
        payload["review"] = review.pk
    _audit(
        actor,
        "dispute.opened",
        dispute,
        dispute,
        to_state=dispute.status,
        effective_date=letter_sent_on,
        payload=payload,
    )
    return dispute


#: A review ending in one of these statuses sent the family a decision with appeal rights (CFA
#: 2014 s51(2)(c), (e), (f); SEND Regs 2014 regs 20(10), 22(3)-(4), 31): the decision it opens, and
#: the review's field holding the date the letter (or amended plan) was sent. A decision to
#: amend, or a notice proposing to cease, is not yet appealable: the amended plan and the
#: decision to cease are (decision 0140).
#: Where the plan is held here its letters are written by the plans app and these dates are
#: recorded when the last letter is marked sent (reviews' letters-sent hook); for a plan
#: recorded without its letters the decision letter's date is typed at the step.
REVIEW_WINDOWS = {
    "maintained": (Decision.AMENDMENT, ("decision_letter_sent_on",)),
    "amended": (Decision.AMENDMENT, ("amended_plan_letter_sent_on",)),
    "ceased": (Decision.CEASE, ("ceased_letter_sent_on",)),
}


def _first_date(review, fields):
    return next((getattr(review, f) for f in fields if getattr(review, f)), None)


@transaction.atomic
def dispute_open_for_review(*, actor, review) -> Dispute | None:
    """Open the family's appeal window of a review's decision, from its letter's date: the
    reviews app calls this (a review step hook) inside the step that sent the letter, and
    `review_windows_open` for reviews decided before. Safe to run twice: a review opens one
    window. Returns None when the review has no appealable decision yet, or its plan was not
    issued here (no case to hang the window on: decision 0140). The actor was checked by the
    review step (or is the system, None)."""
    rule = REVIEW_WINDOWS.get(review.status)
    case_id = review.plan.case_id
    if rule is None or case_id is None:
        return None
    decision, date_fields = rule
    letter_sent_on = _first_date(review, date_fields)
    if letter_sent_on is None:
        return None
    case = Case.objects.select_for_update().get(pk=case_id)
    existing = Dispute.objects.filter(review=review).first()
    if existing is not None:
        return existing
    return _window_open(actor, case, decision, letter_sent_on, review=review)


def review_windows_open(*, actor=None) -> int:
    """Open the window of every decided review of a plan issued here that has none (reviews
    decided before the disputes app listened): the `open_review_appeal_windows` command. Safe
    to run twice. Returns how many windows were opened."""
    pending = (
        Review.objects.filter(status__in=REVIEW_WINDOWS, plan__case__isnull=False)
        .exclude(disputes__isnull=False)
        .select_related("plan")
        .order_by("pk")
    )
    opened = 0
    for review in pending:
        if dispute_open_for_review(actor=actor, review=review) is not None:
            opened += 1
    return opened


def dispute_for_decision(*, actor, case: Case, decision: str, today=None) -> Dispute:
    """The case's dispute of this decision, opened from the case's letter date if need be."""
    existing = Dispute.objects.filter(case=case, decision=decision, review__isnull=True).first()
    return existing or dispute_open(actor=actor, case=case, decision=decision, today=today)


def _locked_dispute(dispute: Dispute) -> Dispute:
    return Dispute.objects.select_related("case").select_for_update().get(pk=dispute.pk)


@transaction.atomic
def dispute_close_without_appeal(
    *, actor, dispute: Dispute, effective_date: datetime.date, today=None
) -> Dispute:
    _check_actor(actor)
    dispute = _locked_dispute(dispute)
    _check_date(
        "effective_date",
        effective_date,
        today or _today(),
        not_before=dispute.decision_letter_sent_on,
        what="the decision letter",
    )
    from_status = _fire(
        dispute, "close_without_appeal", actor=actor, effective_date=effective_date, what="dispute"
    )
    dispute.status_changed_on = effective_date
    _save(dispute)
    _audit(
        actor,
        "dispute.close_without_appeal",
        dispute,
        dispute,
        from_state=from_status,
        to_state=dispute.status,
        effective_date=effective_date,
    )
    return dispute


# --- Mediation --------------------------------------------------------------------------------


@transaction.atomic
def mediation_start(
    *, actor, dispute: Dispute, adviser_contacted_on: datetime.date, today=None
) -> Mediation:
    """Reg 33: the family contacted the mediation adviser."""
    _check_actor(actor)
    dispute = _locked_dispute(dispute)
    _check_date(
        "adviser_contacted_on",
        adviser_contacted_on,
        today or _today(),
        not_before=dispute.decision_letter_sent_on,
        what="the decision letter",
    )
    if Mediation.objects.filter(dispute=dispute).exists():
        raise case_errors.CaseConflictError(errors.MEDIATION_EXISTS)
    mediation = Mediation.objects.create(dispute=dispute, adviser_contacted_on=adviser_contacted_on)
    _audit(
        actor,
        "mediation.adviser_contacted",
        mediation,
        dispute,
        to_state=mediation.status,
        effective_date=adviser_contacted_on,
    )
    return mediation


#: Mediation steps, and the date each may not precede.
MEDIATION_STEPS = ("choose_mediation", "record_held", "issue_certificate")


@transaction.atomic
def mediation_transition(
    *,
    actor,
    mediation: Mediation,
    transition: str,
    effective_date: datetime.date,
    outcome: str = "",
    today=None,
) -> Mediation:
    """Choose mediation (reg 37), record it held with its outcome, or record the certificate
    (regs 34, 39), which moves the appeal deadline when it ends later than the letter's."""
    _check_actor(actor)
    if transition not in MEDIATION_STEPS:
        raise ValidationError({"transition": f"'{transition}' is not a step of mediation."})
    mediation = Mediation.objects.select_for_update().get(pk=mediation.pk)
    dispute = _locked_dispute(mediation.dispute)
    _check_date(
        "effective_date",
        effective_date,
        today or _today(),
        not_before=mediation.held_on or mediation.adviser_contacted_on,
        what="the previous step of the mediation",
    )
    if transition == "record_held" and outcome not in MediationOutcome.values:
        raise ValidationError({"outcome": errors.OUTCOME_REQUIRED})
    from_status = _fire(
        mediation, transition, actor=actor, effective_date=effective_date, what="mediation"
    )
    payload = {}
    if transition == "record_held":
        mediation.outcome = outcome
        payload["outcome"] = outcome
    _save(mediation)
    if transition == "issue_certificate":
        dispute.appeal_deadline = deadlines.appeal_deadline(
            dispute.decision_letter_sent_on, effective_date
        )
        dispute.save(update_fields=["appeal_deadline", "updated_at"])
        payload["appeal_deadline"] = dispute.appeal_deadline.isoformat()
    _audit(
        actor,
        f"mediation.{transition}",
        mediation,
        dispute,
        from_state=from_status,
        to_state=mediation.status,
        effective_date=effective_date,
        payload=payload,
    )
    return mediation


@transaction.atomic
def mediation_agreement_action_add(
    *, actor, mediation: Mediation, kind: str, terms: str = "", today=None
) -> Order:
    """Reg 42: one action of a mediation agreement, due as if the tribunal had ordered it (reg
    42(2)), or within 2 weeks when it cannot be appealed (reg 42(3))."""
    _check_actor(actor)
    mediation = Mediation.objects.select_for_update().get(pk=mediation.pk)
    if mediation.outcome != MediationOutcome.AGREEMENT or mediation.held_on is None:
        raise case_errors.TransitionNotAllowedError(
            errors.STEP_NOT_ALLOWED.format(what="mediation", status="without an agreement")
        )
    return _order_create(
        actor=actor,
        dispute=_locked_dispute(mediation.dispute),
        source=OrderSource.MEDIATION_AGREEMENT,
        kind=kind,
        made_on=mediation.held_on,
        terms=terms,
    )


# --- The appeal -------------------------------------------------------------------------------


@transaction.atomic
def appeal_register(
    *, actor, dispute: Dispute, registered_on: datetime.date, grounds: list[str], today=None
) -> Appeal:
    """The tribunal sent the appeal to the council: its response is due in 30 working days."""
    _check_actor(actor)
    dispute = _locked_dispute(dispute)
    _check_date(
        "registered_on",
        registered_on,
        today or _today(),
        not_before=dispute.decision_letter_sent_on,
        what="the decision letter",
    )
    if not grounds:
        raise ValidationError({"grounds": errors.GROUNDS_REQUIRED})
    if Appeal.objects.filter(dispute=dispute).exists():
        raise case_errors.CaseConflictError(errors.APPEAL_EXISTS)
    from_status = _fire(
        dispute, "register_appeal", actor=actor, effective_date=registered_on, what="dispute"
    )
    dispute.status_changed_on = registered_on
    _save(dispute)
    appeal = Appeal.objects.create(
        dispute=dispute,
        registered_on=registered_on,
        grounds=list(grounds),
        response_due=deadlines.response_due(registered_on),
    )
    _audit(
        actor,
        "appeal.registered",
        appeal,
        dispute,
        from_state=from_status,
        to_state=dispute.status,
        effective_date=registered_on,
        payload={"grounds": list(grounds), "response_due": appeal.response_due.isoformat()},
    )
    return appeal


def _locked_appeal(appeal: Appeal) -> Appeal:
    return Appeal.objects.select_for_update().get(pk=appeal.pk)


@transaction.atomic
def appeal_response_sent(*, actor, appeal: Appeal, sent_on: datetime.date, today=None) -> Appeal:
    _check_actor(actor)
    appeal = _locked_appeal(appeal)
    _check_date(
        "sent_on",
        sent_on,
        today or _today(),
        not_before=appeal.registered_on,
        what="the appeal's registration",
    )
    from_status = _fire(appeal, "send_response", actor=actor, effective_date=sent_on, what="appeal")
    _save(appeal)
    _audit(
        actor,
        "appeal.send_response",
        appeal,
        appeal.dispute,
        from_state=from_status,
        to_state=appeal.status,
        effective_date=sent_on,
        payload={"on_time": sent_on <= appeal.response_due},
    )
    return appeal


@transaction.atomic
def appeal_hearing_set(*, actor, appeal: Appeal, hearing_on: datetime.date) -> Appeal:
    """The hearing date the tribunal set (it may be in the future)."""
    _check_actor(actor)
    appeal = _locked_appeal(appeal)
    if hearing_on < appeal.registered_on:
        raise ValidationError({"hearing_on": errors.HEARING_AFTER_REGISTRATION})
    previous = appeal.hearing_on
    appeal.hearing_on = hearing_on
    appeal.save(update_fields=["hearing_on", "updated_at"])
    _audit(
        actor,
        "appeal.hearing_set",
        appeal,
        appeal.dispute,
        payload={"from": previous.isoformat() if previous else None, "to": hearing_on.isoformat()},
    )
    return appeal


@transaction.atomic
def appeal_outcome_record(
    *,
    actor,
    appeal: Appeal,
    outcome: str,
    decided_on: datetime.date,
    order_kind: str = "",
    terms: str = "",
    today=None,
) -> Appeal:
    """How the appeal ended. An order (reg 44) or a concession (reg 45, its periods running
    from the day the council told the tribunal) creates what the council must do, with its
    deadlines; an order to assess or to issue reopens the case on the order's clock."""
    _check_actor(actor)
    if outcome not in AppealOutcome.values:
        raise ValidationError({"outcome": "Choose how the appeal ended."})
    if outcome in (AppealOutcome.ORDER, AppealOutcome.CONCEDED) and not order_kind:
        message = (
            errors.ORDER_KIND_REQUIRED
            if outcome == AppealOutcome.ORDER
            else errors.ORDER_KIND_NOT_FOR_CONCESSION
        )
        raise ValidationError({"order_kind": message})
    if order_kind and order_kind not in deadlines.OrderKind._value2member_map_:
        raise ValidationError({"order_kind": errors.ORDER_KIND_REQUIRED})
    appeal = _locked_appeal(appeal)
    dispute = _locked_dispute(appeal.dispute)
    _check_date(
        "decided_on",
        decided_on,
        today or _today(),
        not_before=appeal.registered_on,
        what="the appeal's registration",
    )
    from_status = _fire(
        appeal, "record_outcome", actor=actor, effective_date=decided_on, what="appeal"
    )
    appeal.outcome = outcome
    _save(appeal)
    _fire(dispute, "conclude", actor=actor, effective_date=decided_on, what="dispute")
    dispute.status_changed_on = decided_on
    _save(dispute)
    _audit(
        actor,
        "appeal.outcome_recorded",
        appeal,
        dispute,
        from_state=from_status,
        to_state=appeal.status,
        effective_date=decided_on,
        payload={"outcome": outcome, "order_kind": order_kind},
    )
    if outcome in (AppealOutcome.ORDER, AppealOutcome.CONCEDED):
        source = (
            OrderSource.TRIBUNAL_ORDER if outcome == AppealOutcome.ORDER else OrderSource.CONCESSION
        )
        _order_create(
            actor=actor,
            dispute=dispute,
            source=source,
            kind=order_kind,
            made_on=decided_on,
            terms=terms,
        )
    return appeal


# --- Orders -----------------------------------------------------------------------------------


def _order_create(*, actor, dispute: Dispute, source, kind: str, made_on, terms: str) -> Order:
    kind = deadlines.OrderKind(kind)
    order = Order.objects.create(
        dispute=dispute, source=source, kind=kind, made_on=made_on, terms=terms
    )
    mirrored = set()
    if kind in deadlines.REOPENING_KINDS:
        mirrored = _follow_the_order_on_the_case(
            actor=actor, case=dispute.case, order=order, kind=kind, made_on=made_on
        )
    OrderDeadline.objects.bulk_create(
        OrderDeadline(
            order=order,
            dispute=dispute,
            step=step.code,
            label=step.label,
            regulation=step.source,
            due_on=due_on,
            on_case_clock=step.code in mirrored,
        )
        for step, due_on in deadlines.order_deadlines(kind, made_on)
    )
    _audit(
        actor,
        "dispute.order_recorded",
        order,
        dispute,
        effective_date=made_on,
        payload={
            "source": source,
            "kind": kind.value,
            "deadlines": {
                step.code: due.isoformat() for step, due in deadlines.order_deadlines(kind, made_on)
            },
            "reopened_case": order.reopened_case,
        },
    )
    return order


def _follow_the_order_on_the_case(*, actor, case: Case, order: Order, kind, made_on) -> set[str]:
    """Write the order's dates over the case's milestones (decision 0121) and, if the case is
    still declined, reopen it through `reopen_on_appeal` on the order's date. Returns the
    steps the case's own clock now carries. The case's stored 20-week due dates, its decision
    dates and so its SEN2 outcome stay as they were."""
    overrides = deadlines.case_due_date_overrides(kind, made_on)
    Case.objects.filter(pk=case.pk).update(due_date_overrides=overrides)
    cases_flag_for_recheck([case.pk])
    locked = Case.objects.select_for_update().get(pk=case.pk)
    if locked.status in (CaseStatus.ASSESSMENT_DECLINED, CaseStatus.PLAN_DECLINED):
        case_transition(
            actor=actor,
            case=locked,
            transition="reopen_on_appeal",
            effective_date=made_on,
            reason=f"{order.get_source_display()}: {order.get_kind_display()}.",
            expected_status=locked.status,
        )
    elif locked.next_milestone in overrides:
        Case.objects.filter(pk=case.pk).update(
            next_milestone_due=datetime.date.fromisoformat(overrides[locked.next_milestone]),
        )
    order.reopened_case = True
    order.save(update_fields=["reopened_case"])
    return {step for (order_kind, step) in deadlines.CASE_MILESTONE_FOR_STEP if order_kind == kind}


@transaction.atomic
def order_step_complete(
    *, actor, deadline: OrderDeadline, done_on: datetime.date, today=None
) -> OrderDeadline:
    """The council did what the order required, on this date (on time if on or before due)."""
    _check_actor(actor)
    deadline = OrderDeadline.objects.select_for_update().select_related("order").get(pk=deadline.pk)
    if not deadline.is_outstanding:
        raise case_errors.CaseConflictError(errors.STEP_ALREADY_DONE)
    _check_date(
        "done_on",
        done_on,
        today or _today(),
        not_before=deadline.order.made_on,
        what="the order",
    )
    deadline.done_on = done_on
    deadline.save(update_fields=["done_on"])
    dispute = Dispute.objects.select_related("case").get(pk=deadline.dispute_id)
    _audit(
        actor,
        "dispute.order_step_done",
        deadline,
        dispute,
        effective_date=done_on,
        payload={"step": deadline.step, "on_time": deadline.on_time},
    )
    return deadline
