"""What a notification is about, in a module of its own so that the message templates
(messages.py) and the model (models.py, which renders its text through them) can both use it."""

from __future__ import annotations

from django.db import models


class Kind(models.TextChoices):
    """What a notification is about (ehc-process.md section 6)."""

    CASE_AT_RISK = "case_at_risk", "Case at risk"
    CASE_OVERDUE = "case_overdue", "Case overdue"
    CASE_ASSIGNED = "case_assigned", "Case assigned to you"
    ADVICE_DUE_SOON = "advice_due_soon", "Advice due within 7 days"
    ADVICE_OVERDUE = "advice_overdue", "Advice overdue"
    ADVICE_ESCALATED = "advice_escalated", "Advice 14 days overdue"
    ADVICE_CHASED = "advice_chased", "Reminder about outstanding advice"
    AGENDA_PUBLISHED = "agenda_published", "Panel agenda published"
    MANAGER_DIGEST = "manager_digest", "Weekly manager digest"
    FAMILY_COMMENTS_DUE = "family_comments_due", "Family's comments on the draft due"
    CONSULTATION_LATE = "consultation_late", "School or college consultation late"
    EXCEPTION_PROPOSED = "exception_proposed", "Exception waiting for a manager"
    REVIEW_AT_RISK = "review_at_risk", "Annual review at risk"
    REVIEW_OVERDUE = "review_overdue", "Annual review overdue"
    FAMILY_RESPONDED = "family_responded", "Family commented on the draft plan online"
    # To families (issue 16; families.messages): what happened, never the child's details.
    FAMILY_REQUEST_RECEIVED = "family_request_received", "Request received"
    FAMILY_DECISION = "family_decision", "Decision made"
    FAMILY_DRAFT_READY = "family_draft_ready", "Draft plan ready"
    FAMILY_ADVICE_RECEIVED = "family_advice_received", "All advice received"
    FAMILY_FINAL_PLAN = "family_final_plan", "Final plan issued"
    FAMILY_COMMENT_REMINDER = "family_comment_reminder", "Comments on the draft due soon"


#: Overdue alerts are always emailed: a missed statutory deadline must reach a person even if
#: they have switched email off for everything else (issue 6).
URGENT_KINDS = frozenset(
    {Kind.CASE_OVERDUE, Kind.ADVICE_OVERDUE, Kind.ADVICE_ESCALATED, Kind.REVIEW_OVERDUE}
)

#: Messages to families (issue 16): not staff choices, so not on the staff preferences page.
FAMILY_KINDS = frozenset(
    {
        Kind.FAMILY_REQUEST_RECEIVED,
        Kind.FAMILY_DECISION,
        Kind.FAMILY_DRAFT_READY,
        Kind.FAMILY_ADVICE_RECEIVED,
        Kind.FAMILY_FINAL_PLAN,
        Kind.FAMILY_COMMENT_REMINDER,
    }
)
