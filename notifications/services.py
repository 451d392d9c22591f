"""Writes: recording the alerts owed (the outbox), marking them read, email preferences.

Alerts are recorded with INSERT ... ON CONFLICT DO NOTHING on the notification's unique key, in
the same transaction as whatever caused them, so a repeated or concurrent sweep cannot record an
alert twice and a crash cannot record it without its cause.
"""

from __future__ import annotations

import datetime
import logging
from collections.abc import Sequence
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, transaction
from django.utils import timezone

from ehc_workflow.celery import app as celery_app

from . import messages
from .models import URGENT_KINDS, EmailOptOut, EmailStatus, Kind, Notification, TextStatus
from .selectors import Recipient, email_opt_outs, users_as_recipients
from .texts import texted

logger = logging.getLogger(__name__)

DELIVER_TASK = "notifications.deliver_notifications"
NOT_YOUR_NOTIFICATION = "This notification belongs to someone else."
URGENT_ALWAYS_EMAILED = "Overdue alerts are always emailed: they cannot be switched off."
PARKED_ONLY = "Only parked notifications can be retried."


@dataclass(frozen=True)
class Alert:
    """One alert owed to one recipient. `context` holds only safe values (messages.py)."""

    kind: str
    object_type: str
    object_id: str
    milestone: str
    level: str
    recipient: Recipient
    context: dict = field(hash=False)
    case_id: int | None = None
    due_on: datetime.date | None = None

    @property
    def key(self) -> tuple:
        return (
            self.kind,
            self.object_type,
            self.object_id,
            self.milestone,
            self.level,
            self.recipient.key,
        )


def wake_delivery() -> None:
    """Ask a worker to send what is owed now. Only a nudge: if the broker is down the rows wait
    in the outbox and the delivery task on the beat schedule sends them."""
    celery_app.send_task(DELIVER_TASK)


def alerts_record(*, alerts: Sequence[Alert], now: datetime.datetime | None = None) -> int:
    """Insert the alerts owed, skipping any already recorded. Returns how many were offered.

    Each row stores its kind and context, not rendered text (decision 0072), and all of them go
    in one statement, so recording 7,600 alerts costs no template rendering and one round trip.
    Nothing owed costs nothing (no savepoint): a case step with no family online calls this.
    """
    if not alerts:
        return 0
    now = now or timezone.now()
    opted_out = email_opt_outs(a.recipient.user_id for a in alerts if a.recipient.user_id)
    batch = _Batch()
    for alert in sorted(alerts, key=lambda a: a.key):  # one lock order: no deadlocks
        batch.add(alert, _email_status(alert, opted_out))
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute(
                    _INSERT_BATCH, {"now": now, "batch": messages.context_json(batch.document())}
                )
        else:
            Notification.objects.bulk_create(batch.notifications(now), ignore_conflicts=True)
        transaction.on_commit(wake_delivery, robust=True)
    return len(alerts)


