"""The caseworker's pages. Thin: the same selectors and services as the API, rendered with the
GOV.UK Design System. Every page works without JavaScript."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.staticfiles import finders
from django.contrib.staticfiles.storage import staticfiles_storage
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.templatetags.static import static
from django.utils import timezone
from django.views.decorators.http import require_POST

from . import errors, exception_services, extensions, record_selectors, selectors, services
from .assignment import assignable_caseworkers
from .filters import ORDERING_LABELS, RISK_CHOICES
from .forms import IRREVERSIBLE, ExceptionProposeForm, TransitionForm
from .history import CASE_STEPS, history_lines
from .models import CaseStatus, PrimaryNeed
from .risk_reasons import risk_reasons
from .roles import Role, has_role, may_agree_exception, may_reassign, user_roles
from .visibility import may_use_case_area

PAGE_SIZE = 25
RISKY = ("overdue", "at_risk")
DATE_FILTERS = (
    ("final_plan_due_before", "Final plan due on or before"),
    ("received_from", "Received on or after"),
    ("received_to", "Received on or before"),
)
TRANSITION_DONE = "{done} on {day:%-d %B %Y}."
EXCEPTION_PROPOSED = (
    "Exception proposed. The managers have been told: it counts once one of them agrees it."
)
EXCEPTION_AGREED = "Exception agreed: {ground}. It now counts in the 20-week figures."
EXCEPTION_REFUSED = "Exception refused: {ground}. The caseworker can see why on this page."


def govuk_asset(request, path):
    """GOV.UK Frontend's and MoJ Frontend's CSS ask for fonts and images at /assets/: they
    live in static, under each package's prefix."""
    for package in ("govuk", "moj"):
        name = f"{package}/assets/{path}"
        if finders.find(name) or staticfiles_storage.exists(name):
            return redirect(static(name), permanent=True)
    raise Http404(path)


