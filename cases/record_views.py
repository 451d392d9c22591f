"""The everyday record's pages (section 10): record a note or contact, correct one, upload a
document, download it, and choose which documents each advice request may see. Thin: forms,
then one service. Caseworkers and managers only; a case the user may not see is a 404."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from security.uploads import attachment_response

from . import errors, record_selectors, record_services, selectors
from .record_forms import CaseDocumentForm, CaseNoteForm
from .roles import Role, has_role
from .views import _form_errors, case_area

NOTE_RECORDED = "{kind} recorded on case {reference}."
CORRECTION_RECORDED = "Correction recorded on case {reference}. The original entry is kept."
DOCUMENT_ADDED = "{title} added to case {reference}."
SHARES_SAVED = "Papers shared with the {advice} saved."
NOT_THIS_CASE = "No such advice request on this case."


def _staff_case(request, reference):
    """The case, for a caseworker or manager: 404 outside visibility, then 403 for others."""
    case = selectors.case_get(user=request.user, reference=reference, today=timezone.localdate())
    if not has_role(request.user, Role.CASEWORKER, Role.MANAGER):
        raise PermissionDenied
    return case


def _apply_service_errors(form, exc: ValidationError) -> None:
    for field, field_messages in exc.message_dict.items():
        for message in field_messages:
            form.add_error(field if field in form.fields else None, message)


def _note_page(request, case, form, *, corrects=None, status=200):
    return render(
        request,
        "cases/note_form.html",
        {
            "case": case,
            "form": form,
            "corrects": corrects,
            "error_items": _form_errors(form) if form.is_bound else [],
        },
        status=status,
    )


def _record_note(request, case, *, corrects=None):
    form = CaseNoteForm(request.POST, case=case)
    if form.is_valid():
        try:
            note, _ = record_services.case_note_record(
                actor=request.user, case=case, corrects=corrects, **form.details()
            )
        except ValidationError as exc:
            _apply_service_errors(form, exc)
        except errors.CaseForbiddenError as exc:
            raise PermissionDenied(exc.message) from exc
        except errors.CaseConflictError as exc:
            form.add_error(None, exc.message)
        else:
            message = (
                CORRECTION_RECORDED.format(reference=case.reference)
                if corrects is not None
                else NOTE_RECORDED.format(kind=note.get_kind_display(), reference=case.reference)
            )
            messages.success(request, message)
            return redirect(f"{case_url(case)}#history")
    return _note_page(request, case, form, corrects=corrects, status=400)


def case_url(case) -> str:
    return reverse("cases:detail", args=[case.reference])


@case_area
def note_new(request, reference):
    case = _staff_case(request, reference)
    if request.method == "POST":
        return _record_note(request, case)
    form = CaseNoteForm(case=case, initial={"occurred_on": timezone.localdate()})
    return _note_page(request, case, form)


@case_area
def note_correct(request, reference, note_id):
    case = _staff_case(request, reference)
    original = record_selectors.case_note_get(case=case, note_id=note_id)
    if original.corrects_id is not None:
        original = original.corrects
    if request.method == "POST":
        return _record_note(request, case, corrects=original)
    form = CaseNoteForm(case=case, initial=CaseNoteForm.initial_from(original))
    return _note_page(request, case, form, corrects=original)


@case_area
def document_new(request, reference):
    case = _staff_case(request, reference)
    if request.method == "POST":
        form = CaseDocumentForm(request.POST, request.FILES)
        if form.is_valid():
            data = form.cleaned_data
            try:
                document = record_services.case_document_store(
                    actor=request.user,
                    case=case,
                    document=data.get("document"),
                    document_type=data["document_type"],
                    title=data["title"],
                    dated_on=data["dated_on"],
                )
            except ValidationError as exc:
                _apply_service_errors(form, exc)
            except errors.CaseForbiddenError as exc:
                raise PermissionDenied(exc.message) from exc
            else:
                messages.success(
                    request, DOCUMENT_ADDED.format(title=document.title, reference=case.reference)
                )
                return redirect(f"{case_url(case)}#documents")
        status = 400
    else:
        form = CaseDocumentForm(initial={"dated_on": timezone.localdate()})
        status = 200
    return render(
        request,
        "cases/document_form.html",
        {
            "case": case,
            "form": form,
            "error_items": _form_errors(form) if form.is_bound else [],
        },
        status=status,
    )


@case_area
def document_download(request, reference, document_id):
    """A case document, as an attachment (never rendered inline)."""
    case = _staff_case(request, reference)
    document = record_selectors.case_document_get(case=case, document_id=document_id)
    return attachment_response(record_services.case_document_open(document=document))


@require_POST
@case_area
def document_shares(request, reference, advice_request_id):
    """Which of the case's documents this advice request's provider may see."""
    case = _staff_case(request, reference)
    advice = case.advice_requests.filter(pk=advice_request_id).select_related("service").first()
    if advice is None:
        raise Http404(NOT_THIS_CASE)
    wanted = {value for value in request.POST.getlist("documents") if value.isdigit()}
    documents = list(case.documents.filter(pk__in=wanted))
    record_services.case_document_shares_set(
        actor=request.user, advice_request=advice, documents=documents
    )
    label = advice.get_kind_display()
    messages.success(request, SHARES_SAVED.format(advice=label[0].lower() + label[1:]))
    return redirect(f"{case_url(case)}#documents")