class _Batch:
    """The alerts as one JSON document of columns, each distinct context once (a case's
    managers share one), for `_INSERT_BATCH`."""

    COLUMNS = (
        "recipient_id",
        "recipient_key",
        "kind",
        "object_type",
        "object_id",
        "milestone",
        "level",
        "case_id",
        "due_on",
        "email_to",
        "email_status",
        "text_to",
        "text_status",
        "context",
    )

    def __init__(self):
        self.doc: dict[str, list] = {column: [] for column in self.COLUMNS}
        self.doc["contexts"] = []
        self._context_index: dict[int, int] = {}
        self._texted: dict[str, bool] = {}

    def add(self, alert: Alert, email_status: str) -> None:
        """One row: an append per column (a sweep adds thousands: no per-row loop or settings
        read here; `texted` is asked once per kind)."""
        texted_kind = self._texted.get(alert.kind)
        if texted_kind is None:
            texted_kind = self._texted[alert.kind] = texted(alert.kind)
        recipient = alert.recipient
        text_to = recipient.mobile if texted_kind else ""
        index = self._context_index.get(id(alert.context))
        if index is None:
            index = self._context_index[id(alert.context)] = len(self.doc["contexts"])
            self.doc["contexts"].append(alert.context)
        doc = self.doc
        doc["recipient_id"].append(recipient.user_id)
        doc["recipient_key"].append(recipient.key)
        doc["kind"].append(alert.kind)
        doc["object_type"].append(alert.object_type)
        doc["object_id"].append(alert.object_id)
        doc["milestone"].append(alert.milestone)
        doc["level"].append(alert.level)
        doc["case_id"].append(alert.case_id)
        doc["due_on"].append(alert.due_on)
        doc["email_to"].append(recipient.email)
        doc["email_status"].append(email_status)
        doc["text_to"].append(text_to)
        doc["text_status"].append(TextStatus.PENDING if text_to else TextStatus.NOT_SENT)
        doc["context"].append(index)

    def document(self) -> dict:
        """The document to insert. Without a text owed (texts off, or no mobile number) the
        text columns are left out and take their defaults: the sweep's batch stays as it was."""
        if any(self.doc["text_to"]):
            return self.doc
        return {k: v for k, v in self.doc.items() if k not in ("text_to", "text_status")}

    def notifications(self, now: datetime.datetime) -> list[Notification]:
        """The same rows as model instances (for databases other than PostgreSQL)."""
        contexts = self.doc["contexts"]
        rows = zip(*(self.doc[column] for column in self.COLUMNS), strict=True)
        return [
            Notification(
                **dict(zip(self.COLUMNS[:-1], row[:-1], strict=True)),
                context=contexts[row[-1]],
                link=contexts[row[-1]].get("link", ""),
                created_at=now,
            )
            for row in rows
        ]


#: One statement for any number of alerts. The batch travels as one JSON document of columns
#: (psycopg quotes one string, not a value per row and column) and meets the unique key with ON
#: CONFLICT DO NOTHING. The columns the document leaves out take the model's defaults (the text
#: columns, absent from a batch with no text owed, unnest as NULLs: coalesced to theirs).
_INSERT_BATCH = """
INSERT INTO notifications_notification (
  recipient_id, recipient_key, kind, object_type, object_id, milestone, level, case_id, due_on,
  email_to, email_status, text_to, text_status, context, link, created_at,
  stored_subject, stored_body, email_attempts, email_last_error
)
SELECT r.recipient_id, r.recipient_key, r.kind, r.object_type, r.object_id, r.milestone,
  r.level, r.case_id, r.due_on, r.email_to, r.email_status,
  coalesce(r.text_to, ''), coalesce(r.text_status, 'not_sent'),
  b.contexts -> r.context, coalesce(b.contexts -> r.context ->> 'link', ''), %(now)s,
  '', '', 0, ''
FROM jsonb_to_record(%(batch)s::jsonb) AS b(
  recipient_id bigint[], recipient_key text[], kind text[], object_type text[],
  object_id text[], milestone text[], level text[], case_id bigint[], due_on date[],
  email_to text[], email_status text[], text_to text[], text_status text[], context int[],
  contexts jsonb
)
CROSS JOIN LATERAL unnest(
  b.recipient_id, b.recipient_key, b.kind, b.object_type, b.object_id, b.milestone, b.level,
  b.case_id, b.due_on, b.email_to, b.email_status, b.text_to, b.text_status, b.context
) AS r(
  recipient_id, recipient_key, kind, object_type, object_id, milestone, level, case_id, due_on,
  email_to, email_status, text_to, text_status, context
)
ON CONFLICT DO NOTHING
"""


def _email_status(alert: Alert, opted_out: set) -> str:
    if not alert.recipient.email:
        return EmailStatus.NOT_SENT
    if alert.kind not in URGENT_KINDS and (alert.recipient.user_id, alert.kind) in opted_out:
        return EmailStatus.NOT_SENT
    return EmailStatus.PENDING


def case_assigned_notify(*, case, actor, previous=None) -> None:
    """Tell a caseworker a case is now theirs (registered in cases.services' assignment hooks,
    so the alert is recorded in the assignment's own transaction)."""
    cases_assigned_notify(cases=[case], actor=actor)


