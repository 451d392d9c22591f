"""A family's disagreement with an appealable decision (ehc-process.md section 14): the
dispute, its mediation, its appeal to the tribunal, and the orders (or concessions, or mediation
agreements) the council must then carry out, each step with its due date.

Statuses are protected (django-fsm-2): they change only through the transitions below, fired by
disputes.services, which locks the row, validates, audits. Every table points at the dispute
(and the dispute at the case), so the subject-access export and the retention erasure, which
follow foreign keys from the child, find them all.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django_fsm import ConcurrentTransitionMixin, FSMField, transition

from cases.models import Case
from cases.roles import may_change_case

from . import deadlines
from .deadlines import OrderKind


class Decision(models.TextChoices):
    """Section 14: the appealable decisions."""

    DECLINE_TO_ASSESS = "decline_to_assess", "Decision not to assess"
    DECLINE_TO_ISSUE = "decline_to_issue", "Decision not to issue a plan"
    PLAN_CONTENT = "plan_content", "The content of the plan (sections B, F or I)"
    AMENDMENT = "amendment", "An amendment, or a decision not to amend"
    CEASE = "cease", "Decision to cease the plan"


#: A review-linked dispute's words, by the review's status when the window opened and after
#: (reviews.models.ReviewStatus values: the review is closed by then, so its status stays).
REVIEW_DECISION_WORDS = {
    "maintained": "Decision to keep the plan without changes",
    "amended": "The amended plan",
    "ceased": "Decision to cease the plan",
}


class DisputeStatus(models.TextChoices):
    OPEN = "open", "Appeal window open"
    APPEALED = "appealed", "Appealed to the tribunal"
    CLOSED = "closed", "Closed"


class Dispute(ConcurrentTransitionMixin, models.Model):
    """One appealable decision of a case, and the family's window to appeal it."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="disputes")
    decision = models.CharField(max_length=32, choices=Decision.choices)
    review = models.ForeignKey(
        "reviews.Review",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="disputes",
        help_text="The review whose decision (or amended plan) this is; a plan has one a year.",
    )
    decision_letter_sent_on = models.DateField(
        help_text="When the decision letter, with appeal and mediation rights, was sent."
    )
    appeal_deadline = models.DateField(
        help_text="Derived: the later of 2 months from the letter and 1 month from a certificate."
    )
    status = FSMField(default=DisputeStatus.OPEN, choices=DisputeStatus.choices, protected=True)
    status_changed_on = models.DateField()
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["decision_letter_sent_on", "id"]
        constraints = [
            # A decision of the request (not to assess, not to issue, the plan first issued)
            # happens once per case; a review's happens once per review, and a plan has a
            # review every year (decision 0140).
            models.UniqueConstraint(
                fields=["case", "decision"],
                condition=Q(review__isnull=True),
                name="dispute_once_per_decision",
            ),
            models.UniqueConstraint(
                fields=["review"],
                condition=Q(review__isnull=False),
                name="dispute_once_per_review",
            ),
        ]

    def __str__(self):
        return f"{self.case.reference}: {self.title}"

    @property
    def title(self) -> str:
        """What the family may disagree with, in words: the decision, and for a review's
        decision which review (a plan has one each year)."""
        if self.review_id is None:
            return self.get_decision_display()
        review = self.review
        what = REVIEW_DECISION_WORDS.get(review.status, self.get_decision_display())
        return f"{what} (review meeting of {review.meeting_on.day} {review.meeting_on:%B %Y})"

    @transition(
        field=status,
        source=DisputeStatus.OPEN,
        target=DisputeStatus.APPEALED,
        permission=may_change_case,
    )
    def register_appeal(self, *, effective_date):
        """The family appealed to the tribunal within (or the tribunal admitted) the window."""

    @transition(
        field=status,
        source=DisputeStatus.OPEN,
        target=DisputeStatus.CLOSED,
        permission=may_change_case,
    )
    def close_without_appeal(self, *, effective_date):
        """No appeal was made (or the disagreement was settled without one)."""

    @transition(
        field=status,
        source=DisputeStatus.APPEALED,
        target=DisputeStatus.CLOSED,
        permission=may_change_case,
    )
    def conclude(self, *, effective_date):
        """The appeal ended: decided, conceded or withdrawn."""


