"""The advice pages (GOV.UK Design System): the partner's inbox, a request with its accept,
decline and submission forms, the caseworker's cancel and return forms, the document download,
and the weekly follow-up page. Thin: the same selectors and services as the API."""

from __future__ import annotations

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from cases.errors import CaseError, CaseForbiddenError
from cases.roles import Role, has_role

from . import access, selectors, services
from .apis import client_ip, document_response, latest_submission_id, may_use_advice_area
from .forms import ReasonForm, SubmissionForm
from .models import AdviceRequest, AdviceStatus

#: Issue 14: what happened, as a sentence ("Request accepted."), not "Accept the request recorded."
TRANSITION_DONE = "{label}."
TRANSITION_DONE_WORDS = {
    "accept": "Request accepted: the advice is due {due:%-d %B %Y}",
    "decline": "Request declined: the caseworker has been told why",
    "cancel": "Request cancelled",
    "return_for_quality": "Advice returned for quality: the service has been told why",
}
SUBMITTED = "Your advice has been submitted. Thank you."
FOLLOW_UP_ROLES = (Role.CASEWORKER, Role.MANAGER)
#: The follow-up page lists this many requests not chased for 7 days (the rest: "See all").
NOT_CHASED_SHOWN = 20


def advice_area(view):
    """Signed in as a partner, caseworker or manager (section 8); anyone else gets 403."""

    @login_required
    def wrapper(request, *args, **kwargs):
        if not may_use_advice_area(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    wrapper.__name__ = view.__name__
    wrapper.__doc__ = view.__doc__
    return wrapper


def _is_staff(user) -> bool:
    return has_role(user, *FOLLOW_UP_ROLES)


def _form_errors(form) -> list[dict]:
    return [
        {
            "text": message,
            "href": f"#{form[name].auto_id}" if name in form.fields else "",
        }
        for name, field_errors in form.errors.items()
        for message in field_errors
    ]


def _add_service_errors(form, exc: ValidationError) -> None:
    for field, field_messages in exc.message_dict.items():
        for message in field_messages:
            form.add_error(field if field in form.fields else None, message)


def _open(request, advice_request_id) -> AdviceRequest:
    try:
        return access.advice_request_open(
            actor=request.user, advice_request_id=advice_request_id, ip_address=client_ip(request)
        )
    except AdviceRequest.DoesNotExist as exc:
        raise Http404 from exc


def _get(request, advice_request_id) -> AdviceRequest:
    try:
        return selectors.advice_request_get(user=request.user, advice_request_id=advice_request_id)
    except AdviceRequest.DoesNotExist as exc:
        raise Http404 from exc


@advice_area
def inbox(request):
    """A partner's requests: what needs action first ("to do"), or what is done, each filtered
    by status (the read is logged)."""
    if not has_role(request.user, Role.PARTNER):
        return redirect("advice:follow-up")
    today = timezone.localdate()
    view = request.GET.get("view", "to_do")
    view = view if view in selectors.INBOX_VIEWS else "to_do"
    statuses = selectors.DONE_STATUSES if view == "done" else selectors.ACTION_ORDER
    status = request.GET.get("status", "")
    status = status if status in statuses else ""
    items = selectors.partner_inbox(user=request.user, today=today, view=view, status=status)
    access.access_log_record_list(
        actor=request.user,
        advice_request_ids=[item.id for item in items],
        ip_address=client_ip(request),
    )
    due_soon = today + datetime.timedelta(days=selectors.DUE_SOON_DAYS)
    rows = [
        {"item": item, "due_soon": not item.overdue and item.due_on <= due_soon} for item in items
    ]
    return render(
        request,
        "advice_requests/inbox.html",
        {
            "rows": rows,
            "today": today,
            "view": view,
            "status": status,
            "status_choices": [(value, AdviceStatus(value).label) for value in statuses],
            "done_limit": selectors.DONE_LIMIT,
            "several_services": len({item.service for item in items}) > 1,
        },
    )


def _request_page(
    request, advice, *, status=200, decline_form=None, submission_form=None, error_items=None
):
    user = request.user
    advice = (
        AdviceRequest.objects.select_related("case__child", "case__caseworker", "service")
        .prefetch_related("submissions")
        .get(pk=advice.pk)
    )
    available = services.available_transitions(advice, user)
    return render(
        request,
        "advice_requests/request_detail.html",
        {
            "advice": advice,
            "child": advice.case.child,
            "is_staff": _is_staff(user),
            "overdue": advice.is_overdue(timezone.localdate()),
            "submission": selectors.latest_submission(advice),
            "papers": selectors.shared_papers(advice=advice),
            "caseworker": advice.case.caseworker,
            "may_accept": "accept" in available,
            "may_decline": "decline" in available,
            "may_submit": "submit" in available,
            "decline_form": decline_form or ReasonForm(initial={"expected_status": advice.status}),
            "submission_form": submission_form
            or SubmissionForm(initial={"expected_status": advice.status}),
            "error_items": error_items or [],
        },
        status=status,
    )


@advice_area
def request_detail(request, advice_request_id):
    """The question and the child's minimum facts (the read is logged)."""
    return _request_page(request, _open(request, advice_request_id))


def _after_transition(request, advice):
    if _is_staff(request.user):
        return redirect("cases:detail", reference=advice.case.reference)
    return redirect("advice:detail", advice_request_id=advice.pk)


@require_POST
@advice_area
def request_transition(request, advice_request_id):
    """Accept or decline (the service), cancel or return for quality (the caseworker)."""
    advice = _get(request, advice_request_id)
    name = request.POST.get("transition", "")
    rule = services.TRANSITIONS.get(name)
    form = ReasonForm(request.POST)
    if rule is None or not form.is_valid():
        return _request_page(
            request,
            advice,
            status=400,
            decline_form=form,
            error_items=_form_errors(form) or [{"text": "Choose what to record.", "href": ""}],
        )
    try:
        services.advice_request_transition(
            actor=request.user,
            advice=advice,
            transition=name,
            reason=form.cleaned_data["reason"],
            expected_status=form.cleaned_data["expected_status"],
        )
    except ValidationError as exc:
        _add_service_errors(form, exc)
        return _request_page(
            request, advice, status=400, decline_form=form, error_items=_form_errors(form)
        )
    except CaseError as exc:
        status = 403 if isinstance(exc, CaseForbiddenError) else 409
        return _request_page(
            request, advice, status=status, error_items=[{"text": exc.message, "href": ""}]
        )
    words = TRANSITION_DONE_WORDS.get(name, rule.label).format(due=advice.due_on)
    messages.success(request, TRANSITION_DONE.format(label=words))
    return _after_transition(request, advice)


@require_POST
@advice_area
def request_submit(request, advice_request_id):
    """The service's advice: a document (checked by content) and the summary."""
    advice = _get(request, advice_request_id)
    form = SubmissionForm(request.POST, request.FILES)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.advice_request_submit(
                actor=request.user,
                advice=advice,
                document=data.get("document"),
                needs=data["needs"],
                outcomes_sought=data["outcomes_sought"],
                provision=data["provision"],
                expected_status=data["expected_status"],
            )
        except ValidationError as exc:
            _add_service_errors(form, exc)
        except CaseError as exc:
            status = 403 if isinstance(exc, CaseForbiddenError) else 409
            return _request_page(
                request, advice, status=status, error_items=[{"text": exc.message, "href": ""}]
            )
        else:
            messages.success(request, SUBMITTED)
            return redirect("advice:detail", advice_request_id=advice.pk)
    return _request_page(
        request, advice, status=400, submission_form=form, error_items=_form_errors(form)
    )


@advice_area
def request_document(request, advice_request_id):
    """The latest advice document, as an attachment (the download is logged)."""
    submission_id = latest_submission_id(user=request.user, advice_request_id=advice_request_id)
    download = access.advice_document_open(
        actor=request.user, submission_id=submission_id, ip_address=client_ip(request)
    )
    return document_response(download)


@login_required
def follow_up(request):
    """Section 4: the weekly follow-up, per service (caseworkers and managers)."""
    if not _is_staff(request.user):
        raise PermissionDenied
    today = timezone.localdate()
    measured_from, measured_to = selectors.follow_up_period(today=today)
    rows = selectors.advice_outstanding_by_service(today=today)
    return render(
        request,
        "advice_requests/follow_up.html",
        {
            "rows": rows,
            "today": today,
            "measured_from": measured_from,
            "measured_to": measured_to,
            "not_chased": list(
                selectors.follow_up_requests(today=today, show="not_chased")[:NOT_CHASED_SHOWN]
            ),
            "not_chased_total": sum(row.not_chased for row in rows),
        },
    )
