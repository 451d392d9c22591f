"""The Celery application and the whole beat schedule, declared here and nowhere else.

Every scheduled job is safe to run twice: deadlines live in the database, so a missed or
repeated run only delays or repeats work that is already idempotent. No task is ever scheduled
with an ETA or countdown to fire on a deadline.
"""

import os
from datetime import timedelta

from celery import Celery
from celery.schedules import crontab
from celery.signals import worker_ready
from django.conf import settings

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ehc_workflow.settings.local")

app = Celery("ehc_workflow")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

SWEEP = "notifications.sweep_deadlines"
DELIVER = "notifications.deliver_notifications"
DIGEST = "notifications.send_weekly_digest"
RETENTION = "security.apply_retention"
FORECASTS = "forecasts.recompute"


def beat_schedule(django_settings) -> dict:
    """The beat schedule: one place for anyone to read when things run."""
    return {
        # Section 6: risk alerts. Every 15 minutes by default (EHC_SWEEP_INTERVAL_SECONDS).
        "sweep-deadlines": {
            "task": SWEEP,
            "schedule": timedelta(seconds=django_settings.EHC_SWEEP_INTERVAL_SECONDS),
        },
        # Issue 20: the dashboard's counts stored for the page, every 15 minutes by default
        # (EHC_DASHBOARD_SUMMARY_INTERVAL_SECONDS; decision 0160).
        "dashboard-summary": {
            "task": "reports.refresh_dashboard_summary",
            "schedule": timedelta(seconds=django_settings.EHC_DASHBOARD_SUMMARY_INTERVAL_SECONDS),
        },
        # The outbox: send what is owed (also nudged after each new alert).
        "deliver-notifications": {
            "task": DELIVER,
            "schedule": timedelta(seconds=django_settings.EHC_DELIVERY_INTERVAL_SECONDS),
        },
        # Section 5: each panel's meetings kept 8 weeks ahead (bank holidays skipped or moved).
        "panels-generate-meetings": {
            "task": "panels.tasks.generate_meetings",
            "schedule": crontab(hour=5, minute=30),
        },
        # Section 5: each agenda built on its lead-time day; hourly, so a missed run only delays.
        "panels-build-due-agendas": {
            "task": "panels.tasks.build_due_agendas",
            "schedule": crontab(minute=5),
        },
        # Section 6: managers' weekly digest, Monday 07:00 London time (CELERY_TIMEZONE).
        "weekly-manager-digest": {
            "task": DIGEST,
            "schedule": crontab(minute=0, hour=7, day_of_week="mon"),
        },
        # Plans and letters: any PDF not yet made (each is also nudged after its commit).
        "plans-render-pending-pdfs": {
            "task": "plans.render_pending_pdfs",
            "schedule": timedelta(minutes=5),
        },
        # Retention (decision 0064): restrict, then delete, records past date of birth + 31
        # years. Nightly at 02:30 London time, outside the hour the clocks change.
        "apply-retention": {
            "task": RETENTION,
            "schedule": crontab(minute=30, hour=2),
        },
        # Section 15: stage durations and every open case's forecast, nightly at 03:15 (after
        # retention, outside the hour the clocks change); the sweep then sees who is at risk.
        "recompute-forecasts": {
            "task": FORECASTS,
            "schedule": crontab(minute=15, hour=3),
        },
    }


@app.on_after_configure.connect
def _declare_beat_schedule(sender, **kwargs):
    # Read when Celery configures itself, not at import (settings may still be loading then).
    sender.conf.beat_schedule = beat_schedule(settings)


@worker_ready.connect
def _catch_up_on_start(sender, **kwargs):
    """When a worker is ready (after a deploy, a restart or an outage), sweep and deliver at
    once instead of waiting a whole interval: alerts owed while nothing ran go out now. Sent
    once the worker has declared its queue (sending from beat_init raced that declaration on
    the SQLite broker)."""
    sender.app.send_task(SWEEP)
    sender.app.send_task(DELIVER)
