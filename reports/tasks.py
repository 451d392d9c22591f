"""Thin Celery tasks; the schedule is declared in ehc_workflow/celery.py."""

from __future__ import annotations

from celery import shared_task
from django.utils import timezone

from .summary import dashboard_summary_refresh


@shared_task(name="reports.refresh_dashboard_summary")
def refresh_dashboard_summary() -> None:
    """Every 15 minutes by default (EHC_DASHBOARD_SUMMARY_INTERVAL_SECONDS): the dashboard's
    counts, stored for the page (decision 0160). Its own task, not a sweep source, so that the
    deadline sweep's time does not grow with the open cases it does not change. Safe to run
    twice: a count never replaces a later one."""
    now = timezone.now()
    dashboard_summary_refresh(today=timezone.localdate(now), now=now)
