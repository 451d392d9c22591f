"""Thin Celery tasks; the schedule is declared in ehc_workflow/celery.py."""

from __future__ import annotations

from celery import shared_task
from django.utils import timezone

from .services import forecasts_recompute


@shared_task(
    name="forecasts.recompute", autoretry_for=(Exception,), max_retries=3, retry_backoff=True
)
def recompute_forecasts() -> dict:
    """Nightly: stage durations, then every open case's forecast. Safe to run twice (it replaces
    what it wrote), and a missed night only leaves yesterday's forecast in place."""
    result = forecasts_recompute(today=timezone.localdate())
    return {
        "durations": result.durations,
        "forecasts": result.forecasts,
        "forecast_to_miss": result.forecast_to_miss,
    }
