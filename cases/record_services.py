"""Writes to the caseworker's everyday record (ehc-process.md section 10): case notes and the
contact log, and the case's documents and what each advice request may see of them.

A note is never changed: a correction is a new note pointing at the one it corrects. A note's
form carries a one-time token, so a second submission of the same form records nothing more
(the unique constraint settles two at once). Documents go through the one upload module
(security.uploads): a refused document stores nothing, neither row nor file.
"""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from audit.services import audit_record
from security import uploads

from . import errors
from .models import Case, CaseDocument, CaseDocumentShare, CaseDocumentType, CaseNote, ContactKind
from .roles import Role, has_role

NOTE_FORBIDDEN = "Only a caseworker or a manager can record a case note."
NOTE_IN_FUTURE = "The date it happened cannot be in the future: enter today or an earlier date."
NOTE_KIND_REQUIRED = "Choose what kind of contact or note this is."
NOTE_SUMMARY_REQUIRED = "Enter what was said or done."
NOTE_PERSON_NOT_FAMILY = "Choose a person of this child's family."
NOTE_WITH_ONE = "Choose one person or service the contact was with, or describe them in words."
NOTE_REQUEST_OTHER_CASE = "The advice request is not one of this case's."
NOTE_CORRECTS_OTHER_CASE = "The entry to correct is not one of this case's."
NOTE_FORM_REUSED = "This form was already used for another entry: reload the page."
DOCUMENT_FORBIDDEN = "Only a caseworker or a manager can add a document to a case."
DOCUMENT_REQUIRED = "Choose the document to upload: a PDF or Word (DOCX) document."
DOCUMENT_TITLE_REQUIRED = "Enter a title for the document."
DOCUMENT_TYPE_REQUIRED = "Choose what kind of document this is."
DOCUMENT_DATE_IN_FUTURE = "The document's date cannot be in the future."
SHARE_FORBIDDEN = "Only a caseworker or a manager can share documents with advice providers."
SHARE_OTHER_CASE = "Only this case's documents can be shared with its advice requests."


def _may_write(user) -> bool:
    return has_role(user, Role.CASEWORKER, Role.MANAGER)


def _check_note(
    *,
    case: Case,
    kind: str,
    occurred_on: datetime.date | None,
    summary: str,
    with_parent_carer,
    with_service,
    with_whom: str,
    advice_request,
    corrects: CaseNote | None,
    today: datetime.date,
) -> dict:
    problems = {}
    if kind not in ContactKind.values:
        problems["kind"] = NOTE_KIND_REQUIRED
    if occurred_on is None:
        problems["occurred_on"] = "Enter the date it happened."
    elif occurred_on > today:
        problems["occurred_on"] = NOTE_IN_FUTURE
    if not summary:
        problems["summary"] = NOTE_SUMMARY_REQUIRED
    if with_parent_carer is not None and with_parent_carer.child_id != case.child_id:
        problems["with_parent_carer"] = NOTE_PERSON_NOT_FAMILY
    if sum(bool(x) for x in (with_parent_carer, with_service, with_whom)) > 1:
        problems["with_whom"] = NOTE_WITH_ONE
    if advice_request is not None and advice_request.case_id != case.pk:
        problems["advice_request"] = NOTE_REQUEST_OTHER_CASE
    if corrects is not None and corrects.case_id != case.pk:
        problems["corrects"] = NOTE_CORRECTS_OTHER_CASE
    return problems


def _by_token(token: str, case: Case) -> CaseNote | None:
    if not token:
        return None
    note = CaseNote.objects.filter(submission_token=token).first()
    if note is not None and note.case_id != case.pk:
        raise errors.CaseConflictError(NOTE_FORM_REUSED)
    return note


@transaction.atomic
def case_note_record(
    *,
    actor,
    case: Case,
    kind: str,
    occurred_on: datetime.date | None,
    summary: str,
    with_parent_carer=None,
    with_service=None,
    with_whom: str = "",
    advice_request=None,
    is_chase: bool = False,
    corrects: CaseNote | None = None,
    submission_token: str = "",
    today: datetime.date | None = None,
) -> tuple[CaseNote, bool]:
    """Append a note or contact to the case: (the note, whether it is new). Back-dating is
    allowed, a date in the future is not. A form submitted twice (the same token) gives back
    the note the first submission recorded. A correction points at the original entry (a
    correction of a correction at the same original), which is never changed."""
    if not _may_write(actor):
        raise errors.CaseForbiddenError(NOTE_FORBIDDEN)
    today = today or timezone.localdate()
    summary = (summary or "").strip()
    with_whom = (with_whom or "").strip()
    existing = _by_token(submission_token, case)
    if existing is not None:
        return existing, False
    problems = _check_note(
        case=case,
        kind=kind,
        occurred_on=occurred_on,
        summary=summary,
        with_parent_carer=with_parent_carer,
        with_service=with_service,
        with_whom=with_whom,
        advice_request=advice_request,
        corrects=corrects,
        today=today,
    )
    if problems:
        raise ValidationError(problems)
    if corrects is not None and corrects.corrects_id is not None:
        corrects = corrects.corrects
    note = CaseNote(
        case=case,
        kind=kind,
        occurred_on=occurred_on,
        summary=summary,
        with_parent_carer=with_parent_carer,
        with_service=with_service,
        with_whom=with_whom,
        advice_request=advice_request,
        is_chase=is_chase,
        corrects=corrects,
        recorded_by=actor,
        submission_token=submission_token or "",
    )
    try:
        with transaction.atomic():
            note.save()
    except IntegrityError:
        # The same form, submitted twice at once: the other submission recorded it.
        existing = _by_token(submission_token, case)
        if existing is None:
            raise
        return existing, False
    return note, True


