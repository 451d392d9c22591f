"""What a review does to the plan document held in the plans app (section 13; decision 0150):
each decision's letters through the one letter mechanism (plans.letters), an amendment's
versions through the plans app's own services (proposed amendments, then the amended plan),
section E's outcomes for the review to mark, and the letters' sent dates back on the review.

Runs inside reviews.services' atomic steps, so a refusal here (an unanswered comment, no
setting named) takes the whole step back. A plan imported without its case has no document or
letters here: its decision letter's date is entered by hand (reviews.services)."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db.models import Q

from audit.services import audit_record
from plans.letter_models import REVIEW_LETTER_KINDS, DecisionNotice, LetterKind
from plans.letters import letters_write
from plans.models import ISSUED_PLAN_KINDS, Outcome, PlanVersion
from plans.services import amended_plan_issue, amendment_open, amendments_propose
from reports.sen2_codes import CeaseReason

from . import errors
from .models import ActivePlan, Review, ReviewOutcomeProgress

#: The letter each decision step writes (keeping the plan after consultation is a decision to
#: maintain: in writing, with appeal rights).
DECISION_LETTERS = {
    "decide_maintain": LetterKind.REVIEW_MAINTAIN,
    "decide_amend": LetterKind.REVIEW_AMEND,
    "decide_cease": LetterKind.REVIEW_CEASE,
    "keep_plan": LetterKind.REVIEW_MAINTAIN,
}


def letters_written_here(plan: ActivePlan) -> bool:
    """A plan with its case here has its letters and versions here (plans app)."""
    return plan.case_id is not None


def plan_in_force(plan: ActivePlan) -> PlanVersion | None:
    """The latest issued final or amended version of the plan, if the document is held here."""
    if plan.case_id is None:
        return None
    return (
        PlanVersion.objects.filter(plan__case_id=plan.case_id, kind__in=ISSUED_PLAN_KINDS)
        .defer("html", "pdf")
        .order_by("-number")
        .first()
    )


def outcomes_from_plan(review: Review, version: PlanVersion) -> list[ReviewOutcomeProgress]:
    """One progress row per section E outcome of the version in force, in its order, each
    pointing at the plan's outcome row when that row still exists."""
    rows = version.snapshot.get("sections", {}).get("E", [])
    ids = [row["id"] for row in rows if row.get("id")]
    existing = set(
        Outcome.objects.filter(plan_id=version.plan_id, pk__in=ids).values_list("pk", flat=True)
    )
    return [
        ReviewOutcomeProgress(
            review=review,
            outcome_text=row["text"],
            outcome_label=row.get("label", ""),
            plan_version=version,
            plan_outcome_id=row.get("id") if row.get("id") in existing else None,
            position=index,
        )
        for index, row in enumerate(rows)
    ]


def _reason(transition: str, details: dict) -> str:
    reason = (details.get("reason") or "").strip()
    if transition == "cease_plan" and details.get("cease_reason") in CeaseReason.values:
        label = CeaseReason(details["cease_reason"]).label
        return f"{label}. {reason}" if reason else f"{label}."
    return reason


def check_letter_date(plan: ActivePlan, details: dict) -> bool:
    """Whether this plan's decision letter date is entered by hand (no case here). For a plan
    whose letters are written here the date comes from marking them sent, never typed."""
    if letters_written_here(plan):
        if details.get("decision_letter_sent_on") is not None:
            raise ValidationError({"decision_letter_sent_on": errors.LETTER_DATE_FROM_LETTERS})
        return False
    return True


def review_step_documents(
    *, actor, review: Review, plan: ActivePlan, transition: str, effective_date, details: dict
) -> dict:
    """The letters and versions of one step; returns details the plan follows (the setting the
    amended plan names). The review's foreign keys are set here and saved by the caller."""
    if not letters_written_here(plan):
        return details
    case = plan.case
    if transition in DECISION_LETTERS:
        letters = letters_write(
            actor=actor,
            case=case,
            kind=DECISION_LETTERS[transition],
            decided_on=effective_date,
            reason=_reason(transition, details),
        )
        review.decision_notice = letters[0].notice
        review.decision_letter_sent_on = None
        if transition == "decide_amend":
            amendment_open(actor=actor, case=case, opened_on=effective_date)
    elif transition == "propose_amendments":
        review.proposed_version = amendments_propose(
            actor=actor, case=case, issued_on=effective_date
        )
    elif transition == "issue_amended_plan":
        version, notice = amended_plan_issue(actor=actor, case=case, issued_on=effective_date)
        review.amended_version = version
        review.amended_plan_notice = notice
        named = version.snapshot["sections"]["I"].get("name", "")
        if named and named != plan.setting_name and not details.get("setting_name"):
            details = {**details, "setting_name": named}
    elif transition == "cease_plan":
        letters = letters_write(
            actor=actor,
            case=case,
            kind=LetterKind.PLAN_CEASED,
            decided_on=effective_date,
            reason=_reason(transition, details),
        )
        review.ceased_notice = letters[0].notice
    return details


#: Apps that act once a review's letters have gone register here (the disputes app opens the
#: family's appeal window from the date the letter with appeal rights was sent). A hook runs
#: inside the transaction that marked the last letter sent, as `hook(review=..., actor=...)`,
#: with the review's sent dates already recorded.
REVIEW_LETTERS_SENT_HOOKS: list = []


def register_review_letters_sent_hook(hook) -> None:
    if hook not in REVIEW_LETTERS_SENT_HOOKS:
        REVIEW_LETTERS_SENT_HOOKS.append(hook)


def review_letters_sent(*, notice: DecisionNotice, actor) -> None:
    """plans.letters hook: every letter of a review's notice has gone, so the review records
    the date the family was told (the decision's date for SEN2's LastReview and for the
    family's appeal window: disputes reads it from here)."""
    if notice.kind not in REVIEW_LETTER_KINDS:
        return
    sent: datetime.date = notice.family_notified_on
    reviews = Review.objects.filter(
        Q(decision_notice=notice) | Q(amended_plan_notice=notice) | Q(ceased_notice=notice)
    ).select_related("plan")
    for review in reviews:
        if review.decision_notice_id == notice.pk:
            Review.objects.filter(pk=review.pk).update(decision_letter_sent_on=sent)
            latest = (
                Review.objects.filter(plan_id=review.plan_id, decided_on__isnull=False)
                .order_by("-decided_on", "-id")
                .values_list("pk", flat=True)
                .first()
            )
            if latest == review.pk:
                ActivePlan.objects.filter(pk=review.plan_id).update(last_review_decision_on=sent)
        if review.amended_plan_notice_id == notice.pk:
            Review.objects.filter(pk=review.pk).update(amended_plan_letter_sent_on=sent)
        if review.ceased_notice_id == notice.pk:
            Review.objects.filter(pk=review.pk).update(ceased_letter_sent_on=sent)
        audit_record(
            actor=actor,
            verb="review.letters_sent",
            target=review,
            case=review.plan.case,
            effective_date=sent,
            payload={"letter": notice.kind},
        )
        refreshed = Review.objects.select_related("plan").get(pk=review.pk)
        for hook in REVIEW_LETTERS_SENT_HOOKS:
            hook(review=refreshed, actor=actor)
