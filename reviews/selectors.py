"""Reads for the review pages, API, measures and alerts. Each list costs a fixed number of
queries (select_related), however many rows."""

from __future__ import annotations

import calendar
import datetime
from dataclasses import dataclass

from django.db.models import Count, Exists, F, OuterRef, Prefetch, Q, QuerySet

from advice_requests.models import PartnerServiceKind, ServiceMembership
from plans.letter_models import DecisionNotice, Letter, LetterKind
from plans.models import PlanVersion

from . import deadlines
from .models import (
    OPEN_REVIEW_STATUSES,
    ActivePlan,
    OutcomeProgress,
    Review,
    ReviewOutcomeProgress,
    ReviewStatus,
)
from .roles import may_use_review_area

#: The caseworker's lists (issue 17): name -> heading.
LISTS = {
    "due_this_month": "Reviews due this month",
    "overdue": "Reviews overdue",
    "decisions": "Decisions due within 4 weeks",
    "amended": "Amended plans due within 12 weeks",
    "phase_transfers": "Phase transfers",
}
DECISION_WINDOW_DAYS = 28
AMENDED_WINDOW_DAYS = 84
#: Phase transfers listed: those not yet named, due from 3 months ago to 15 months ahead.
PHASE_TRANSFER_PAST_DAYS = 92
PHASE_TRANSFER_AHEAD_DAYS = 457
DECIDING = (ReviewStatus.MEETING_HELD, ReviewStatus.REPORT_RECEIVED)
AMENDING = (ReviewStatus.AMENDING, ReviewStatus.AMENDMENTS_PROPOSED)


def plans_visible_to(user) -> QuerySet[ActivePlan]:
    """Section 8: caseworkers and managers see every plan; no one sees a restricted child's."""
    if not may_use_review_area(user):
        return ActivePlan.objects.none()
    return ActivePlan.objects.not_restricted()


def reviews_visible_to(user) -> QuerySet[Review]:
    if not may_use_review_area(user):
        return Review.objects.none()
    return Review.objects.not_restricted()


def plan_get(*, user, pk: int) -> ActivePlan:
    return plans_visible_to(user).select_related("child", "caseworker", "case").get(pk=pk)


def review_get(*, user, pk: int) -> Review:
    return (
        reviews_visible_to(user)
        .select_related("plan__child", "plan__caseworker", "school")
        .prefetch_related("outcomes")
        .get(pk=pk)
    )


def review_documents(review: Review) -> dict:
    """The review's letters (each decision notice with its letters, sent or not) and the plan
    versions it made, for its page: a fixed number of queries."""
    notice_ids = [
        pk
        for pk in (
            review.decision_notice_id,
            review.amended_plan_notice_id,
            review.ceased_notice_id,
        )
        if pk
    ]
    wanted = Q(pk__in=notice_ids)
    if review.amendments_proposed_on and review.plan.case_id:
        wanted |= Q(
            case_id=review.plan.case_id,
            kind=LetterKind.AMENDMENTS_PROPOSED,
            decided_on=review.amendments_proposed_on,
        )
    notices = []
    if notice_ids:
        notices = list(
            DecisionNotice.objects.filter(wanted)
            .prefetch_related(
                Prefetch("letters", queryset=Letter.objects.defer("html", "pdf").order_by("id"))
            )
            .order_by("decided_on", "id")
        )
    version_ids = [pk for pk in (review.proposed_version_id, review.amended_version_id) if pk]
    versions = (
        list(
            PlanVersion.objects.filter(pk__in=version_ids)
            .select_related("plan__case")
            .defer("html", "pdf", "snapshot")
            .order_by("number")
        )
        if version_ids
        else []
    )
    return {"notices": notices, "versions": versions}


def month_bounds(today: datetime.date) -> tuple[datetime.date, datetime.date]:
    last = calendar.monthrange(today.year, today.month)[1]
    return today.replace(day=1), today.replace(day=last)


def _open_review_of_plan():
    return Review.objects.filter(plan=OuterRef("pk"), status__in=OPEN_REVIEW_STATUSES)


def review_list(*, name: str, today: datetime.date, user=None):
    """One of LISTS: plans (due this month, overdue, phase transfers) or reviews (decisions,
    amended plans), in due-date order."""
    plans = ActivePlan.objects.active().not_restricted().select_related("child", "caseworker")
    reviews = (
        Review.objects.not_restricted()
        .filter(plan__ceased_on__isnull=True)
        .select_related("plan__child", "plan__caseworker")
    )
    if name == "due_this_month":
        first, last = month_bounds(today)
        return (
            plans.filter(review_due__range=(first, last))
            .annotate(review_open=Exists(_open_review_of_plan()))
            .order_by("review_due", "pk")
        )
    if name == "overdue":
        return (
            plans.filter(review_due__lt=today)
            .annotate(review_open=Exists(_open_review_of_plan()))
            .order_by("review_due", "pk")
        )
    if name == "decisions":
        window = today + datetime.timedelta(days=DECISION_WINDOW_DAYS)
        return reviews.filter(status__in=DECIDING, decision_due__lte=window).order_by(
            "decision_due", "pk"
        )
    if name == "amended":
        window = today + datetime.timedelta(days=AMENDED_WINDOW_DAYS)
        return reviews.filter(status__in=AMENDING, amended_plan_due__lte=window).order_by(
            "amended_plan_due", "pk"
        )
    if name == "phase_transfers":
        return plans.filter(
            phase_transfer_named_on__isnull=True,
            phase_transfer_due__gte=today - datetime.timedelta(days=PHASE_TRANSFER_PAST_DAYS),
            phase_transfer_due__lte=today + datetime.timedelta(days=PHASE_TRANSFER_AHEAD_DAYS),
        ).order_by("phase_transfer_due", "child__last_name", "pk")
    raise KeyError(name)