# --- Documents ------------------------------------------------------------------------------


def _document_problems(*, document_type: str, title: str, dated_on, today) -> dict:
    problems = {}
    if document_type not in CaseDocumentType.values:
        problems["document_type"] = DOCUMENT_TYPE_REQUIRED
    if not title:
        problems["title"] = DOCUMENT_TITLE_REQUIRED
    if dated_on is None:
        problems["dated_on"] = "Enter the document's date."
    elif dated_on > today:
        problems["dated_on"] = DOCUMENT_DATE_IN_FUTURE
    return problems


@transaction.atomic
def case_document_store(
    *,
    case: Case,
    document,
    document_type: str,
    title: str,
    dated_on: datetime.date,
    actor=None,
    filename: str = "",
    today: datetime.date | None = None,
) -> CaseDocument:
    """Add a document to the case. `document` is an uploaded file or the bytes of one the
    software made (then name it with `filename`, e.g. "final-plan.pdf"); `actor` is the person
    uploading, or None for the system (a generated plan). Checked by content as advice is;
    a refusal stores nothing, and a failed database write removes the file again."""
    if actor is not None and not _may_write(actor):
        raise errors.CaseForbiddenError(DOCUMENT_FORBIDDEN)
    today = today or timezone.localdate()
    title = (title or "").strip()
    if isinstance(document, bytes | bytearray):
        document = uploads.as_upload(bytes(document), filename or "document.pdf")
    problems = _document_problems(
        document_type=document_type, title=title, dated_on=dated_on, today=today
    )
    if problems:
        raise ValidationError(problems)
    checked = uploads.check_document(document, required_message=DOCUMENT_REQUIRED)
    stored_name = uploads.store_document(document, checked)
    try:
        saved = CaseDocument.objects.create(
            case=case,
            document_type=document_type,
            title=title[:200],
            dated_on=dated_on,
            stored_name=stored_name,
            original_filename=(filename or getattr(document, "name", "") or title)[:255],
            content_type=checked.content_type,
            size=checked.size,
            sha256=checked.sha256,
            uploaded_by=actor,
        )
        audit_record(
            actor=actor,
            verb="case_document.add",
            target=saved,
            case=case,
            effective_date=dated_on,
            payload={
                "document_type": document_type,
                "content_type": checked.content_type,
                "size": checked.size,
                "sha256": checked.sha256,
            },
        )
    except BaseException:
        uploads.delete_document(stored_name)
        raise
    return saved


def case_document_open(*, document: CaseDocument) -> uploads.DocumentDownload:
    """The file, for a reader the caller has already checked may see it: an attachment."""
    extension = uploads.EXTENSIONS[document.content_type]
    return uploads.DocumentDownload(
        file=uploads.open_document(document.stored_name),
        filename=uploads.download_filename(document.original_filename, extension),
        content_type=document.content_type,
        size=document.size,
    )


@transaction.atomic
def case_document_shares_set(*, actor, advice_request, documents) -> tuple[list, list]:
    """Section 8: the caseworker chooses which of the case's documents this advice request's
    provider may see. Returns (documents shared now, documents no longer shared); each change
    is audited."""
    if not _may_write(actor):
        raise errors.CaseForbiddenError(SHARE_FORBIDDEN)
    wanted = {document.pk: document for document in documents}
    if any(document.case_id != advice_request.case_id for document in wanted.values()):
        raise ValidationError({"documents": SHARE_OTHER_CASE})
    current = {
        share.document_id: share
        for share in CaseDocumentShare.objects.select_for_update()
        .filter(advice_request=advice_request)
        .select_related("document")
    }
    added = [wanted[pk] for pk in wanted if pk not in current]
    removed = [current[pk].document for pk in current if pk not in wanted]
    CaseDocumentShare.objects.bulk_create(
        CaseDocumentShare(document=document, advice_request=advice_request, shared_by=actor)
        for document in added
    )
    CaseDocumentShare.objects.filter(
        advice_request=advice_request, document_id__in=[d.pk for d in removed]
    ).delete()
    for verb, changed in (("case_document.share", added), ("case_document.unshare", removed)):
        for document in changed:
            audit_record(
                actor=actor,
                verb=verb,
                target=document,
                case=advice_request.case,
                effective_date=timezone.localdate(),
                payload={"advice_request": advice_request.pk, "kind": advice_request.kind},
            )
    return added, removed
