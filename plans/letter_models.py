"""Letters (ehc-process.md section 11): the templates the council edits, each decision that must
be told to the family, and the letters written for it (one per recipient), rendered once to PDF
and never regenerated. Kept in the plans app, in this module of their own, because the plan's
letters enclose the plan's versions and both share the one PDF renderer (plans.pdf); an app of
their own would import the plan anyway."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from cases.models import Case, ParentCarer


class LetterKind(models.TextChoices):
    """Section 11: the decisions the family is told of in writing, by the step that makes them."""

    AGREE_TO_ASSESS = "agree_to_assess", "Decision to assess"
    DECLINE_TO_ASSESS = "decline_to_assess", "Decision not to assess"
    DECLINE_TO_ISSUE = "decline_to_issue", "Decision not to issue a plan"
    DRAFT_PLAN = "issue_draft", "Draft plan"
    FINAL_PLAN = "issue_final", "Final plan"
    # After the plan (section 13): each review decision, and what follows it.
    REVIEW_MAINTAIN = "review_maintain", "Review decision: keep the plan as it is"
    REVIEW_AMEND = "review_amend", "Review decision: amend the plan"
    REVIEW_CEASE = "review_cease", "Review decision: proposal to cease the plan"
    AMENDMENTS_PROPOSED = "amendments_proposed", "Proposed amendments to the plan"
    AMENDED_PLAN = "amended_plan", "Amended plan"
    PLAN_CEASED = "plan_ceased", "Decision to cease the plan"


#: The letters that carry appeal and mediation rights (regs 5(3), 10(1), 14; section 11;
#: after a review, s51(2) and reg 20(10)/22(4): a "no change" decision, the amended plan and a
#: decision to cease). A decision to amend, the proposed amendments and a notice proposing to
#: cease are steps towards an appealable decision, not one themselves.
WITH_APPEAL_RIGHTS = frozenset(
    {
        LetterKind.DECLINE_TO_ASSESS,
        LetterKind.DECLINE_TO_ISSUE,
        LetterKind.FINAL_PLAN,
        LetterKind.REVIEW_MAINTAIN,
        LetterKind.AMENDED_PLAN,
        LetterKind.PLAN_CEASED,
    }
)

#: The letters of a review (written by reviews.services and plans.services, not by a case step).
REVIEW_LETTER_KINDS = frozenset(
    {
        LetterKind.REVIEW_MAINTAIN,
        LetterKind.REVIEW_AMEND,
        LetterKind.REVIEW_CEASE,
        LetterKind.AMENDMENTS_PROPOSED,
        LetterKind.AMENDED_PLAN,
        LetterKind.PLAN_CEASED,
    }
)


class SentMethod(models.TextChoices):
    EMAIL = "email", "Email"
    POST = "post", "Post"
    HAND = "hand", "Handed over"


class LetterTemplate(models.Model):
    """A letter's words, edited by the council. The body is a Django template limited to the
    variables in plans.letters.VARIABLES (checked on save, naming any unknown one); the
    letterhead, addresses and the appeal-rights box are fixed, so no edit can drop them."""

    kind = models.CharField(max_length=20, choices=LetterKind.choices, unique=True)
    subject = models.CharField(max_length=200)
    body = models.TextField()
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["kind"]

    def __str__(self):
        return self.get_kind_display()

    def clean(self):
        from .letter_checks import check_template  # noqa: PLC0415 - the check needs no model

        check_template(subject=self.subject, body=self.body)


class DecisionNotice(models.Model):
    """One decision the family must be told of; notified once every letter for it is sent,
    on the latest of their sent dates (decision 0101)."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="decision_notices")
    kind = models.CharField(max_length=20, choices=LetterKind.choices)
    decided_on = models.DateField()
    letter_due_on = models.DateField(help_text="5 working days after the decision.")
    family_notified_on = models.DateField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["decided_on", "id"]
        indexes = [
            models.Index(
                fields=["letter_due_on", "case"],
                condition=Q(family_notified_on__isnull=True),
                name="notice_unsent_due_idx",
            ),
        ]

    def __str__(self):
        return f"{self.case.reference}: {self.get_kind_display()} ({self.decided_on})"

    def save(self, *args, **kwargs):
        """Saving a notice keeps its case's stored risk input right (decision 0190). A new
        notice not yet sent can only bring the case's letter due date forward (every decision
        step writes one, inside the step); any other change works it out again."""
        adding = self._state.adding
        super().save(*args, **kwargs)
        from .risk_inputs import (  # noqa: PLC0415 - imports this module
            case_letter_due_include,
            case_plan_inputs_refresh,
        )

        if adding and self.family_notified_on is None:
            case_letter_due_include(self.case_id, self.letter_due_on)
        else:
            case_plan_inputs_refresh([self.case_id])


class Letter(models.Model):
    """One letter to one person, as rendered when the decision was made (HTML and PDF)."""

    notice = models.ForeignKey(DecisionNotice, on_delete=models.PROTECT, related_name="letters")
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="letters")
    recipient = models.ForeignKey(
        ParentCarer, null=True, blank=True, on_delete=models.SET_NULL, related_name="letters"
    )
    to_young_person = models.BooleanField(default=False)
    recipient_name = models.CharField(max_length=200)
    recipient_address = models.TextField(blank=True)
    recipient_email = models.EmailField(blank=True)
    preferred_method = models.CharField(max_length=10, blank=True)
    subject = models.CharField(max_length=200)
    html = models.TextField(help_text="Written when the decision was made; never regenerated.")
    pdf = models.BinaryField(null=True, help_text="Made from `html` once (plans.documents).")
    created_at = models.DateTimeField(auto_now_add=True)
    sent_on = models.DateField(null=True, blank=True)
    sent_method = models.CharField(max_length=10, choices=SentMethod.choices, blank=True)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [
            models.Index(
                fields=["created_at"], condition=Q(sent_on__isnull=True), name="letter_unsent_idx"
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(sent_on__isnull=True, sent_method="")
                | (Q(sent_on__isnull=False) & ~Q(sent_method="")),
                name="letter_sent_has_method",
            ),
        ]

    def __str__(self):
        return f"{self.subject} to {self.recipient_name}"
