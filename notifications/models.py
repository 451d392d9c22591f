"""The notifications outbox (which is also every user's inbox), the last alerted state of each
case, email preferences and who manages whom.

A Notification row is written in the same transaction as the change that causes it (a
transactional outbox), under a unique key, so the same alert can never be recorded twice and a
lost task or a flushed broker can only delay an email, never lose or repeat it.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.functional import cached_property

from cases.models import restricted_cases

from . import messages
from .kinds import URGENT_KINDS, Kind

__all__ = [
    "URGENT_KINDS",
    "CaseAlertState",
    "EmailOptOut",
    "EmailStatus",
    "Kind",
    "LineManager",
    "Notification",
    "TextStatus",
]


class EmailStatus(models.TextChoices):
    PENDING = "pending", "Waiting to be sent"
    SENT = "sent", "Sent"
    NOT_SENT = "not_sent", "Not emailed (switched off, or no address)"
    PARKED = "parked", "Parked after repeated failures"


class TextStatus(models.TextChoices):
    """A text message's delivery (notifications.texts): the same states as an email's."""

    PENDING = "pending", "Waiting to be sent"
    SENT = "sent", "Sent"
    NOT_SENT = "not_sent", "Not texted (switched off, not a family message, or no mobile)"
    PARKED = "parked", "Parked after repeated failures"


class NotificationQuerySet(models.QuerySet):
    def for_user(self, user):
        return self.filter(recipient=user)

    def unread(self):
        return self.filter(read_at__isnull=True)

    def not_restricted(self):
        """Not about a case of a child restricted for retention (decision 0064)."""
        return self.exclude(case_id__in=restricted_cases())

    def email_due(self, now):
        """Rows the delivery task may claim now: pending, and past any back-off."""
        return self.filter(email_status=EmailStatus.PENDING).filter(
            Q(email_next_attempt_at__isnull=True) | Q(email_next_attempt_at__lte=now)
        )

    def text_due(self, now):
        """Texts the delivery task may claim now: pending, and past any back-off."""
        return self.filter(text_status=TextStatus.PENDING).filter(
            Q(text_next_attempt_at__isnull=True) | Q(text_next_attempt_at__lte=now)
        )


class Notification(models.Model):
    """One alert for one recipient: an inbox item, and an email owed until it is sent.

    The unique key is kind + object + milestone + level + recipient. `milestone` names what is
    due together with its due date (for example `final_plan@2026-03-12`), the ISO week of a
    digest (`2026-W48`) or the moment of an assignment, so a case that moves on to a new
    milestone can alert again while a repeated sweep cannot.

    The row stores the message's kind and `context` (safe fields only: messages.py), and its
    subject and body are rendered from the kind's templates when shown or emailed (decision
    0072). Rows recorded before that keep the text they were recorded with
    (`stored_subject`/`stored_body`), which is shown as it was.
    """

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="notifications",
        help_text="Empty for a shared mailbox (for example a partner service's).",
        # The inbox index (recipient, read_at) serves every lookup by recipient; a second index
        # on the same leading column only slowed the sweep's inserts (decision 0072).
        db_index=False,
    )
    recipient_key = models.CharField(
        max_length=200, help_text="`user:<id>` or `mailbox:<address>`: part of the unique key."
    )
    kind = models.CharField(max_length=32, choices=Kind.choices)
    object_type = models.CharField(max_length=32, help_text="case, advice_request, panel_meeting…")
    object_id = models.CharField(max_length=40)
    milestone = models.CharField(max_length=64, blank=True)
    level = models.CharField(max_length=20, blank=True)

    case = models.ForeignKey(
        "cases.Case",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="notifications",
    )
    due_on = models.DateField(null=True, blank=True)
    context = models.JSONField(
        default=dict,
        blank=True,
        encoder=messages.ContextEncoder,
        decoder=messages.ContextDecoder,
        help_text="What the kind's templates are rendered with: safe fields only, no child data.",
    )
    stored_subject = models.CharField(
        max_length=200, blank=True, help_text="Text recorded before decision 0072; else empty."
    )
    stored_body = models.TextField(blank=True)
    link = models.CharField(max_length=200, blank=True, help_text="A path on this site.")
    created_at = models.DateTimeField(db_index=True)
    read_at = models.DateTimeField(null=True, blank=True)

    email_to = models.EmailField(blank=True)
    email_status = models.CharField(
        max_length=16, choices=EmailStatus.choices, default=EmailStatus.PENDING
    )
    email_attempts = models.PositiveSmallIntegerField(default=0)
    email_next_attempt_at = models.DateTimeField(null=True, blank=True)
    email_last_error = models.TextField(blank=True)
    emailed_at = models.DateTimeField(null=True, blank=True)

    # The same message as a text, where texts are switched on (notifications.texts, decision
    # 0175). Database defaults, so inserts that name only the email's columns stay valid.
    text_to = models.CharField(
        max_length=20, blank=True, db_default="", help_text="A UK mobile number, as +447..."
    )
    text_status = models.CharField(
        max_length=16,
        choices=TextStatus.choices,
        default=TextStatus.NOT_SENT,
        db_default=TextStatus.NOT_SENT,
    )
    text_attempts = models.PositiveSmallIntegerField(default=0, db_default=0)
    text_next_attempt_at = models.DateTimeField(null=True, blank=True)
    text_last_error = models.TextField(blank=True, db_default="")
    texted_at = models.DateTimeField(null=True, blank=True)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "object_type", "object_id", "milestone", "level", "recipient_key"],
                name="notification_once_per_alert_and_recipient",
            ),
        ]
        indexes = [
            models.Index(fields=["recipient", "read_at"], name="notification_inbox"),
            models.Index(
                fields=["email_next_attempt_at", "id"],
                condition=Q(email_status="pending"),
                name="notification_email_pending",
            ),
            models.Index(
                fields=["text_next_attempt_at", "id"],
                condition=Q(text_status="pending"),
                name="notification_text_pending",
            ),
        ]

    def __str__(self):
        return self.subject

    @property
    def is_read(self) -> bool:
        return self.read_at is not None

    @cached_property
    def subject(self) -> str:
        """The text of a row recorded before decision 0072 as stored, else rendered (once)."""
        if self.stored_subject:
            return self.stored_subject
        return messages.render_subject(self.kind, self.context)

    @cached_property
    def body(self) -> str:
        if self.stored_subject:
            return self.stored_body
        return messages.render_body(self.kind, self.context)

    @cached_property
    def text(self) -> str:
        """The text message (rendered when sent, as the email is)."""
        from .texts import render_text

        return render_text(self.kind, self.context)


class CaseAlertState(models.Model):
    """The derived state the sweep last saw for a case (its next milestone, due date and risk).

    Kept here, not on the case, so that the sweep writes only this table and only for cases
    whose derived state changed: no audit rows and no contention with caseworkers' edits.
    """

    case = models.OneToOneField(
        "cases.Case", primary_key=True, on_delete=models.CASCADE, related_name="alert_state"
    )
    milestone = models.CharField(max_length=32, blank=True)
    due_on = models.DateField(null=True, blank=True)
    risk = models.CharField(max_length=16, blank=True)
    changed_at = models.DateTimeField()
    recheck_on = models.DateField(
        null=True,
        blank=True,
        help_text=(
            "The first day the risk would change with nothing else changing (at risk, overdue): "
            "the sweep rechecks the case that day. Empty when only a change can move it."
        ),
    )

    class Meta:
        indexes = [
            # The sweep's "what crosses a date today" (decision 0190).
            models.Index(fields=["recheck_on"], name="alert_state_recheck_on"),
        ]

    def __str__(self):
        return f"{self.case_id}: {self.milestone} {self.due_on} {self.risk}"


class EmailOptOut(models.Model):
    """A user has switched off email for one non-urgent kind (the inbox still shows it)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="email_opt_outs"
    )
    kind = models.CharField(max_length=32, choices=Kind.choices)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "kind"], name="email_opt_out_once"),
            models.CheckConstraint(
                condition=~Q(kind__in=sorted(k.value for k in URGENT_KINDS)),
                name="email_opt_out_not_urgent",
            ),
        ]

    def __str__(self):
        return f"{self.user} - no email for {self.get_kind_display()}"


class LineManager(models.Model):
    """Who manages a caseworker, for overdue alerts ("their manager", section 6). Where none is
    recorded, every manager is told (decision 0031)."""

    caseworker = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="line_manager_link"
    )
    manager = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="managed_links"
    )

    def __str__(self):
        return f"{self.caseworker} managed by {self.manager}"
