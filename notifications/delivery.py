"""Sending the emails (and, where switched on, the texts) owed in the outbox.

Each row is claimed in its own short transaction with `SELECT ... FOR UPDATE SKIP LOCKED` (on
PostgreSQL; SQLite serialises writers anyway), sent, and marked sent before the lock is released.
So two workers never send the same row, and a worker killed mid-send leaves its row pending and
unlocked (the database rolls its transaction back) for the next run. Rows are sent one at a time
so that a crash can repeat at most the one email that was in flight, and only if the crash fell
between the mail server's acceptance and our commit; every email carries a Message-ID derived
from the row, so such a repeat is recognisable.

A failed send is recorded on the row with a back-off (1, 2, 4, 8… minutes); after
EHC_NOTIFICATION_MAX_ATTEMPTS failures the row is parked, visible to administrators in the
Django admin, who can retry it once the cause is fixed.

A text message is the same row delivered a second way (notifications.texts, decision 0175): its
own status, attempts, back-off and parking in the `text_*` columns, claimed the same way, so a
failed text never holds up or repeats the email and the reverse.
"""

from __future__ import annotations

import datetime
import logging
import time
from dataclasses import dataclass

from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import connection, transaction
from django.utils import timezone

from .models import EmailStatus, Notification
from .texts import TextMessage, text_backend, texts_on

logger = logging.getLogger(__name__)


@dataclass
class DeliveryResult:
    sent: int = 0
    failed: int = 0
    parked: int = 0
    texts_sent: int = 0
    texts_failed: int = 0
    texts_parked: int = 0


@dataclass(frozen=True)
class _Channel:
    """The columns and counters of one way of delivering a row (email or text)."""

    name: str
    status: str
    attempts: str
    next_attempt_at: str
    last_error: str
    sent_at: str
    result_prefix: str

    def claim(self, now) -> Notification | None:
        due = (
            Notification.objects.email_due(now)
            if self.name == "email"
            else Notification.objects.text_due(now)
        )
        skip_locked = connection.features.has_select_for_update_skip_locked
        return due.select_for_update(skip_locked=skip_locked).order_by("id").first()

    def count(self, result: DeliveryResult, outcome: str) -> None:
        field = f"{self.result_prefix}{outcome}"
        setattr(result, field, getattr(result, field) + 1)


EMAIL = _Channel(
    "email",
    "email_status",
    "email_attempts",
    "email_next_attempt_at",
    "email_last_error",
    "emailed_at",
    "",
)
TEXT = _Channel(
    "text",
    "text_status",
    "text_attempts",
    "text_next_attempt_at",
    "text_last_error",
    "texted_at",
    "texts_",
)


def backoff(attempts: int) -> datetime.timedelta:
    """Wait before the next try: 1 minute after the first failure, doubling, at most an hour."""
    return datetime.timedelta(minutes=min(2 ** max(attempts - 1, 0), 60))


def message_id(notification: Notification) -> str:
    domain = settings.DEFAULT_FROM_EMAIL.rsplit("@", 1)[-1].strip(">") or "ehc-workflow"
    return f"<ehc-notification-{notification.pk}@{domain}>"


def build_email(notification: Notification) -> EmailMessage:
    """Only what the row holds: its subject, its body (reference, what is due, a link)."""
    return EmailMessage(
        subject=notification.subject,
        body=notification.body,
        to=[notification.email_to],
        headers={"Message-ID": message_id(notification)},
    )


def text_message(notification: Notification) -> TextMessage:
    """Only what the row holds: the text rendered from its kind and context, to its number;
    the reference lets Notify's records be matched to the row."""
    return TextMessage(
        to=notification.text_to,
        body=notification.text,
        reference=f"ehc-notification-{notification.pk}",
    )


def deliver_pending(
    *, limit: int | None = None, time_budget: float | None = None, now=None
) -> DeliveryResult:
    """Send due emails, then due texts, until none is left, `limit` rows of each were tried or
    the time budget is spent (so the task ends well inside its soft time limit and the next run
    carries on). Texts are sent only while they are switched on: switched off, they wait."""
    limit = limit or settings.EHC_NOTIFICATION_DELIVERY_BATCH
    time_budget = time_budget or settings.EHC_NOTIFICATION_DELIVERY_SECONDS
    started = time.monotonic()
    result = DeliveryResult()
    email = get_connection(fail_silently=False)
    try:
        for _ in range(limit):
            if time.monotonic() - started > time_budget:
                break
            if not _deliver_one(EMAIL, email, result, now):
                break
    finally:
        email.close()
    if texts_on():
        texts = _LazyTextBackend()
        for _ in range(limit):
            if time.monotonic() - started > time_budget:
                break
            if not _deliver_one(TEXT, texts, result, now):
                break
    return result


class _LazyTextBackend:
    """The text backend, made on the first text due (Notify's client checks its key then)."""

    def __init__(self):
        self._backend = None

    def send_messages(self, messages) -> None:
        if self._backend is None:
            self._backend = text_backend()
        for message in messages:
            self._backend.send_text(message)

    def close(self) -> None:
        self._backend = None


def _deliver_one(channel: _Channel, sender, result: DeliveryResult, now) -> bool:
    with transaction.atomic():
        claimed_at = now or timezone.now()
        notification = channel.claim(claimed_at)
        if notification is None:
            return False
        build = build_email if channel is EMAIL else text_message
        try:
            sender.send_messages([build(notification)])
        except SoftTimeLimitExceeded:
            raise
        except Exception as exc:  # noqa: BLE001 - recorded on the row, parked after N tries
            _record_failure(channel, notification, exc, claimed_at, result)
            _reset(sender)
        else:
            setattr(notification, channel.status, EmailStatus.SENT)
            setattr(notification, channel.attempts, getattr(notification, channel.attempts) + 1)
            setattr(notification, channel.sent_at, timezone.now())
            setattr(notification, channel.last_error, "")
            notification.save(
                update_fields=[
                    channel.status,
                    channel.attempts,
                    channel.sent_at,
                    channel.last_error,
                ]
            )
            channel.count(result, "sent")
    return True


def _reset(sender) -> None:
    """After a failure the SMTP session may be half-open: start the next row afresh."""
    try:
        sender.close()
    except Exception:  # noqa: BLE001 - the connection is being thrown away
        logger.debug("Closing a failed connection raised", exc_info=True)


def _record_failure(
    channel: _Channel, notification: Notification, exc: Exception, now, result
) -> None:
    attempts = getattr(notification, channel.attempts) + 1
    error = f"{type(exc).__name__}: {exc}"[:1000]
    setattr(notification, channel.attempts, attempts)
    setattr(notification, channel.last_error, error)
    if attempts >= settings.EHC_NOTIFICATION_MAX_ATTEMPTS:
        setattr(notification, channel.status, EmailStatus.PARKED)
        setattr(notification, channel.next_attempt_at, None)
        channel.count(result, "parked")
        logger.error("Notification %s %s parked: %s", notification.pk, channel.name, error)
    else:
        setattr(notification, channel.next_attempt_at, now + backoff(attempts))
        channel.count(result, "failed")
        logger.warning(
            "Notification %s %s not sent (attempt %s): %s",
            notification.pk,
            channel.name,
            attempts,
            error,
        )
    notification.save(
        update_fields=[
            channel.status,
            channel.attempts,
            channel.last_error,
            channel.next_attempt_at,
        ]
    )