def case_area(view):
    """Signed in, and holding a role that works with cases (section 8): partners get 403."""

    @login_required
    def wrapper(request, *args, **kwargs):
        if not may_use_case_area(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    wrapper.__name__ = view.__name__
    wrapper.__doc__ = view.__doc__
    return wrapper


@case_area
def case_list(request):
    filterset = selectors.case_list(
        user=request.user, today=timezone.localdate(), filters=request.GET
    )
    scope = list_scope(request)
    cases = filterset.qs.filter(caseworker=request.user) if scope == "mine" else filterset.qs
    page = Paginator(cases, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    export_query = query.copy()
    export_query["scope"] = scope
    return render(
        request,
        "cases/case_list.html",
        {
            "filterset": filterset,
            "error_items": _filter_errors(filterset) if filterset.is_bound else [],
            "page": page,
            "cases": list(page.object_list),
            "query": query.urlencode(),
            "status_choices": CaseStatus.choices,
            "risk_choices": RISK_CHOICES,
            "need_choices": PrimaryNeed.choices,
            "ordering_choices": [
                (value, label) for value, label in ORDERING_LABELS.items() if value != "next_due"
            ],
            "values": request.GET,
            "date_filters": DATE_FILTERS,
            "filter_error_fields": set(filterset.form.errors) if filterset.is_bound else set(),
            "scope": scope,
            "may_have_own_cases": has_role(request.user, Role.CASEWORKER),
            "may_reassign": may_reassign(request.user),
            "caseworker_choices": assignable_caseworkers(),
            "export_query": export_query.urlencode(),
        },
    )


def list_scope(request) -> str:
    """Issue 13 item 6: a caseworker's list opens on their own cases ("mine"); "All cases" is
    one click away. Managers (and anyone else) open on every case. An explicit caseworker
    filter (a link from the dashboard) means every case it selects."""
    asked = request.GET.get("scope")
    if asked in ("mine", "all"):
        return asked
    roles = user_roles(request.user)
    own_list = Role.CASEWORKER in roles and Role.MANAGER not in roles
    if own_list and not {"caseworker", "unassigned"} & set(request.GET):
        return "mine"
    return "all"


def _filter_errors(filterset) -> list[dict]:
    return [
        {"text": f"{filterset.form.fields[name].label}: {message}", "href": f"#{name}"}
        for name, messages in filterset.form.errors.items()
        for message in messages
    ]


def _form_errors(form) -> list[dict]:
    """The GOV.UK error summary's items: each message linked to its field."""
    items = []
    for name, field_errors in form.errors.items():
        anchor = form[name].id_for_label if name in form.fields else ""
        if name in form.fields and hasattr(form.fields[name], "fields"):
            anchor = f"{form[name].auto_id}_0"
        for message in field_errors:
            items.append({"text": message, "href": f"#{anchor}" if anchor else ""})
    return items


def _case_page(request, case, *, status=200, forms=None, error_items=None):
    user = request.user
    forms = forms or {}
    transitions = []
    for name in services.available_transitions(case, user):
        form = forms.get(name) or TransitionForm(
            prefix=name,
            initial={
                "transition": name,
                "expected_status": case.status,
                "effective_date": timezone.localdate(),
            },
        )
        details_form = forms.get(f"{name}:details")
        factory = extensions.TRANSITION_DETAIL_FORMS.get(name)
        if details_form is None and factory is not None:
            details_form = factory(case=case)
        transitions.append(
            {
                "name": name,
                "rule": services.TRANSITIONS[name],
                "form": form,
                "details_form": details_form,
                "irreversible": IRREVERSIBLE.get(name),
                "needs_advice": name in services.DECISIONS_NEEDING_ADVICE,
            }
        )
    today = timezone.localdate()
    outstanding = (
        services.outstanding_advice(case, today)
        if any(item["needs_advice"] for item in transitions)
        else []
    )
    sections = []
    for section in extensions.CASE_PAGE_SECTIONS:
        rendered = section(request=request, case=case, today=today)
        if rendered is not None:
            sections.append({"template": rendered[0], **rendered[1]})
    exception_form = forms.get("exception") or ExceptionProposeForm(prefix="exception")
    history = history_lines(selectors.case_audit_trail(case=case))
    may_record_notes = has_role(user, Role.CASEWORKER, Role.MANAGER)
    if may_record_notes:  # the contact log, merged by date with the statutory history
        history = record_selectors.case_history_with_notes(case=case, audit_entries=history)
    return render(
        request,
        "cases/case_detail.html",
        {
            "case": case,
            "deadlines": selectors.case_deadlines(case),
            "history": history,
            "may_record_notes": may_record_notes,
            "risk_reasons": risk_reasons(case, today=today) if case.risk in RISKY else [],
            "transitions": transitions,
            "exception_form": exception_form,
            "may_propose_exception": has_role(user, Role.CASEWORKER, Role.MANAGER)
            and exception_services.exception_may_be_proposed(case),
            "may_agree_exception": may_agree_exception(user),
            "may_reassign": may_reassign(user),
            "error_items": error_items or [],
            "today": today,
            "sections": sections,
            "outstanding_advice": outstanding,
            "outstanding_advice_text": services.and_join(outstanding) + "." if outstanding else "",
        },
        status=status,
    )


@case_area
def case_detail(request, reference):
    case = selectors.case_get(user=request.user, reference=reference, today=timezone.localdate())
    return _case_page(request, case)


def _service_error(exc) -> tuple[int, list[dict]]:
    if isinstance(exc, errors.CaseForbiddenError):
        return 403, [{"text": exc.message, "href": ""}]
    return 409, [{"text": exc.message, "href": ""}]


@require_POST
@case_area
def case_transition(request, reference):
    today = timezone.localdate()
    case = selectors.case_get(user=request.user, reference=reference, today=today)
    name = request.POST.get("transition", "")
    if name not in services.TRANSITIONS:
        return _case_page(
            request,
            case,
            status=400,
            error_items=[{"text": errors.UNKNOWN_TRANSITION.format(name=name), "href": ""}],
        )
    form = TransitionForm(request.POST, prefix=name)
    factory = extensions.TRANSITION_DETAIL_FORMS.get(name)
    details_form = factory(case=case, data=request.POST) if factory is not None else None
    bound = {name: form, f"{name}:details": details_form}
    form_valid = form.is_valid()
    details_valid = details_form is None or details_form.is_valid()
    expected_status = form.cleaned_data.get("expected_status")
    if expected_status is not None and case.status != expected_status:
        # A stale page: say so first, whatever else the form holds (nothing is recorded).
        return _case_page(
            request,
            case,
            status=409,
            error_items=[
                {
                    "text": errors.CASE_CHANGED.format(status=services.status_words(case.status)),
                    "href": "",
                }
            ],
        )
    if not (form_valid and details_valid):
        items = _form_errors(form) + (_form_errors(details_form) if details_form else [])
        return _case_page(request, case, status=400, forms=bound, error_items=items)
    try:
        services.case_transition(
            actor=request.user,
            case=case,
            transition=name,
            effective_date=form.cleaned_data["effective_date"],
            reason=form.cleaned_data["reason"],
            expected_status=form.cleaned_data["expected_status"],
            details=details_form.details() if details_form is not None else None,
            confirm_outstanding_advice=form.cleaned_data["confirm_outstanding_advice"],
        )
    except ValidationError as exc:
        for field, field_messages in exc.message_dict.items():
            for message in field_messages:
                form.add_error(field if field in form.fields else None, message)
        return _case_page(request, case, status=400, forms=bound, error_items=_form_errors(form))
    except errors.CaseError as exc:
        status, items = _service_error(exc)
        case = selectors.case_get(user=request.user, reference=reference, today=today)
        return _case_page(request, case, status=status, error_items=items)
    messages.success(
        request,
        TRANSITION_DONE.format(
            done=CASE_STEPS[f"case.{name}"], day=form.cleaned_data["effective_date"]
        ),
    )
    return redirect("cases:detail", reference=case.reference)


@require_POST
@case_area
def case_exception_propose(request, reference):
    case = selectors.case_get(user=request.user, reference=reference, today=timezone.localdate())
    form = ExceptionProposeForm(request.POST, prefix="exception")
    if form.is_valid():
        try:
            exception_services.exception_propose(actor=request.user, case=case, **form.cleaned_data)
        except ValidationError as exc:
            for field, field_messages in exc.message_dict.items():
                for message in field_messages:
                    form.add_error(field if field in form.fields else None, message)
        except errors.CaseError as exc:
            status, items = _service_error(exc)
            return _case_page(request, case, status=status, error_items=items)
        else:
            messages.success(request, EXCEPTION_PROPOSED)
            return redirect("cases:detail", reference=case.reference)
    return _case_page(
        request, case, status=400, forms={"exception": form}, error_items=_form_errors(form)
    )


@require_POST
@case_area
def case_exception_agree(request, reference, exception_id):
    case = selectors.case_get(user=request.user, reference=reference, today=timezone.localdate())
    exception = selectors.case_exception_get(case=case, exception_id=exception_id)
    try:
        exception_services.exception_agree(
            actor=request.user,
            exception=exception,
            comment=request.POST.get("comment", "")[:4000],
        )
    except errors.CaseError as exc:
        status, items = _service_error(exc)
        return _case_page(request, case, status=status, error_items=items)
    messages.success(request, EXCEPTION_AGREED.format(ground=exception.get_ground_display()))
    return redirect("cases:detail", reference=case.reference)


@require_POST
@case_area
def case_exception_refuse(request, reference, exception_id):
    """Issue 14: a manager refuses a proposed exception with a reason."""
    case = selectors.case_get(user=request.user, reference=reference, today=timezone.localdate())
    exception = selectors.case_exception_get(case=case, exception_id=exception_id)
    try:
        exception_services.exception_refuse(
            actor=request.user, exception=exception, reason=request.POST.get("reason", "")[:4000]
        )
    except ValidationError as exc:
        items = [
            {"text": message, "href": f"#refuse-{exception.pk}-reason"} for message in exc.messages
        ]
        return _case_page(request, case, status=400, error_items=items)
    except errors.CaseError as exc:
        status, items = _service_error(exc)
        return _case_page(request, case, status=status, error_items=items)
    messages.success(request, EXCEPTION_REFUSED.format(ground=exception.get_ground_display()))
    return redirect("cases:detail", reference=case.reference)