class MediationStatus(models.TextChoices):
    ADVISER_CONTACTED = "adviser_contacted", "Family contacted the mediation adviser"
    MEDIATING = "mediating", "Mediation chosen"
    HELD = "held", "Mediation held"
    CERTIFIED = "certified", "Mediation certificate issued"


class MediationOutcome(models.TextChoices):
    AGREEMENT = "agreement", "Agreement reached"
    NO_AGREEMENT = "no_agreement", "No agreement"


class Mediation(ConcurrentTransitionMixin, models.Model):
    """Regs 33-42: the family's contact with the mediation adviser, the mediation if chosen,
    and the certificate that lets them appeal."""

    dispute = models.OneToOneField(Dispute, on_delete=models.CASCADE, related_name="mediation")
    adviser_contacted_on = models.DateField()
    mediation_requested_on = models.DateField(
        null=True, blank=True, help_text="When the council was told the family wants mediation."
    )
    mediation_due = models.DateField(
        null=True, blank=True, help_text="Derived: reg 37, 30 days from the request."
    )
    mediation_arranged_for = models.DateField(null=True, blank=True)
    held_on = models.DateField(null=True, blank=True)
    outcome = models.CharField(max_length=16, choices=MediationOutcome.choices, blank=True)
    certificate_issued_on = models.DateField(null=True, blank=True)
    status = FSMField(
        default=MediationStatus.ADVISER_CONTACTED, choices=MediationStatus.choices, protected=True
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self):
        return f"Mediation: {self.dispute}"

    @transition(
        field=status,
        source=MediationStatus.ADVISER_CONTACTED,
        target=MediationStatus.MEDIATING,
        permission=may_change_case,
    )
    def choose_mediation(self, *, effective_date):
        """Reg 37: the council must then make sure mediation happens within 30 days."""
        self.mediation_requested_on = effective_date
        self.mediation_due = deadlines.mediation_due(effective_date)

    @transition(
        field=status,
        source=MediationStatus.MEDIATING,
        target=MediationStatus.HELD,
        permission=may_change_case,
    )
    def record_held(self, *, effective_date):
        self.held_on = effective_date

    @transition(
        field=status,
        source=[
            MediationStatus.ADVISER_CONTACTED,
            MediationStatus.MEDIATING,
            MediationStatus.HELD,
        ],
        target=MediationStatus.CERTIFIED,
        permission=may_change_case,
    )
    def issue_certificate(self, *, effective_date):
        """Regs 34 and 39: the certificate opens (or extends) the appeal window."""
        self.certificate_issued_on = effective_date


class Ground(models.TextChoices):
    REFUSAL_TO_ASSESS = "refusal_to_assess", "Refusal to assess"
    REFUSAL_TO_ISSUE = "refusal_to_issue", "Refusal to issue a plan"
    SECTION_B = "section_b", "Section B (special educational needs)"
    SECTION_F = "section_f", "Section F (special educational provision)"
    SECTION_I = "section_i", "Section I (school or setting)"
    CEASE = "cease", "Decision to cease the plan"
    AMENDMENT = "amendment", "Amendment, or a decision not to amend"


class AppealStatus(models.TextChoices):
    REGISTERED = "registered", "Registered with the tribunal"
    RESPONDED = "responded", "Council's response sent"
    DECIDED = "decided", "Outcome recorded"


class AppealOutcome(models.TextChoices):
    DISMISSED = "dismissed", "Appeal dismissed"
    CONCEDED = "conceded", "Council did not oppose the appeal"
    WITHDRAWN = "withdrawn", "Appeal withdrawn"
    ORDER = "order", "Tribunal made an order"


