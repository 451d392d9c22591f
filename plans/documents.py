"""Where the plan's and the letters' PDFs are made and kept. Each is made from the HTML frozen
when the version was issued or the letter written, by the one renderer (plans.pdf), once:
after the transaction commits (a task, so a decision is not held up by rendering), or at the
first download if no worker has done it yet. Filling the PDF is the only change the database
lets through on an issued version (migration 0002), and only while it is empty.

Each PDF, once made, is also filed among the case's documents (cases.record_services), in the
same transaction as filling it: so exactly once."""

from __future__ import annotations

import logging

from django.db import connection, models, transaction
from django.utils import timezone

from cases.record_models import CaseDocumentType
from cases.record_services import case_document_store

from .letter_models import Letter
from .models import PlanVersion
from .pdf import render_pdf

logger = logging.getLogger(__name__)

RENDER_TASK = "plans.render_pending_pdfs"
BATCH = 50


def _case_document(model, pk: int) -> dict:
    """How the PDF is filed among the case's documents (issue 15: each issued version "stored
    as a case document"; the letters too, so the case's papers hold what the family was sent)."""
    if model is PlanVersion:
        version = PlanVersion.objects.select_related("plan__case").defer("html", "pdf").get(pk=pk)
        return {
            "case": version.plan.case,
            "document_type": CaseDocumentType.PLAN,
            "title": f"{version.get_kind_display()}, version {version.number}",
            "dated_on": version.issued_on,
            "filename": f"{version.plan.case.reference}-plan-v{version.number}.pdf",
        }
    letter = Letter.objects.select_related("case", "notice").defer("html", "pdf").get(pk=pk)
    return {
        "case": letter.case,
        "document_type": CaseDocumentType.CORRESPONDENCE,
        "title": f"Letter: {letter.subject}, to {letter.recipient_name}",
        "dated_on": letter.notice.decided_on,
        "filename": f"{letter.case.reference}-letter-{letter.pk}.pdf",
    }


def _fill(model: type[models.Model], pk: int, html: str) -> bytes:
    data = render_pdf(html)
    with transaction.atomic():
        # The one update an issued version allows: its empty PDF filled in (QuerySet.update of
        # the plain QuerySet, past PlanVersionQuerySet's refusal; the trigger checks nothing else
        # moves).
        updated = models.QuerySet(model).filter(pk=pk, pdf__isnull=True).update(pdf=data)
        if updated:  # filed once, by whoever filled it, in the same transaction
            filed = _case_document(model, pk)
            # Its date is a recorded decision's, not typed: never refused as "in the future".
            today = max(timezone.localdate(), filed["dated_on"])
            case_document_store(document=data, actor=None, today=today, **filed)
    if not updated:  # someone else filled it first: theirs is the same HTML, keep theirs
        data = bytes(models.QuerySet(model).filter(pk=pk).values_list("pdf", flat=True).get())
    return data


def version_pdf(version: PlanVersion) -> bytes:
    if version.pdf is None:
        version.pdf = _fill(PlanVersion, version.pk, version.html)
    return bytes(version.pdf)


def letter_pdf(letter: Letter) -> bytes:
    if letter.pdf is None:
        letter.pdf = _fill(Letter, letter.pk, letter.html)
    return bytes(letter.pdf)


def render_pending(limit: int = BATCH) -> int:
    """Make the PDFs still missing (oldest first); safe to run twice or concurrently."""
    done = 0
    for model in (PlanVersion, Letter):
        rows = (
            models.QuerySet(model).filter(pdf__isnull=True).order_by("pk").values_list("pk", "html")
        )
        for pk, html in rows[:limit]:
            _fill(model, pk, html)
            done += 1
    return done


def _send_render_task() -> None:
    from ehc_workflow.celery import app  # noqa: PLC0415 - the broker is touched only here

    try:
        app.send_task(RENDER_TASK)
    except Exception:  # noqa: BLE001 - a nudge only: the beat schedule and downloads catch up
        logger.warning("Could not queue the PDF rendering task; it will run on schedule.")


def render_after_commit() -> None:
    """Nudge the renderer once this transaction commits. Once per transaction: one task renders
    everything pending, and a step that freezes a plan and writes its letters would otherwise
    queue two (a round trip to the broker each)."""
    if any(func is _send_render_task for _ids, func, _robust in connection.run_on_commit):
        return
    transaction.on_commit(_send_render_task, robust=True)
