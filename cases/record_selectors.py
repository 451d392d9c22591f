"""Reads of the everyday record (section 10), each a fixed number of queries."""

from __future__ import annotations

import datetime

from django.db.models import Prefetch
from django.http import Http404
from django.utils import timezone

from .models import Case, CaseDocument, CaseDocumentShare, CaseNote

NOTE_RELATED = ("recorded_by", "with_parent_carer", "with_service", "advice_request")


def case_notes(*, case: Case) -> list[CaseNote]:
    """The case's notes and contacts, oldest first, each original with its corrections
    (`note.correction_list`, oldest first): two queries."""
    notes = list(
        CaseNote.objects.filter(case=case, corrects__isnull=True)
        .select_related(*NOTE_RELATED)
        .prefetch_related(
            Prefetch(
                "corrections",
                queryset=CaseNote.objects.select_related(*NOTE_RELATED).order_by(
                    "recorded_at", "id"
                ),
                to_attr="correction_list",
            )
        )
        .order_by("occurred_on", "recorded_at", "id")
    )
    return notes


def _history_day(item) -> tuple[datetime.date, datetime.datetime]:
    """When an item happened, for merging: a note's date, an audit entry's effective date (or
    the day it was recorded); then when it was recorded."""
    if getattr(item, "is_contact_note", False):
        return item.occurred_on, item.recorded_at
    if hasattr(item, "happened_on"):  # a line of cases.history (the history in words)
        return item.happened_on, item.recorded_at
    day = item.effective_date or timezone.localdate(item.occurred_at)
    return day, item.occurred_at


def case_history_with_notes(*, case: Case, audit_entries) -> list:
    """The statutory history (audit entries) and the contact log merged by the date each thing
    happened, oldest first. Notes carry `is_contact_note` and their corrections."""
    merged = [*audit_entries, *case_notes(case=case)]
    merged.sort(key=_history_day)
    return merged


def case_documents(*, case: Case) -> list[CaseDocument]:
    """The case's documents, newest first, with the advice requests each is shared with
    (`document.share_list`): two queries."""
    return list(
        CaseDocument.objects.filter(case=case)
        .select_related("uploaded_by")
        .prefetch_related(
            Prefetch(
                "shares",
                queryset=CaseDocumentShare.objects.select_related("advice_request__service"),
                to_attr="share_list",
            )
        )
        .order_by("-dated_on", "-id")
    )


def case_document_get(*, case: Case, document_id) -> CaseDocument:
    """One document of a case the caller may see; Http404 for any other id."""
    try:
        return CaseDocument.objects.get(case=case, pk=document_id)
    except (CaseDocument.DoesNotExist, ValueError, OverflowError) as exc:
        raise Http404("No such document.") from exc


def case_note_get(*, case: Case, note_id) -> CaseNote:
    try:
        return CaseNote.objects.select_related(*NOTE_RELATED).get(case=case, pk=note_id)
    except (CaseNote.DoesNotExist, ValueError, OverflowError) as exc:
        raise Http404("No such note.") from exc
