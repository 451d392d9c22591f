"""Active plans and their reviews (ehc-process.md section 13).

An active plan is a plan this authority maintains: issued here (a case reaching final_issued),
imported from a tracker, or transferred in from another authority. Each review is a state
machine (django-fsm-2, protected status) fired by reviews.services, which locks, checks and
audits. Plan sections, versions and letters belong to the plans app; reviews.plan_documents is
the seam (decision 0150): section E outcomes, each decision's letters, the amendment's versions.
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import F, Q
from django_fsm import ConcurrentTransitionMixin, FSMField, transition

from cases.models import Child, PrimaryNeed, restricted_children
from reports.sen2_codes import URN_PATTERN, CeaseReason, ReviewOutcome, SENSetting

from . import deadlines
from .roles import may_change_review

urn_validator = RegexValidator(URN_PATTERN, "A URN is 6 digits.")

PHASE_TRANSFER_CHOICES = [(t.value, t.label) for t in deadlines.PhaseTransfer]

# The reviews sweep (reviews.alerts) records on each row the milestone it has alerted overdue,
# so it reads only the rows that may still owe an alert (decision 0196). The stored value is
# the milestone's own date (and name): a writer moving the date makes the row owe again without
# knowing. Each condition is also the condition of the partial index the sweep reads.
#: The plan's annual review date is not yet alerted overdue.
REVIEW_DUE_NOT_ALERTED = ~Q(review_overdue_alerted_on=F("review_due"))
#: The plan's phase transfer date is not yet alerted overdue.
TRANSFER_DUE_NOT_ALERTED = ~Q(transfer_overdue_alerted_on=F("phase_transfer_due"))
#: The review's next milestone is not yet alerted overdue.
MILESTONE_NOT_ALERTED = ~Q(overdue_alerted_due=F("next_milestone_due")) | ~Q(
    overdue_alerted_milestone=F("next_milestone")
)


class ActivePlanQuerySet(models.QuerySet):
    def active(self):
        return self.filter(ceased_on__isnull=True)

    def not_restricted(self):
        return self.exclude(child_id__in=restricted_children())


class ActivePlan(models.Model):
    """A plan this authority maintains, and what its clock needs: when it started, when it was
    last reviewed, when the next review and the next phase transfer are due."""

    reference = models.CharField(max_length=30, unique=True)
    child = models.ForeignKey(Child, on_delete=models.PROTECT, related_name="active_plans")
    case = models.OneToOneField(
        "cases.Case",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="active_plan",
        help_text="The request that led to the plan, when it was issued here.",
    )
    caseworker = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="active_plans",
    )
    start_date = models.DateField(help_text="The date the final plan was issued (SEN2 StartDate).")
    last_review_meeting_on = models.DateField(null=True, blank=True)
    last_review_decision_on = models.DateField(
        null=True,
        blank=True,
        help_text="Date of the last review decision letter (SEN2 LastReview).",
    )
    last_review_outcome = models.CharField(max_length=1, blank=True, choices=ReviewOutcome.choices)
    review_due = models.DateField(
        db_index=True, help_text="12 months from the start or the last review meeting (s44)."
    )
    setting_name = models.CharField(max_length=200, blank=True)
    setting_urn = models.CharField("URN", max_length=6, blank=True, validators=[urn_validator])
    sen_setting = models.CharField(
        max_length=4,
        blank=True,
        choices=SENSetting.choices,
        help_text="Only where the placement has no URN.",
    )
    primary_need = models.CharField(max_length=4, choices=PrimaryNeed.choices)
    secondary_needs = models.JSONField(default=list, blank=True)
    phase_transfer = models.CharField(max_length=32, blank=True, choices=PHASE_TRANSFER_CHOICES)
    phase_transfer_year = models.PositiveSmallIntegerField(null=True, blank=True)
    phase_transfer_due = models.DateField(null=True, blank=True, db_index=True)
    phase_transfer_named_on = models.DateField(
        null=True, blank=True, help_text="When the amended plan named the next setting."
    )
    transferred_in_from_la = models.CharField(
        "transferred in from (authority)", max_length=100, blank=True
    )
    transferred_in_on = models.DateField(null=True, blank=True)
    ceased_on = models.DateField(null=True, blank=True, db_index=True)
    cease_reason = models.PositiveSmallIntegerField(
        null=True, blank=True, choices=CeaseReason.choices
    )
    imported = models.BooleanField(default=False)
    # Written by the reviews sweep only (decision 0196).
    review_overdue_alerted_on = models.DateField(
        null=True, blank=True, editable=False, help_text="The review date alerted overdue."
    )
    transfer_overdue_alerted_on = models.DateField(
        null=True, blank=True, editable=False, help_text="The phase transfer date alerted overdue."
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ActivePlanQuerySet.as_manager()

    class Meta:
        ordering = ["review_due", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ceased_on__isnull=True) | Q(cease_reason__isnull=False),
                name="active_plan_ceased_has_reason",
            ),
            models.CheckConstraint(
                condition=Q(setting_urn="") | Q(sen_setting=""),
                name="active_plan_urn_or_sen_setting",
            ),
        ]
        indexes = [
            # What the reviews sweep reads (decision 0196): active plans whose date is not yet
            # alerted overdue, so long-overdue plans already alerted drop out of its reads.
            models.Index(
                fields=["review_due"],
                condition=Q(ceased_on__isnull=True) & REVIEW_DUE_NOT_ALERTED,
                name="plan_review_due_owing",
            ),
            models.Index(
                fields=["phase_transfer_due"],
                condition=Q(
                    ceased_on__isnull=True,
                    phase_transfer_named_on__isnull=True,
                    phase_transfer_due__isnull=False,
                )
                & TRANSFER_DUE_NOT_ALERTED,
                name="plan_transfer_due_owing",
            ),
        ]

    def __str__(self):
        return self.reference

    @property
    def is_active(self) -> bool:
        return self.ceased_on is None

    @property
    def setting_label(self) -> str:
        if self.setting_name:
            return self.setting_name
        return self.get_sen_setting_display() if self.sen_setting else ""


class ReviewStatus(models.TextChoices):
    """Section 13: the steps of one review (reg 20-22 and ceasing)."""

    SCHEDULED = "scheduled", "Meeting arranged"
    INVITATIONS_SENT = "invitations_sent", "Invitations sent"
    MEETING_HELD = "meeting_held", "Meeting held"
    REPORT_RECEIVED = "report_received", "Report received"
    MAINTAINED = "maintained", "Plan maintained"
    AMENDING = "amending", "Decided to amend"
    AMENDMENTS_PROPOSED = "amendments_proposed", "Amendments with the family"
    AMENDED = "amended", "Amended plan issued"
    CEASE_PROPOSED = "cease_proposed", "Notice to cease given"
    CEASE_CONSULTED = "cease_consulted", "Consultation on ceasing done"
    CEASED = "ceased", "Plan ceased"


OPEN_REVIEW_STATUSES = (
    ReviewStatus.SCHEDULED,
    ReviewStatus.INVITATIONS_SENT,
    ReviewStatus.MEETING_HELD,
    ReviewStatus.REPORT_RECEIVED,
    ReviewStatus.AMENDING,
    ReviewStatus.AMENDMENTS_PROPOSED,
    ReviewStatus.CEASE_PROPOSED,
    ReviewStatus.CEASE_CONSULTED,
)

#: The milestone each open status works towards (deadlines.ReviewMilestone).
NEXT_MILESTONE_BY_STATUS = {
    ReviewStatus.SCHEDULED: deadlines.ReviewMilestone.INVITATIONS,
    ReviewStatus.INVITATIONS_SENT: deadlines.ReviewMilestone.MEETING,
    ReviewStatus.MEETING_HELD: deadlines.ReviewMilestone.REPORT,
    ReviewStatus.REPORT_RECEIVED: deadlines.ReviewMilestone.DECISION,
    ReviewStatus.AMENDING: deadlines.ReviewMilestone.AMENDED_PLAN,
    ReviewStatus.AMENDMENTS_PROPOSED: deadlines.ReviewMilestone.AMENDED_PLAN,
}


class ReviewQuerySet(models.QuerySet):
    def open(self):
        return self.filter(status__in=OPEN_REVIEW_STATUSES)

    def not_restricted(self):
        return self.exclude(plan__child_id__in=restricted_children())


class Review(ConcurrentTransitionMixin, models.Model):
    """One review of an active plan, from the meeting's arrangement to the decision and what
    follows it (amendment or ceasing). Due dates are stored so lists sort and filter in SQL;
    they are derived only from the meeting date and the plan (reviews.services)."""

    plan = models.ForeignKey(ActivePlan, on_delete=models.PROTECT, related_name="reviews")
    status = FSMField(
        default=ReviewStatus.SCHEDULED,
        choices=ReviewStatus.choices,
        protected=True,
        db_index=True,
    )
    status_changed_on = models.DateField()
    meeting_on = models.DateField(help_text="The date of the review meeting.")
    school = models.ForeignKey(
        "advice_requests.PartnerService",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="reviews",
        help_text="The school or setting asked for the review report (it sees this review).",
    )
    # Stored due dates (reviews.services._refresh_derived).
    invitations_due = models.DateField()
    report_due = models.DateField()
    decision_due = models.DateField(db_index=True)
    amended_plan_due = models.DateField(db_index=True)
    next_milestone = models.CharField(max_length=32, blank=True)
    next_milestone_due = models.DateField(null=True, blank=True, db_index=True)
    # Written by the reviews sweep only (decision 0196): the milestone last alerted overdue.
    overdue_alerted_milestone = models.CharField(
        max_length=32, blank=True, editable=False, default="", db_default=""
    )
    overdue_alerted_due = models.DateField(null=True, blank=True, editable=False)
    # What happened, when.
    invitations_sent_on = models.DateField(null=True, blank=True)
    meeting_held_on = models.DateField(null=True, blank=True)
    report_received_on = models.DateField(null=True, blank=True)
    report_text = models.TextField(blank=True, help_text="The review report's summary.")
    report_by = models.CharField(max_length=200, blank=True)
    decision = models.CharField(max_length=1, blank=True, choices=ReviewOutcome.choices)
    decided_on = models.DateField(null=True, blank=True)
    decision_letter_sent_on = models.DateField(
        null=True,
        blank=True,
        help_text="When the decision letter went to the family (the date every letter of the "
        "decision notice was sent; entered by hand only for a plan with no case here).",
    )
    decision_notice = models.ForeignKey(
        "plans.DecisionNotice",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="The decision's letters (maintain, amend, propose to cease).",
    )
    proposed_version = models.ForeignKey(
        "plans.PlanVersion",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="The proposed amendments sent to the family (reg 22(2)).",
    )
    amended_version = models.ForeignKey(
        "plans.PlanVersion",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="The amended plan issued (reg 22(3)).",
    )
    amended_plan_notice = models.ForeignKey(
        "plans.DecisionNotice",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="The amended plan's letters, with appeal rights.",
    )
    amended_plan_letter_sent_on = models.DateField(null=True, blank=True)
    ceased_notice = models.ForeignKey(
        "plans.DecisionNotice",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="The letters of the decision to cease, with appeal rights.",
    )
    ceased_letter_sent_on = models.DateField(null=True, blank=True)
    amendments_proposed_on = models.DateField(null=True, blank=True)
    amended_plan_issued_on = models.DateField(null=True, blank=True)
    cease_notice_on = models.DateField(null=True, blank=True)
    cease_consulted_on = models.DateField(null=True, blank=True)
    ceased_on = models.DateField(null=True, blank=True)
    cease_reason = models.PositiveSmallIntegerField(
        null=True, blank=True, choices=CeaseReason.choices
    )
    # Section 13 / issue 17: the child's contribution.
    child_views_given = models.BooleanField(default=False)
    child_attended = models.BooleanField(default=False)
    preparing_for_adulthood_considered = models.BooleanField(
        default=False, help_text="From year 9 every review considers it (reg 20(6), 21(6))."
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ReviewQuerySet.as_manager()

    class Meta:
        ordering = ["next_milestone_due", "meeting_on", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["plan"],
                condition=Q(status__in=[s.value for s in OPEN_REVIEW_STATUSES]),
                name="review_one_open_per_plan",
            ),
        ]
        indexes = [
            # What the reviews sweep reads (decision 0196).
            models.Index(
                fields=["next_milestone_due"],
                condition=Q(
                    status__in=[s.value for s in OPEN_REVIEW_STATUSES],
                    next_milestone_due__isnull=False,
                )
                & MILESTONE_NOT_ALERTED,
                name="review_milestone_owing",
            ),
        ]

    def __str__(self):
        return f"{self.plan.reference} review {self.meeting_on:%d %B %Y}"

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_REVIEW_STATUSES

    @property
    def child_contributed(self) -> bool:
        return self.child_views_given or self.child_attended

    # --- Transitions (section 13). Dates only; the service checks, saves and audits. ----------

    @transition(
        field=status,
        source=ReviewStatus.SCHEDULED,
        target=ReviewStatus.INVITATIONS_SENT,
        permission=may_change_review,
    )
    def send_invitations(self, *, effective_date, details):
        """Reg 20(3)-(4): invitations and advice at least 2 weeks before the meeting."""
        self.invitations_sent_on = effective_date

    @transition(
        field=status,
        source=ReviewStatus.INVITATIONS_SENT,
        target=ReviewStatus.MEETING_HELD,
        permission=may_change_review,
    )
    def hold_meeting(self, *, effective_date, details):
        self.meeting_held_on = effective_date
        self.meeting_on = effective_date
        self.child_views_given = bool(details.get("child_views_given"))
        self.child_attended = bool(details.get("child_attended"))

    @transition(
        field=status,
        source=ReviewStatus.MEETING_HELD,
        target=ReviewStatus.REPORT_RECEIVED,
    )
    def receive_report(self, *, effective_date, details):
        """Reg 20(7): the school (or the authority) sends the report within 2 weeks. The school
        submits it through the partner workspace, so no staff role is required here: the
        service checks the school's membership instead."""
        self.report_received_on = effective_date
        self.report_text = details.get("report_text", "")
        self.report_by = details.get("report_by", "")

    @transition(
        field=status,
        source=ReviewStatus.REPORT_RECEIVED,
        target=ReviewStatus.MAINTAINED,
        permission=may_change_review,
    )
    def decide_maintain(self, *, effective_date, details):
        """Reg 20(10): "no change" is a decision too, in writing, with appeal rights."""
        self._decide(ReviewOutcome.MAINTAIN, effective_date, details)

    @transition(
        field=status,
        source=ReviewStatus.REPORT_RECEIVED,
        target=ReviewStatus.AMENDING,
        permission=may_change_review,
    )
    def decide_amend(self, *, effective_date, details):
        self._decide(ReviewOutcome.AMEND, effective_date, details)

    @transition(
        field=status,
        source=ReviewStatus.REPORT_RECEIVED,
        target=ReviewStatus.CEASE_PROPOSED,
        permission=may_change_review,
    )
    def decide_cease(self, *, effective_date, details):
        """s45: the authority gives notice that it proposes to cease the plan."""
        self._decide(ReviewOutcome.CEASE, effective_date, details)
        self.cease_notice_on = effective_date

    def _decide(self, outcome, effective_date, details):
        self.decision = outcome
        self.decided_on = effective_date
        self.decision_letter_sent_on = details.get("decision_letter_sent_on")

    @transition(
        field=status,
        source=ReviewStatus.AMENDING,
        target=ReviewStatus.AMENDMENTS_PROPOSED,
        permission=may_change_review,
    )
    def propose_amendments(self, *, effective_date, details):
        """Reg 22(2): the proposed amendments go to the family with 15 days to comment."""
        self.amendments_proposed_on = effective_date

    @transition(
        field=status,
        source=ReviewStatus.AMENDMENTS_PROPOSED,
        target=ReviewStatus.AMENDED,
        permission=may_change_review,
    )
    def issue_amended_plan(self, *, effective_date, details):
        """Reg 22(3): the amended plan, with appeal rights."""
        self.amended_plan_issued_on = effective_date

    @transition(
        field=status,
        source=ReviewStatus.CEASE_PROPOSED,
        target=ReviewStatus.CEASE_CONSULTED,
        permission=may_change_review,
    )
    def record_cease_consultation(self, *, effective_date, details):
        """s45(3)-(4): the family and the school are consulted before the decision."""
        self.cease_consulted_on = effective_date

    @transition(
        field=status,
        source=ReviewStatus.CEASE_CONSULTED,
        target=ReviewStatus.CEASED,
        permission=may_change_review,
    )
    def cease_plan(self, *, effective_date, details):
        """The decision to cease, with its SEN2 reason, and the family's appeal rights."""
        self.ceased_on = effective_date
        self.cease_reason = details["cease_reason"]

    @transition(
        field=status,
        source=ReviewStatus.CEASE_CONSULTED,
        target=ReviewStatus.MAINTAINED,
        permission=may_change_review,
    )
    def keep_plan(self, *, effective_date, details):
        """After consultation the authority decides not to cease: the plan is maintained."""
        self._decide(ReviewOutcome.MAINTAIN, effective_date, details)


