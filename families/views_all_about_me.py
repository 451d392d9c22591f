"""The family's own views, "All about me" (issue 16 item 3): the questions, check your
answers (with an optional document), the confirmation, and the document they sent. Every
page is object-scoped like the request page (another family's reference is a 404)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from advice_requests import documents as advice_documents
from cases.models import Case
from security.access_log import client_ip, record_access

from . import selectors, views_services
from .forms import FamilyViewsDocumentForm, FamilyViewsForm, error_items
from .views import family_only

DOCUMENT_READ = "family's views document (family portal)"


def _session_key(case: Case) -> str:
    return f"family-views-{case.pk}"


def _family_case(request, reference: str):
    today = timezone.localdate()
    try:
        return selectors.family_case_get(user=request.user, reference=reference, today=today)
    except Case.DoesNotExist as missing:
        raise Http404 from missing


def _outstanding(case: Case):
    return views_services.outstanding_views_request(selectors.family_advice(case=case))


def _to_request(case: Case):
    return redirect("families:request", reference=case.reference)


@family_only
@require_http_methods(["GET", "POST"])
def views_questions(request, reference: str):
    """The questions, on one page: four short answers (and a parent's own views)."""
    link, case = _family_case(request, reference)
    if _outstanding(case) is None:
        return _to_request(case)
    young_person = link.is_young_person
    initial = request.session.get(_session_key(case), {})
    posted = request.method == "POST"
    form = FamilyViewsForm(
        request.POST if posted else None, initial=initial, young_person=young_person
    )
    if posted and form.is_valid():
        request.session[_session_key(case)] = form.cleaned_data
        return redirect("families:views-check", reference=case.reference)
    return render(
        request,
        "families/views_questions.html",
        {
            "case": case,
            "child": case.child,
            "form": form,
            "young_person": young_person,
            "error_items": error_items(form),
        },
    )


@family_only
@require_http_methods(["GET", "POST"])
def views_check(request, reference: str):
    """Check your answers, add a document if they want, and send: nothing is sent before."""
    link, case = _family_case(request, reference)
    if _outstanding(case) is None:
        return _to_request(case)
    answers = request.session.get(_session_key(case))
    if not answers:
        return redirect("families:views", reference=case.reference)
    posted = request.method == "POST"
    form = FamilyViewsDocumentForm(
        request.POST if posted else None, request.FILES if posted else None
    )
    if posted and form.is_valid():
        try:
            views_services.family_views_submit(
                user=request.user,
                link=link,
                case=case,
                answers=answers,
                document=form.cleaned_data.get("document"),
            )
        except ValidationError as refused:
            for field, messages in refused.message_dict.items():
                form.add_error("document" if field == "document" else None, messages)
        else:
            request.session.pop(_session_key(case), None)
            return redirect("families:views-sent", reference=case.reference)
    questions = views_services.views_questions(young_person=link.is_young_person)
    return render(
        request,
        "families/views_check.html",
        {
            "case": case,
            "child": case.child,
            "form": form,
            "rows": [
                {"name": name, "question": label, "answer": answers.get(name, "")}
                for name, label in questions
            ],
            "error_items": error_items(form),
        },
    )


@family_only
def views_sent(request, reference: str):
    """The confirmation: what happens next, and the reference."""
    _link, case = _family_case(request, reference)
    given = selectors.views_given(case=case)
    if not given:
        return _to_request(case)
    return render(
        request, "families/views_sent.html", {"case": case, "child": case.child, "views": given[0]}
    )


@family_only
def views_document(request, reference: str, views_pk: int):
    """The document of views given for this request (theirs, or the answers as a PDF), as an
    attachment. Every family read of a document is in the record access log (section 8)."""
    _link, case = _family_case(request, reference)
    views = next((item for item in selectors.views_given(case=case) if item.pk == views_pk), None)
    if views is None:
        raise Http404
    submission = views.submission
    record_access(
        user=request.user,
        case=case,
        what=DOCUMENT_READ,
        path=request.get_full_path(),
        ip_address=client_ip(request),
    )
    extension = advice_documents.EXTENSIONS[submission.content_type]
    return FileResponse(
        advice_documents.open_document(submission.stored_name),
        as_attachment=True,
        filename=advice_documents.download_filename(submission.original_filename, extension),
        content_type=submission.content_type,
    )
