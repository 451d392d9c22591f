"""Celery tasks: thin, safe to run twice."""

from __future__ import annotations

from celery import shared_task
from django.db import DatabaseError

from .documents import RENDER_TASK, render_pending


@shared_task(name=RENDER_TASK, autoretry_for=(DatabaseError,), retry_backoff=True, max_retries=5)
def render_pending_pdfs() -> int:
    """Make the PDFs of issued versions and letters not yet made (nudged after each commit)."""
    return render_pending()
