"""Reads that must be logged (ehc-process.md section 8): every partner read of a request and
every document download, with who, what, when and from where."""

from __future__ import annotations

from django.db import transaction

from cases.models import CaseDocument
from cases.record_services import case_document_open
from security.uploads import DocumentDownload

from . import documents
from .models import AccessAction, AccessLog, AdviceRequest, AdviceSubmission


def _log(
    *, actor, action, advice: AdviceRequest, submission=None, case_document=None, ip_address=None
) -> AccessLog:
    return AccessLog.objects.create(
        user=actor,
        username=actor.get_username(),
        action=action,
        advice_request=advice,
        submission=submission,
        case_document=case_document,
        ip_address=ip_address or None,
    )


@transaction.atomic
def advice_request_open(*, actor, advice_request_id: int, ip_address: str | None = None):
    """Load one request for a reader, and log the read (section 8). A request the user may
    not see does not exist for them: AdviceRequest.DoesNotExist (a 404, never a 403)."""
    advice = (
        AdviceRequest.objects.visible_to(actor)
        .select_related("case__child", "service", "professional")
        .get(pk=advice_request_id)
    )
    _log(actor=actor, action=AccessAction.READ, advice=advice, ip_address=ip_address)
    return advice


def access_log_record_list(*, actor, advice_request_ids, ip_address: str | None = None) -> int:
    """Log that a list (an inbox) showed these requests' case facts to the user: one INSERT
    for the page, whatever its length, atomic on its own (AccessLog.objects.append)."""
    rows = [
        AccessLog(
            user=actor,
            username=actor.get_username(),
            action=AccessAction.LIST,
            advice_request_id=pk,
            ip_address=ip_address or None,
        )
        for pk in advice_request_ids
    ]
    AccessLog.objects.append(rows)
    return len(rows)


@transaction.atomic
def advice_document_open(
    *, actor, submission_id: int, ip_address: str | None = None
) -> DocumentDownload:
    """Open a submitted document for someone allowed to see its request, and log the download.
    Raises AdviceSubmission.DoesNotExist for anyone else (a 404)."""
    submission = AdviceSubmission.objects.select_related("advice_request").get(
        pk=submission_id,
        advice_request__in=AdviceRequest.objects.visible_to(actor).values("pk"),
    )
    handle = documents.open_document(submission.stored_name)
    _log(
        actor=actor,
        action=AccessAction.DOWNLOAD,
        advice=submission.advice_request,
        submission=submission,
        ip_address=ip_address,
    )
    extension = documents.EXTENSIONS[submission.content_type]
    return DocumentDownload(
        file=handle,
        filename=documents.download_filename(submission.original_filename, extension),
        content_type=submission.content_type,
        size=submission.size,
    )


@transaction.atomic
def case_paper_open(
    *, actor, advice_request_id: int, document_id: int, ip_address: str | None = None
) -> DocumentDownload:
    """A case document the caseworker shared with this request, for someone who may see the
    request; the download is logged as a partner's reads are (section 8). Anything else (a
    document not shared with this request, another service's request, a guessed id) raises
    CaseDocument.DoesNotExist: a 404."""
    advice = AdviceRequest.objects.visible_to(actor).get(pk=advice_request_id)
    document = CaseDocument.objects.get(
        pk=document_id, case_id=advice.case_id, shares__advice_request=advice
    )
    download = case_document_open(document=document)
    _log(
        actor=actor,
        action=AccessAction.DOWNLOAD_PAPER,
        advice=advice,
        case_document=document,
        ip_address=ip_address,
    )
    return download
