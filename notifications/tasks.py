"""Celery tasks: thin, argument-free (they read what is owed from the database), safe to run
twice or concurrently. Errors reaching the database or broker are retried with back-off."""

from __future__ import annotations

from celery import shared_task
from django.db import DatabaseError

from .delivery import deliver_pending
from .digest import manager_digest_send
from .sweep import sweep_run

RETRY = {
    "autoretry_for": (DatabaseError,),
    "retry_backoff": True,
    "retry_backoff_max": 600,
    "max_retries": 5,
}


@shared_task(name="notifications.sweep_deadlines", **RETRY)
def sweep_deadlines() -> dict:
    """Section 6: record the alerts owed for every deadline that changed since the last run.
    Recording them nudges delivery once committed (services.alerts_record)."""
    return sweep_run()


@shared_task(name="notifications.deliver_notifications", **RETRY)
def deliver_notifications() -> dict:
    """Send the emails (and texts, where switched on) owed in the outbox (claimed row by row;
    see delivery.py)."""
    result = deliver_pending()
    return {
        "sent": result.sent,
        "failed": result.failed,
        "parked": result.parked,
        "texts_sent": result.texts_sent,
        "texts_failed": result.texts_failed,
        "texts_parked": result.texts_parked,
    }


@shared_task(name="notifications.send_weekly_digest", **RETRY)
def send_weekly_digest() -> int:
    """Monday 07:00: the managers' weekly digest, once per ISO week however often it runs."""
    return manager_digest_send()
