"""Sending the emails owed in the outbox.

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

logger = logging.getLogger(__name__)


@dataclass
class DeliveryResult:
    sent: int = 0
    failed: int = 0
    parked: int = 0


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


def _claim(now: datetime.datetime) -> Notification | None:
    skip_locked = connection.features.has_select_for_update_skip_locked
    return (
        Notification.objects.email_due(now)
        .select_for_update(skip_locked=skip_locked)
        .order_by("id")
        .first()
    )


def deliver_pending(
    *, limit: int | None = None, time_budget: float | None = None, now=None
) -> DeliveryResult:
    """Send due emails until none is left, `limit` rows were tried or the time budget is spent
    (so the task ends well inside its soft time limit and the next run carries on)."""
    limit = limit or settings.EHC_NOTIFICATION_DELIVERY_BATCH
    time_budget = time_budget or settings.EHC_NOTIFICATION_DELIVERY_SECONDS
    started = time.monotonic()
    result = DeliveryResult()
    email = get_connection(fail_silently=False)
    try:
        for _ in range(limit):
            if time.monotonic() - started > time_budget:
                break
            if not _deliver_one(email, result, now):
                break
    finally:
        email.close()
    return result


def _deliver_one(email_connection, result: DeliveryResult, now) -> bool:
    with transaction.atomic():
        claimed_at = now or timezone.now()
        notification = _claim(claimed_at)
        if notification is None:
            return False
        try:
            email_connection.send_messages([build_email(notification)])
        except SoftTimeLimitExceeded:
            raise
        except Exception as exc:  # noqa: BLE001 - recorded on the row, parked after N tries
            _record_failure(notification, exc, claimed_at, result)
            _reset(email_connection)
        else:
            notification.email_status = EmailStatus.SENT
            notification.email_attempts += 1
            notification.emailed_at = timezone.now()
            notification.email_last_error = ""
            notification.save(
                update_fields=["email_status", "email_attempts", "emailed_at", "email_last_error"]
            )
            result.sent += 1
    return True


def _reset(email_connection) -> None:
    """After a failure the SMTP session may be half-open: start the next row afresh."""
    try:
        email_connection.close()
    except Exception:  # noqa: BLE001 - the connection is being thrown away
        logger.debug("Closing a failed SMTP connection raised", exc_info=True)


def _record_failure(notification: Notification, exc: Exception, now, result) -> None:
    notification.email_attempts += 1
    notification.email_last_error = f"{type(exc).__name__}: {exc}"[:1000]
    if notification.email_attempts >= settings.EHC_NOTIFICATION_MAX_ATTEMPTS:
        notification.email_status = EmailStatus.PARKED
        notification.email_next_attempt_at = None
        result.parked += 1
        logger.error("Notification %s parked: %s", notification.pk, notification.email_last_error)
    else:
        notification.email_next_attempt_at = now + backoff(notification.email_attempts)
        result.failed += 1
        logger.warning(
            "Notification %s not sent (attempt %s): %s",
            notification.pk,
            notification.email_attempts,
            notification.email_last_error,
        )
    notification.save(
        update_fields=[
            "email_status",
            "email_attempts",
            "email_last_error",
            "email_next_attempt_at",
        ]
    )
