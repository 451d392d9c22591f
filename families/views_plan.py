"""The plan and the decision letters in the family portal (issue 16 item 2): each decision
letter sent to them, the draft with a comment box per section while their 15 days are open
(s38), each comment's answer, every issued version with what changed, and section K's advice
once the draft is issued. Object-scoped like the request page: another family's request,
letter, version or advice document is a 404. Every document read is in the access log."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from advice_requests import documents as advice_documents
from plans import deadlines as plan_deadlines
from plans import documents as plan_documents
from plans import selectors as plan_selectors
from plans import services as plan_services
from plans.models import Section, VersionKind
from plans.render import document_context
from security.access_log import client_ip, record_access

from .forms import SCHOOL_HINT, DraftCommentsForm, error_items
from .plan_words import version_summary, versions_in_words
from .views import family_only
from .views_all_about_me import _family_case

LETTER_READ = "decision letter (family portal)"
VERSION_READ = "plan version {number} (family portal)"
ADVICE_READ = "advice in section K (family portal)"
COMMENTS_SENT = "Thank you. We have your comments. Your caseworker will answer each one here."


def _log_read(request, case, what: str) -> None:
    """Section 8 and issue 16 item 6: every family read of a document is logged."""
    record_access(
        user=request.user,
        case=case,
        what=what,
        path=request.get_full_path(),
        ip_address=client_ip(request),
    )


def _pdf(data: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(bytes(data), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


def _plan(case):
    """The case's plan once a version has been issued: a family never sees the working copy."""
    plan = plan_selectors.plan_of(case)
    if plan is None or not plan.versions.exists():
        raise Http404
    return plan


@family_only
def letter_pdf(request, reference: str, letter_id: int):
    """A decision letter sent to this family member, as the PDF it was sent as."""
    link, case = _family_case(request, reference)
    letter = (
        plan_selectors.family_letters(case, parent_carer_id=link.parent_carer_id)
        .filter(pk=letter_id)
        .first()
    )
    if letter is None:
        raise Http404
    letter = plan_selectors.letter_get(letter.pk)
    _log_read(request, case, LETTER_READ)
    return _pdf(plan_documents.letter_pdf(letter), f"{case.reference}-letter-{letter.pk}.pdf")


def _draft_sections() -> list[tuple[str, str]]:
    return list(Section.choices)


@family_only
@require_http_methods(["GET", "POST"])
def plan_page(request, reference: str):
    """The draft (or final) plan as issued, the family's comments with our answers, and, while
    the 15 days are open, a comment box per section, a meeting and a school."""
    today = timezone.localdate()
    link, case = _family_case(request, reference)
    plan = _plan(case)
    versions = plan_selectors.versions_with_snapshots(plan)
    latest = versions[-1]
    draft = plan_services.latest_draft(plan)
    closes_on = plan_deadlines.comments_due(draft.issued_on) if draft else None
    window_open = (
        plan_services.open_draft(plan) is not None and closes_on is not None and today <= closes_on
    )
    posted = request.method == "POST"
    form = DraftCommentsForm(request.POST if posted else None, sections=_draft_sections())
    refused = ""
    status = 200
    if posted:
        if form.is_valid():
            try:
                plan_services.comment_submit_online(
                    user=request.user, plan=plan, comments=form.comments(), today=today
                )
            except ValidationError as error:
                refused = " ".join(m for ms in error.message_dict.values() for m in ms)
                status = 400
            else:
                messages.success(request, COMMENTS_SENT)
                return redirect(f"{request.path}#your-comments")
        else:
            status = 400
    comments = list(plan_selectors.family_comments(plan, user=request.user))
    return render(
        request,
        "families/plan.html",
        {
            "case": case,
            "child": case.child,
            "latest": latest,
            "document": document_context(latest.snapshot),
            "is_draft": latest.kind == VersionKind.DRAFT,
            "window_open": window_open,
            "closes_on": closes_on,
            "form": form,
            "refused": refused,
            "error_items": [{"text": refused, "href": ""}] if refused else error_items(form),
            "school_hint": SCHOOL_HINT,
            "comments": comments,
            "versions": versions_in_words(versions),
            "advice": plan_selectors.section_k_submissions(plan),
            "young_person": link.is_young_person,
        },
        status=status,
    )


@family_only
def version_page(request, reference: str, number: int):
    """One issued version exactly as it was sent, and what changed from the one before."""
    _link, case = _family_case(request, reference)
    plan = _plan(case)
    versions = plan_selectors.versions_with_snapshots(plan)
    by_number = {version.number: version for version in versions}
    version = by_number.get(number)
    if version is None:
        raise Http404
    previous = max((v for v in versions if v.number < number), key=lambda v: v.number, default=None)
    return render(
        request,
        "families/plan_version.html",
        {
            "case": case,
            "child": case.child,
            "version": version,
            "previous": previous,
            "summary": version_summary(version, previous),
            "document": document_context(version.snapshot),
        },
    )


@family_only
def version_pdf(request, reference: str, number: int):
    _link, case = _family_case(request, reference)
    plan = _plan(case)
    version = plan.versions.filter(number=number).first()
    if version is None:
        raise Http404
    _log_read(request, case, VERSION_READ.format(number=version.number))
    kind = "draft" if version.kind == VersionKind.DRAFT else "final"
    return _pdf(
        plan_documents.version_pdf(version), f"{case.reference}-{kind}-plan-v{version.number}.pdf"
    )


@family_only
def advice_document(request, reference: str, submission_id: int):
    """Section K's advice, readable by the family once the draft is issued (and not before)."""
    _link, case = _family_case(request, reference)
    plan = _plan(case)
    submission = next(
        (s for s in plan_selectors.section_k_submissions(plan) if s.pk == submission_id), None
    )
    if submission is None:
        raise Http404
    _log_read(request, case, ADVICE_READ)
    extension = advice_documents.EXTENSIONS[submission.content_type]
    return FileResponse(
        advice_documents.open_document(submission.stored_name),
        as_attachment=True,
        filename=advice_documents.download_filename(submission.original_filename, extension),
        content_type=submission.content_type,
    )