def cases_assigned_notify(*, cases, actor, previous=None) -> None:
    """Tell each new caseworker the cases now theirs, in one insert however many cases moved
    (the managers' bulk reassignment, issue 13 item 6). Nobody is told about a case they
    assigned to themselves, or about a closed case. Queries: the recipients, their email
    opt-outs, one insert."""
    actor_id = getattr(actor, "pk", None)
    told = [
        case
        for case in cases
        if case.caseworker_id is not None
        and case.caseworker_id != actor_id
        and case.next_milestone
        and case.next_milestone_due is not None
    ]
    if not told:
        return
    recipients = users_as_recipients(case.caseworker_id for case in told)
    today = timezone.localdate()
    assigned_by = _staff_name(actor)
    alerts = []
    for case in told:
        recipient = recipients.get(case.caseworker_id)
        if recipient is None:
            continue
        context = {
            **messages.case_alert_context(
                reference=case.reference,
                milestone=case.next_milestone,
                due_on=case.next_milestone_due,
                today=today,
            ),
            "assigned_by": assigned_by,
        }
        alerts.append(
            Alert(
                kind=Kind.CASE_ASSIGNED,
                object_type="case",
                object_id=str(case.pk),
                milestone=f"assigned@{case.updated_at.isoformat()}",
                level="",
                recipient=recipient,
                context=context,
                case_id=case.pk,
                due_on=case.next_milestone_due,
            )
        )
    alerts_record(alerts=alerts)


def _staff_name(user) -> str:
    if user is None:
        return "The system"
    return user.get_full_name() or user.get_username()


@transaction.atomic
def notification_mark_read(*, user, notification: Notification, now=None) -> Notification:
    """Only the recipient may mark their notification read; marking it twice changes nothing."""
    notification = Notification.objects.select_for_update().get(pk=notification.pk)
    if notification.recipient_id != user.pk:
        raise PermissionDenied(NOT_YOUR_NOTIFICATION)
    if notification.read_at is None:
        notification.read_at = now or timezone.now()
        notification.save(update_fields=["read_at"])
    return notification


@transaction.atomic
def notifications_mark_all_read(*, user, now=None) -> int:
    return Notification.objects.for_user(user).unread().update(read_at=now or timezone.now())


@transaction.atomic
def email_preference_set(*, user, kind: str, email: bool) -> None:
    """Switch email on or off for one kind. Overdue kinds cannot be switched off."""
    if kind not in Kind.values:
        raise ValidationError({"kind": f"No such kind of notification: {kind}"})
    if email:
        EmailOptOut.objects.filter(user=user, kind=kind).delete()
        return
    if kind in URGENT_KINDS:
        raise ValidationError({"kind": URGENT_ALWAYS_EMAILED})
    EmailOptOut.objects.get_or_create(user=user, kind=kind)


@transaction.atomic
def email_preferences_set(*, user, emailed: dict[str, bool]) -> None:
    """The preferences page: several kinds at once, all or nothing."""
    for kind, email in emailed.items():
        email_preference_set(user=user, kind=kind, email=email)


@transaction.atomic
def notifications_retry_parked(*, notification_ids) -> int:
    """An administrator has fixed the cause (say, a wrong address): send the parked rows again
    (the parked email, the parked text, or both)."""
    notification_ids = list(notification_ids)
    updated = Notification.objects.filter(
        pk__in=notification_ids, email_status=EmailStatus.PARKED
    ).update(
        email_status=EmailStatus.PENDING,
        email_attempts=0,
        email_next_attempt_at=None,
        email_last_error="",
    )
    updated += Notification.objects.filter(
        pk__in=notification_ids, text_status=TextStatus.PARKED
    ).update(
        text_status=TextStatus.PENDING,
        text_attempts=0,
        text_next_attempt_at=None,
        text_last_error="",
    )
    if updated:
        transaction.on_commit(wake_delivery, robust=True)
    return updated