class Appeal(ConcurrentTransitionMixin, models.Model):
    """The family's appeal to the First-tier Tribunal (SEND)."""

    dispute = models.OneToOneField(Dispute, on_delete=models.CASCADE, related_name="appeal")
    registered_on = models.DateField(
        help_text="When the council received the appeal from the tribunal: its 30 working days run."
    )
    grounds = models.JSONField(default=list)
    response_due = models.DateField()
    response_sent_on = models.DateField(null=True, blank=True)
    hearing_on = models.DateField(null=True, blank=True)
    outcome = models.CharField(max_length=16, choices=AppealOutcome.choices, blank=True)
    outcome_on = models.DateField(null=True, blank=True)
    status = FSMField(default=AppealStatus.REGISTERED, choices=AppealStatus.choices, protected=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self):
        return f"Appeal: {self.dispute}"

    @property
    def grounds_display(self) -> list[str]:
        labels = dict(Ground.choices)
        return [labels.get(ground, ground) for ground in self.grounds]

    @transition(
        field=status,
        source=AppealStatus.REGISTERED,
        target=AppealStatus.RESPONDED,
        permission=may_change_case,
    )
    def send_response(self, *, effective_date):
        self.response_sent_on = effective_date

    @transition(
        field=status,
        source=[AppealStatus.REGISTERED, AppealStatus.RESPONDED],
        target=AppealStatus.DECIDED,
        permission=may_change_case,
    )
    def record_outcome(self, *, effective_date):
        self.outcome_on = effective_date


class OrderSource(models.TextChoices):
    TRIBUNAL_ORDER = "tribunal_order", "Tribunal order (reg 44)"
    CONCESSION = "concession", "Council did not oppose the appeal (reg 45)"
    MEDIATION_AGREEMENT = "mediation_agreement", "Mediation agreement (reg 42)"


ORDER_KIND_LABELS = {
    OrderKind.ASSESS: "Carry out an EHC needs assessment",
    OrderKind.ISSUE_PLAN: "Make and maintain an EHC plan",
    OrderKind.RECONSIDER: "Reconsider whether to issue a plan (case referred back)",
    OrderKind.AMEND_PLAN: "Amend the plan",
    OrderKind.SECTION_I: "Name the school in section I",
    OrderKind.CONTINUE_PLAN: "Continue to maintain the plan",
    OrderKind.CEASE_PLAN: "Cease the plan (appeal against ceasing dismissed)",
    OrderKind.OTHER: "Something that cannot be appealed (reg 42(3))",
}


class Order(models.Model):
    """What the council must now do, with the date its clock starts: a tribunal order, a
    concession (reg 45) or one action of a mediation agreement (reg 42)."""

    dispute = models.ForeignKey(Dispute, on_delete=models.CASCADE, related_name="orders")
    source = models.CharField(max_length=24, choices=OrderSource.choices)
    kind = models.CharField(
        max_length=16, choices=[(kind.value, label) for kind, label in ORDER_KIND_LABELS.items()]
    )
    made_on = models.DateField(help_text="The date the order's periods run from.")
    terms = models.TextField(blank=True)
    reopened_case = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["made_on", "id"]

    def __str__(self):
        return f"{self.get_kind_display()} ({self.made_on:%d %B %Y})"


class OrderDeadline(models.Model):
    """One step an order requires and its due date (reg 44(2), 42, 45). `done_on` is when it
    was carried out; `not_needed` when another branch of the order applied (a plan issued, so
    no decision not to issue is due)."""

    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="deadlines")
    dispute = models.ForeignKey(Dispute, on_delete=models.CASCADE, related_name="deadlines")
    step = models.CharField(max_length=32)
    label = models.CharField(max_length=200)
    regulation = models.CharField(max_length=40)
    due_on = models.DateField(db_index=True)
    done_on = models.DateField(null=True, blank=True)
    not_needed = models.BooleanField(default=False)
    on_case_clock = models.BooleanField(
        default=False,
        help_text="The reopened case's own milestone carries this date (the case sweep alerts).",
    )

    class Meta:
        ordering = ["due_on", "id"]
        constraints = [
            models.UniqueConstraint(fields=["order", "step"], name="order_deadline_once"),
        ]
        indexes = [
            models.Index(
                fields=["due_on"],
                condition=Q(done_on__isnull=True, not_needed=False),
                name="order_deadline_outstanding",
            )
        ]

    def __str__(self):
        return f"{self.label} by {self.due_on:%d %B %Y}"

    @property
    def is_outstanding(self) -> bool:
        return self.done_on is None and not self.not_needed

    @property
    def on_time(self) -> bool | None:
        if self.done_on is None:
            return None
        return self.done_on <= self.due_on