def list_counts(*, today: datetime.date) -> dict[str, int]:
    return {name: review_list(name=name, today=today).count() for name in LISTS}


def school_reviews(*, user) -> QuerySet[Review]:
    """Section 8 for schools: only reviews whose report their (current) service was asked for,
    and only while the report is awaited or just sent."""
    services = ServiceMembership.objects.current().filter(
        user=user, service__kind=PartnerServiceKind.SCHOOL
    )
    return (
        Review.objects.not_restricted()
        .filter(school_id__in=services.values("service_id"))
        .filter(status__in=[*OPEN_REVIEW_STATUSES])
        .select_related("plan__child", "school")
        .order_by("meeting_on", "pk")
    )


# --- Measures (issue 17, section 4: the council's outcomes framework) ---------------------------


@dataclass(frozen=True)
class Measure:
    key: str
    label: str
    numerator: int
    denominator: int

    @property
    def percent(self) -> int | None:
        if not self.denominator:
            return None
        return int(self.numerator * 100 / self.denominator + 0.5)


MEASURE_LABELS = {
    "outcomes_achieved": "Outcomes achieved",
    "child_contributed": "Reviews with the child's contribution",
    "all_outcomes_reviewed": "Plans with every outcome reviewed",
    "decisions_in_time": "Review decisions within 4 weeks",
}


def held_reviews(today: datetime.date) -> QuerySet[Review]:
    """Reviews whose meeting was held in the 12 months to today."""
    start = deadlines.add_months(today, -12)
    return Review.objects.not_restricted().filter(
        meeting_held_on__gt=start, meeting_held_on__lte=today
    )


def _latest_held_review_ids(today: datetime.date):
    """Each active plan's latest held review in the 12 months (one per plan)."""
    latest = (
        held_reviews(today)
        .filter(plan=OuterRef("plan"))
        .order_by("-meeting_held_on", "-pk")
        .values("pk")[:1]
    )
    return held_reviews(today).filter(plan__ceased_on__isnull=True).filter(pk=latest).values("pk")


def measure_reviews(key: str, today: datetime.date) -> QuerySet[Review]:
    """The reviews a measure counts (its denominator), each annotated `counted` (numerator)."""
    reviews = held_reviews(today).select_related("plan__child")
    if key == "outcomes_achieved":
        return (
            reviews.annotate(
                reviewed=Count("outcomes", filter=~Q(outcomes__progress="")),
                achieved=Count("outcomes", filter=Q(outcomes__progress=OutcomeProgress.ACHIEVED)),
            )
            .filter(reviewed__gt=0)
            .order_by("-meeting_held_on", "pk")
        )
    if key == "child_contributed":
        return reviews.order_by("-meeting_held_on", "pk")
    if key == "all_outcomes_reviewed":
        return (
            reviews.filter(pk__in=_latest_held_review_ids(today))
            .annotate(
                outcome_count=Count("outcomes"),
                unreviewed=Count("outcomes", filter=Q(outcomes__progress="")),
            )
            .order_by("-meeting_held_on", "pk")
        )
    if key == "decisions_in_time":
        return reviews.filter(decided_on__isnull=False).order_by("-meeting_held_on", "pk")
    raise KeyError(key)


def is_counted(key: str, review: Review) -> bool:
    if key == "child_contributed":
        return review.child_contributed
    if key == "all_outcomes_reviewed":
        return review.outcome_count > 0 and review.unreviewed == 0
    if key == "decisions_in_time":
        return review.decided_on <= review.decision_due
    raise KeyError(key)


def measures(today: datetime.date) -> list[Measure]:
    """The four figures, in a fixed number of queries."""
    held = held_reviews(today)
    outcomes = ReviewOutcomeProgress.objects.filter(review__in=held).exclude(progress="")
    achieved = outcomes.filter(progress=OutcomeProgress.ACHIEVED).count()
    latest = measure_reviews("all_outcomes_reviewed", today)
    all_reviewed = latest.filter(outcome_count__gt=0, unreviewed=0).count()
    decided = held.filter(decided_on__isnull=False)
    return [
        Measure(
            "outcomes_achieved", MEASURE_LABELS["outcomes_achieved"], achieved, outcomes.count()
        ),
        Measure(
            "child_contributed",
            MEASURE_LABELS["child_contributed"],
            held.filter(Q(child_views_given=True) | Q(child_attended=True)).count(),
            held.count(),
        ),
        Measure(
            "all_outcomes_reviewed",
            MEASURE_LABELS["all_outcomes_reviewed"],
            all_reviewed,
            latest.count(),
        ),
        Measure(
            "decisions_in_time",
            MEASURE_LABELS["decisions_in_time"],
            decided.filter(decided_on__lte=F("decision_due")).count(),
            decided.count(),
        ),
    ]