class OutcomeProgress(models.TextChoices):
    ACHIEVED = "achieved", "Achieved"
    PARTLY = "partly", "Partly achieved"
    NOT_ACHIEVED = "not_achieved", "Not achieved"
    NO_LONGER_RELEVANT = "no_longer_relevant", "No longer relevant"


class ReviewOutcomeProgress(models.Model):
    """Progress against one outcome of section E at one review. Where the plan is held here,
    each row is one outcome of the plan version in force when the review was arranged
    (`plan_version`, its label E1, E2... and its wording as issued) and points at the plan's
    outcome row; a plan imported without its document keeps the outcome as typed
    (decision 0150)."""

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="outcomes")
    outcome_text = models.TextField()
    outcome_label = models.CharField(max_length=10, blank=True)
    plan_version = models.ForeignKey(
        "plans.PlanVersion",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="The issued plan whose section E this outcome is from.",
    )
    plan_outcome = models.ForeignKey(
        "plans.Outcome",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="review_progress",
        help_text="The plan's outcome row (cleared if an amendment later removes it; the "
        "wording reviewed stays in outcome_text).",
    )
    progress = models.CharField(max_length=20, blank=True, choices=OutcomeProgress.choices)
    evidence = models.TextField(blank=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["review", "position", "id"]

    def __str__(self):
        return self.outcome_text[:60]

    @property
    def is_reviewed(self) -> bool:
        return bool(self.progress)
