"""Every write to an active plan or a review. Each service is atomic, locks the row it changes,
checks everything before touching anything (so a refusal leaves state and audit untouched),
audits, and keeps the plan's clock in step with what the review did."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django_fsm import ConcurrentTransition, can_proceed, has_transition_perm

from advice_requests.models import PartnerServiceKind, ServiceMembership
from audit.services import audit_entry, audit_record, audit_record_many
from cases.models import Case, CaseStatus
from reports.sen2_codes import CeaseReason, ReviewOutcome

from . import deadlines, errors, plan_documents
from .models import (
    NEXT_MILESTONE_BY_STATUS,
    OPEN_REVIEW_STATUSES,
    ActivePlan,
    Review,
    ReviewOutcomeProgress,
)
from .roles import may_change_review


def _today() -> datetime.date:
    return timezone.localdate()


@dataclass(frozen=True)
class StepRule:
    label: str
    needs_letter: bool = False


#: Section 13: every step a review can take, in order, with what it needs.
TRANSITIONS: dict[str, StepRule] = {
    "send_invitations": StepRule("Record that invitations were sent"),
    "hold_meeting": StepRule("Record the review meeting"),
    "receive_report": StepRule("Record the review report"),
    "decide_maintain": StepRule("Decide to maintain the plan", needs_letter=True),
    "decide_amend": StepRule("Decide to amend the plan", needs_letter=True),
    "decide_cease": StepRule("Propose to cease the plan", needs_letter=True),
    "propose_amendments": StepRule("Send the proposed amendments"),
    "issue_amended_plan": StepRule("Issue the amended plan"),
    "record_cease_consultation": StepRule("Record the consultation on ceasing"),
    "cease_plan": StepRule("Cease the plan"),
    "keep_plan": StepRule("Keep the plan after consultation", needs_letter=True),
}


#: Apps that own what a review step sets in motion register here (the disputes app opens the
#: family's appeal window when a decision letter with appeal rights goes out). A hook runs
#: inside the step's transaction, after the review is saved and audited, as
#: `hook(review=..., actor=..., effective_date=..., details=...)`; raising ValidationError (or a
#: CaseError) takes the whole step back.
REVIEW_TRANSITION_HOOKS: dict[str, list] = {}


def register_review_transition_hook(transition: str, hook) -> None:
    if transition not in TRANSITIONS:
        raise ValueError(f"No such review step: {transition}")
    if hook not in REVIEW_TRANSITION_HOOKS.setdefault(transition, []):
        REVIEW_TRANSITION_HOOKS[transition].append(hook)


# --- Active plans -------------------------------------------------------------------------------


def plan_review_due(plan: ActivePlan) -> datetime.date:
    """s44 from the start or last review meeting; reg 15(5) for a plan transferred in."""
    due = deadlines.review_due(plan.last_review_meeting_on or plan.start_date)
    if plan.transferred_in_on and (
        plan.last_review_meeting_on is None or plan.last_review_meeting_on < plan.transferred_in_on
    ):
        due = deadlines.transfer_in_review_due(due, plan.transferred_in_on)
    return due


def plan_refresh_derived(plan: ActivePlan, *, today: datetime.date) -> None:
    """The review date from the plan's dates; the phase transfer from the child's date of birth
    unless the council recorded one (a marked transfer, or the imported year)."""
    plan.review_due = plan_review_due(plan)
    transfer = plan.phase_transfer
    if transfer and not plan.phase_transfer_year and transfer in deadlines.YEAR_GROUP_ENTERED:
        plan.phase_transfer_year = deadlines.phase_transfer_year(
            plan.child.date_of_birth, deadlines.PhaseTransfer(transfer)
        )
    if plan.phase_transfer and plan.phase_transfer_year:
        plan.phase_transfer_due = deadlines.phase_transfer_due_in(
            plan.phase_transfer_year, deadlines.PhaseTransfer(plan.phase_transfer)
        )
    elif not plan.phase_transfer:
        found = deadlines.next_phase_transfer(plan.child.date_of_birth, today)
        if found is not None:
            move, due = found
            plan.phase_transfer = move.value
            plan.phase_transfer_year = due.year
            plan.phase_transfer_due = due


def _plan_reference(child, start_date: datetime.date) -> str:
    """For a plan not issued here (imported, transferred in): the child and the start date."""
    return f"{settings.EHC_REFERENCE_PREFIX}-PLAN-{child.pk}-{start_date:%Y%m%d}"


@transaction.atomic
def active_plan_create(
    *, actor, child, start_date: datetime.date, primary_need: str, today=None, **fields
) -> ActivePlan:
    today = today or _today()
    plan = ActivePlan(child=child, start_date=start_date, primary_need=primary_need, **fields)
    if not plan.reference:
        plan.reference = _plan_reference(child, start_date)
    plan_refresh_derived(plan, today=today)
    plan.full_clean()
    plan.save()
    audit_record(
        actor=actor,
        verb="active_plan.created",
        target=plan,
        case=plan.case,
        effective_date=start_date,
        payload={"imported": plan.imported} if plan.imported else {},
    )
    return plan


def active_plan_from_final_plan(*, case, actor, effective_date, reason, details) -> None:
    """cases transition hook on `issue_final`: the plan issued here becomes an active plan,
    inside the same transaction (so a refusal of either takes both back)."""
    if ActivePlan.objects.filter(case=case).exists():
        return
    child = case.child
    active_plan_create(
        actor=actor,
        child=child,
        case=case,
        reference=case.reference,
        caseworker=case.caseworker,
        start_date=effective_date,
        primary_need=case.primary_need,
        secondary_needs=list(case.secondary_needs),
        setting_name=child.current_setting,
        today=effective_date,
    )


@transaction.atomic
def active_plans_from_issued_cases(*, actor, today: datetime.date, case_ids=None) -> int:
    """Every case whose final plan has been issued and which has no active plan becomes one:
    cases replayed by the tracker import (which runs no transition hooks) and any issued here
    before this existed. A child who already has an active plan (from the plans import) keeps
    that one. Safe to run twice; returns how many plans it made."""
    cases = (
        Case.objects.filter(status=CaseStatus.FINAL_ISSUED, final_issued_on__isnull=False)
        .filter(active_plan__isnull=True)
        .exclude(child_id__in=ActivePlan.objects.active().values("child_id"))
        .select_related("child")
        .order_by("pk")
    )
    if case_ids is not None:
        cases = cases.filter(pk__in=list(case_ids))
    cases = list(cases)
    taken = set(
        ActivePlan.objects.filter(reference__in=[c.reference for c in cases]).values_list(
            "reference", flat=True
        )
    )
    built, seen = [], set()
    for case in cases:
        if case.child_id in seen:
            continue  # two issued cases for one child: the first keeps the plan
        seen.add(case.child_id)
        plan = ActivePlan(
            child=case.child,
            case=case,
            reference=case.reference,
            caseworker_id=case.caseworker_id,
            start_date=case.final_issued_on,
            primary_need=case.primary_need,
            secondary_needs=list(case.secondary_needs),
            setting_name=case.child.current_setting,
            imported=case.imported,
        )
        if plan.reference in taken:
            plan.reference = _plan_reference(case.child, case.final_issued_on)
        plan_refresh_derived(plan, today=today)
        built.append(plan)
    created = ActivePlan.objects.bulk_create(built, batch_size=1000)
    audit_record_many(
        [
            audit_entry(
                actor=actor,
                verb="active_plan.created",
                target=plan,
                case=plan.case,
                effective_date=plan.start_date,
                payload={"imported": plan.imported, "from_case": True},
            )
            for plan in created
        ]
    )
    return len(created)


# --- Reviews ------------------------------------------------------------------------------------


def _refresh_derived(review: Review) -> None:
    meeting = review.meeting_on
    review.invitations_due = deadlines.invitations_due(meeting)
    review.report_due = deadlines.report_due(meeting)
    review.decision_due = deadlines.decision_due(meeting)
    review.amended_plan_due = deadlines.amended_plan_due(meeting, review.amendments_proposed_on)
    milestone = NEXT_MILESTONE_BY_STATUS.get(review.status)
    review.next_milestone = milestone.value if milestone else ""
    review.next_milestone_due = {
        deadlines.ReviewMilestone.INVITATIONS: review.invitations_due,
        deadlines.ReviewMilestone.MEETING: review.plan.review_due if milestone else None,
        deadlines.ReviewMilestone.REPORT: review.report_due,
        deadlines.ReviewMilestone.DECISION: review.decision_due,
        deadlines.ReviewMilestone.AMENDED_PLAN: review.amended_plan_due,
    }.get(milestone)
    if milestone == deadlines.ReviewMilestone.MEETING:
        review.next_milestone_due = min(meeting, review.plan.review_due)


def _check_school(school) -> None:
    if school is not None and school.kind != PartnerServiceKind.SCHOOL:
        raise ValidationError({"school": errors.NOT_A_SCHOOL})


@transaction.atomic
def review_schedule(
    *, actor, plan: ActivePlan, meeting_on: datetime.date, school=None, outcomes=(), today=None
) -> Review:
    """Arrange a review meeting for an active plan, with the outcomes to review: section E of
    the plan in force where the plan is held here, else as typed (decision 0150)."""
    if not may_change_review(None, actor):
        raise errors.CaseForbiddenError(errors.CHANGE_FORBIDDEN)
    plan = ActivePlan.objects.select_for_update().get(pk=plan.pk)
    if plan.ceased_on is not None:
        raise errors.CaseConflictError(errors.PLAN_CEASED)
    if plan.reviews.filter(status__in=OPEN_REVIEW_STATUSES).exists():
        raise errors.CaseConflictError(errors.REVIEW_ALREADY_OPEN)
    if meeting_on < plan.start_date:
        raise ValidationError(
            {"meeting_on": errors.MEETING_BEFORE_START.format(start=plan.start_date)}
        )
    _check_school(school)
    in_force = plan_documents.plan_in_force(plan)
    if in_force is not None and any(text and text.strip() for text in outcomes):
        raise ValidationError({"outcomes": errors.OUTCOMES_FROM_PLAN})
    today = today or _today()
    # Steps may be recorded after the event (invitations sent before the review was entered
    # here), so the first step may go back to the plan's last review or its start, no further.
    review = Review(
        plan=plan,
        meeting_on=meeting_on,
        school=school,
        status_changed_on=min(today, plan.last_review_meeting_on or plan.start_date),
    )
    _refresh_derived(review)
    review.save()
    if in_force is not None:
        rows = plan_documents.outcomes_from_plan(review, in_force)
    else:
        rows = [
            ReviewOutcomeProgress(review=review, outcome_text=text.strip(), position=index)
            for index, text in enumerate(outcomes)
            if text and text.strip()
        ]
    ReviewOutcomeProgress.objects.bulk_create(rows)
    audit_record(
        actor=actor,
        verb="review.scheduled",
        target=review,
        case=plan.case,
        to_state=review.status,
        effective_date=today,
        payload={"meeting_on": meeting_on.isoformat()},
    )
    return review


def available_transitions(review: Review, user) -> list[str]:
    return [
        name
        for name in TRANSITIONS
        if can_proceed(getattr(review, name)) and has_transition_perm(getattr(review, name), user)
    ]


def may_send_report(review: Review, user) -> bool:
    """The review's school's current members, or the SEN team."""
    if may_change_review(review, user):
        return True
    if review.school_id is None or not getattr(user, "is_authenticated", False):
        return False
    return (
        ServiceMembership.objects.current().filter(service_id=review.school_id, user=user).exists()
    )


def _check_details(review: Review, name: str, effective_date, details: dict, today) -> dict:
    rule = TRANSITIONS[name]
    clean = dict(details)
    if rule.needs_letter and plan_documents.check_letter_date(review.plan, details):
        letter = details.get("decision_letter_sent_on")
        if letter is None:
            raise ValidationError({"decision_letter_sent_on": errors.LETTER_REQUIRED})
        if letter < effective_date:
            raise ValidationError({"decision_letter_sent_on": errors.LETTER_BEFORE_DECISION})
        if letter > today:
            raise ValidationError({"decision_letter_sent_on": errors.LETTER_IN_FUTURE})
    if name == "receive_report" and not (details.get("report_text") or "").strip():
        raise ValidationError({"report_text": errors.REPORT_REQUIRED})
    if name == "cease_plan" and details.get("cease_reason") not in CeaseReason.values:
        raise ValidationError({"cease_reason": errors.CEASE_REASON_REQUIRED})
    if name == "issue_amended_plan" and review.amendments_proposed_on:
        earliest = deadlines.earliest_amended_plan_date(review.amendments_proposed_on)
        if effective_date < earliest:
            raise ValidationError(
                {
                    "effective_date": errors.FAMILY_COMMENT_PERIOD.format(
                        proposed=review.amendments_proposed_on, earliest=earliest
                    )
                }
            )
    return clean


def _check_effective_date(review: Review, effective_date, today) -> None:
    if effective_date > today:
        raise ValidationError({"effective_date": errors.EFFECTIVE_DATE_IN_FUTURE})
    if effective_date < review.status_changed_on:
        raise ValidationError(
            {
                "effective_date": errors.EFFECTIVE_DATE_BEFORE_PREVIOUS.format(
                    previous=review.status_changed_on
                )
            }
        )


def _plan_follows(plan: ActivePlan, review: Review, name: str, details: dict, today) -> list[str]:
    """What a review step changes on its plan; returns the fields changed."""
    changed = []
    if name == "hold_meeting":
        plan.last_review_meeting_on = review.meeting_held_on
        changed.append("last_review_meeting_on")
    elif name in ("decide_maintain", "decide_amend", "decide_cease", "keep_plan"):
        # Where the letters are written here, the date follows when they are marked sent
        # (plan_documents.review_letters_sent).
        plan.last_review_decision_on = review.decision_letter_sent_on
        plan.last_review_outcome = review.decision
        changed += ["last_review_decision_on", "last_review_outcome"]
    elif name == "issue_amended_plan":
        if details.get("setting_name"):
            plan.setting_name = details["setting_name"]
            plan.setting_urn = details.get("setting_urn", "")
            plan.sen_setting = ""
            changed += ["setting_name", "setting_urn", "sen_setting"]
            if plan.phase_transfer_due and not plan.phase_transfer_named_on:
                plan.phase_transfer_named_on = review.amended_plan_issued_on
                changed.append("phase_transfer_named_on")
    elif name == "cease_plan":
        plan.ceased_on = review.ceased_on
        plan.cease_reason = review.cease_reason
        changed += ["ceased_on", "cease_reason"]
    if changed:
        plan.review_due = plan_review_due(plan)
        plan.full_clean(exclude=["child", "case", "caseworker"])
        plan.save(update_fields=[*changed, "review_due", "updated_at"])
    return changed


@transaction.atomic
def review_transition(
    *,
    actor,
    review: Review,
    transition: str,
    effective_date: datetime.date | None = None,
    details: dict | None = None,
    expected_status: str | None = None,
    today: datetime.date | None = None,
) -> Review:
    """Move a review one step (section 13), on the date it happened. Locks the review (and its
    plan) so two concurrent steps are serialised; the second is refused, nothing written."""
    today = today or _today()
    effective_date = effective_date or today
    details = details or {}
    if transition not in TRANSITIONS:
        raise ValidationError({"transition": errors.UNKNOWN_TRANSITION.format(name=transition)})
    locked = Review.objects.select_for_update().select_related("plan").get(pk=review.pk)
    plan = ActivePlan.objects.select_for_update().get(pk=locked.plan_id)
    locked.plan = plan
    if expected_status is not None and locked.status != expected_status:
        raise errors.ConcurrentChangeError(errors.REVIEW_CHANGED.format(status=locked.status))
    method = getattr(locked, transition)
    if not can_proceed(method):
        raise errors.TransitionNotAllowedError(
            errors.TRANSITION_NOT_ALLOWED.format(status=locked.status, transition=transition)
        )
    if transition == "receive_report":
        if not may_send_report(locked, actor):
            raise errors.CaseForbiddenError(errors.REPORT_FORBIDDEN)
    elif not has_transition_perm(method, actor):
        raise errors.CaseForbiddenError(errors.CHANGE_FORBIDDEN)
    _check_effective_date(locked, effective_date, today)
    details = _check_details(locked, transition, effective_date, details, today)
    from_status = locked.status
    method(effective_date=effective_date, details=details)
    details = plan_documents.review_step_documents(
        actor=actor,
        review=locked,
        plan=plan,
        transition=transition,
        effective_date=effective_date,
        details=details,
    )
    locked.status_changed_on = effective_date
    _refresh_derived(locked)
    try:
        locked.save()
    except ConcurrentTransition as exc:
        raise errors.ConcurrentChangeError(
            errors.REVIEW_CHANGED.format(status="changed by someone else")
        ) from exc
    _plan_follows(plan, locked, transition, details, today)
    _refresh_derived(locked)
    Review.objects.filter(pk=locked.pk).update(
        next_milestone=locked.next_milestone, next_milestone_due=locked.next_milestone_due
    )
    audit_record(
        actor=actor,
        verb=f"review.{transition}",
        target=locked,
        case=plan.case,
        from_state=from_status,
        to_state=locked.status,
        effective_date=effective_date,
        payload=_audit_payload(details),
    )
    for hook in REVIEW_TRANSITION_HOOKS.get(transition, ()):
        hook(review=locked, actor=actor, effective_date=effective_date, details=details)
    return locked


def _audit_payload(details: dict) -> dict:
    """The step's details, without the report's text (it is on the review itself)."""
    return {
        key: value.isoformat() if isinstance(value, datetime.date) else value
        for key, value in details.items()
        if key != "report_text" and isinstance(value, str | int | bool | datetime.date)
    }


@transaction.atomic
def review_record_progress(
    *, actor, review: Review, progress: dict[int, tuple[str, str]], contribution: dict | None = None
) -> Review:
    """Mark each outcome's progress (achieved, partly, not achieved, no longer relevant) with
    its evidence, and the child's contribution (views, attendance). `progress` maps an outcome
    row's id to (progress, evidence)."""
    if not may_change_review(review, actor):
        raise errors.CaseForbiddenError(errors.CHANGE_FORBIDDEN)
    locked = Review.objects.select_for_update().get(pk=review.pk)
    rows = {row.pk: row for row in locked.outcomes.all()}
    changed = []
    for pk, (value, evidence) in progress.items():
        row = rows.get(pk)
        if row is None:
            raise ValidationError({"outcomes": "That outcome is not part of this review."})
        row.progress, row.evidence = value, evidence.strip()
        row.full_clean(exclude=["review"])
        changed.append(row)
    ReviewOutcomeProgress.objects.bulk_update(changed, ["progress", "evidence"])
    fields = []
    for name in ("child_views_given", "child_attended", "preparing_for_adulthood_considered"):
        if contribution and name in contribution:
            setattr(locked, name, bool(contribution[name]))
            fields.append(name)
    if fields:
        Review.objects.filter(pk=locked.pk).update(**{f: getattr(locked, f) for f in fields})
    audit_record(
        actor=actor,
        verb="review.progress_recorded",
        target=locked,
        case=locked.plan.case,
        payload={
            "outcomes": {str(pk): value for pk, (value, _) in progress.items()},
            **{f: getattr(locked, f) for f in fields},
        },
    )
    return locked


__all__ = ["ReviewOutcome", "available_transitions", "review_schedule", "review_transition"]
