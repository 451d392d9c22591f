"""The review pages (GOV.UK Design System): the caseworker's lists (with CSVs), an active plan,
a review and its steps, the outcomes' progress, the import of existing plans, the measures,
and the school's page for its review report. Thin: the same selectors and services as the API."""

from __future__ import annotations

import csv

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from cases.errors import CaseError, CaseForbiddenError
from reports.access import may_see_reports

from . import selectors, services
from .forms import PlanImportForm, ReportForm, ScheduleForm, StepForm, progress_form, step_fields
from .models import ActivePlan, Review
from .plan_documents import letters_written_here, plan_in_force
from .plan_import import COLUMNS, REQUIRED_COLUMNS, PlanImportError, plans_import, read_plans
from .roles import may_use_review_area

SCHEDULED = "Review meeting arranged for {day:%-d %B %Y}."
STEP_DONE = "{label}: recorded."
PROGRESS_SAVED = "Progress against the outcomes saved."
REPORT_SENT = "Your review report has been sent to the SEN team. Thank you."
IMPORTED = "Imported {plans} active plans ({children} new children)."
DRY_RUN_OK = "All {plans} rows are valid. Nothing was imported (this was a check)."
NOTHING_IMPORTED = "{count} problem(s) found: nothing was imported."


def logged_plan(kwargs) -> ActivePlan | None:
    """security.access_log: the record a plan page shows (its child and reference)."""
    return (
        ActivePlan.objects.filter(pk=kwargs.get("pk")).only("pk", "child_id", "reference").first()
    )


def logged_plan_of_review(kwargs) -> ActivePlan | None:
    return (
        ActivePlan.objects.filter(reviews__pk=kwargs.get("pk"))
        .only("pk", "child_id", "reference")
        .first()
    )


def review_area(view):
    @login_required
    def wrapper(request, *args, **kwargs):
        if not may_use_review_area(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    wrapper.__name__ = view.__name__
    wrapper.__doc__ = view.__doc__
    return wrapper


def _today():
    return timezone.localdate()


def _form_errors(form, prefix_href=True) -> list[dict]:
    items = []
    for name, field_errors in form.errors.items():
        for message in field_errors:
            href = ""
            if name in form.fields:
                href = f"#{form[name].auto_id}"
            items.append({"text": message, "href": href})
    return items


def _add_service_errors(form, exc: ValidationError) -> None:
    for field, field_messages in exc.message_dict.items():
        for message in field_messages:
            form.add_error(field if field in form.fields else None, message)


# --- Lists ----------------------------------------------------------------------------------


LIST_COLUMNS = {
    "plan": ("Plan", "Child", "Date of birth", "Setting", "Review due", "Caseworker"),
    "phase": ("Plan", "Child", "Date of birth", "Move", "Next setting named by", "Caseworker"),
    "review": ("Plan", "Child", "Meeting", "Stage", "Due", "Caseworker"),
}


def _kind(name: str) -> str:
    if name == "phase_transfers":
        return "phase"
    return "review" if name in ("decisions", "amended") else "plan"


def _person(user) -> str:
    if user is None:
        return "Not assigned"
    return user.get_full_name() or user.get_username()


def _csv_row(name: str, row) -> list:
    kind = _kind(name)
    if kind == "review":
        plan = row.plan
        due = row.decision_due if name == "decisions" else row.amended_plan_due
        stage = row.get_status_display()
        return [
            plan.reference,
            plan.child.full_name,
            row.meeting_on,
            stage,
            due,
            _person(plan.caseworker),
        ]
    child = row.child
    if kind == "phase":
        return [
            row.reference,
            child.full_name,
            child.date_of_birth,
            row.get_phase_transfer_display(),
            row.phase_transfer_due,
            _person(row.caseworker),
        ]
    return [
        row.reference,
        child.full_name,
        child.date_of_birth,
        row.setting_label,
        row.review_due,
        _person(row.caseworker),
    ]


@review_area
def review_lists(request):
    """Reviews due this month, overdue, decisions and amended plans due, phase transfers."""
    today = _today()
    name = request.GET.get("list", "due_this_month")
    if name not in selectors.LISTS:
        raise Http404
    rows = selectors.review_list(name=name, today=today)
    if request.GET.get("format") == "csv":
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="reviews-{name}-{today}.csv"'
        writer = csv.writer(response)
        writer.writerow(LIST_COLUMNS[_kind(name)])
        for row in rows.iterator(chunk_size=2000):
            writer.writerow(_csv_row(name, row))
        return response
    counts = selectors.list_counts(today=today)
    shown = list(rows[:200])
    return render(
        request,
        "reviews/review_lists.html",
        {
            "lists": [
                {"name": key, "label": label, "count": counts[key], "active": key == name}
                for key, label in selectors.LISTS.items()
            ],
            "current": name,
            "heading": selectors.LISTS[name],
            "kind": _kind(name),
            "rows": shown,
            "total": counts[name],
            "today": today,
        },
    )


# --- An active plan and its reviews -----------------------------------------------------------


def _plan(request, pk) -> ActivePlan:
    try:
        return selectors.plan_get(user=request.user, pk=pk)
    except ActivePlan.DoesNotExist as exc:
        raise Http404 from exc


def _plan_page(request, plan, *, form=None, error_items=None, status=200):
    reviews = plan.reviews.order_by("-meeting_on", "-pk")
    return render(
        request,
        "reviews/plan_detail.html",
        {
            "plan": plan,
            "reviews": reviews,
            "open_review": next((r for r in reviews if r.is_open), None),
            "form": form or ScheduleForm(),
            "plan_in_force": plan_in_force(plan),
            "error_items": error_items or [],
            "today": _today(),
        },
        status=status,
    )


@review_area
def plan_detail(request, pk):
    plan = _plan(request, pk)
    if request.method != "POST":
        return _plan_page(request, plan)
    form = ScheduleForm(request.POST)
    if form.is_valid():
        try:
            review = services.review_schedule(
                actor=request.user,
                plan=plan,
                meeting_on=form.cleaned_data["meeting_on"],
                school=form.cleaned_data["school"],
                outcomes=form.outcome_lines(),
            )
        except ValidationError as exc:
            _add_service_errors(form, exc)
        except CaseError as exc:
            return _plan_page(
                request, plan, form=form, error_items=[{"text": exc.message}], status=409
            )
        else:
            messages.success(request, SCHEDULED.format(day=review.meeting_on))
            return redirect("reviews:review", pk=review.pk)
    return _plan_page(request, plan, form=form, error_items=_form_errors(form), status=400)


# --- A review ---------------------------------------------------------------------------------


def _review(request, pk) -> Review:
    try:
        return selectors.review_get(user=request.user, pk=pk)
    except Review.DoesNotExist as exc:
        raise Http404 from exc


def _review_page(request, review, *, forms=None, progress=None, error_items=None, status=200):
    forms = forms or {}
    steps = []
    letters_here = letters_written_here(review.plan)
    for name in services.available_transitions(review, request.user):
        form = forms.get(name) or StepForm(
            prefix=name,
            initial={"transition": name, "expected_status": review.status},
        )
        steps.append(
            {
                "name": name,
                "label": services.TRANSITIONS[name].label,
                "form": form,
                "fields": [form[f] for f in step_fields(name, letters_here=letters_here)],
            }
        )
    return render(
        request,
        "reviews/review_detail.html",
        {
            "review": review,
            "plan": review.plan,
            "steps": steps,
            "progress": progress or progress_form(review),
            "timeline": _timeline(review),
            "documents": selectors.review_documents(review),
            "letters_here": letters_here,
            "error_items": error_items or [],
            "today": _today(),
        },
        status=status,
    )


def _timeline(review: Review) -> list[dict]:
    """Each limit of the review with its due date and when it was met."""
    rows = [
        ("Invitations and advice sent", review.invitations_due, review.invitations_sent_on),
        ("Review meeting", review.meeting_on, review.meeting_held_on),
        ("Review report received", review.report_due, review.report_received_on),
        ("Decision sent to the family", review.decision_due, review.decision_letter_sent_on),
    ]
    if review.decision == "A" or review.amendments_proposed_on:
        rows.append(("Amended plan issued", review.amended_plan_due, review.amended_plan_issued_on))
    return [
        {
            "label": label,
            "due": due,
            "done": done,
            "late": bool(done and due and done > due) or bool(not done and due < _today()),
        }
        for label, due, done in rows
    ]


@review_area
def review_detail(request, pk):
    return _review_page(request, _review(request, pk))


@require_POST
@review_area
def review_step(request, pk):
    review = _review(request, pk)
    name = request.POST.get("step", "")
    if name not in services.TRANSITIONS:
        raise Http404
    form = StepForm(request.POST, prefix=name)
    if not form.is_valid():
        return _review_page(
            request, review, forms={name: form}, error_items=_form_errors(form), status=400
        )
    try:
        services.review_transition(
            actor=request.user,
            review=review,
            transition=name,
            effective_date=form.cleaned_data["effective_date"],
            details=form.details(),
            expected_status=form.cleaned_data["expected_status"],
        )
    except ValidationError as exc:
        _add_service_errors(form, exc)
        return _review_page(
            request, review, forms={name: form}, error_items=_form_errors(form), status=400
        )
    except CaseForbiddenError as exc:
        raise PermissionDenied(exc.message) from exc
    except CaseError as exc:
        review = _review(request, pk)
        return _review_page(request, review, error_items=[{"text": exc.message}], status=409)
    messages.success(request, STEP_DONE.format(label=services.TRANSITIONS[name].label))
    return redirect("reviews:review", pk=pk)


@require_POST
@review_area
def review_progress(request, pk):
    review = _review(request, pk)
    form = progress_form(review, data=request.POST)
    if not form.is_valid():
        return _review_page(
            request, review, progress=form, error_items=_form_errors(form), status=400
        )
    data = form.cleaned_data
    progress = {
        outcome.pk: (data[f"progress_{outcome.pk}"], data[f"evidence_{outcome.pk}"])
        for outcome in review.outcomes.all()
    }
    services.review_record_progress(
        actor=request.user,
        review=review,
        progress=progress,
        contribution={
            name: data[name]
            for name in (
                "child_views_given",
                "child_attended",
                "preparing_for_adulthood_considered",
            )
        },
    )
    messages.success(request, PROGRESS_SAVED)
    return redirect("reviews:review", pk=pk)


# --- Import of existing plans -----------------------------------------------------------------


@login_required
def plan_import_page(request):
    """Managers import the plans they already maintain: the same checks as `import_plans`."""
    if not may_see_reports(request.user):
        raise PermissionDenied
    bound = request.method == "POST"
    form = PlanImportForm(request.POST if bound else None, request.FILES if bound else None)
    row_errors, error_items = [], []
    if bound and form.is_valid():
        today = _today()
        dry_run = form.cleaned_data["dry_run"]
        try:
            result = plans_import(
                plans=read_plans(form.cleaned_data["plans"].read(), today=today),
                today=today,
                actor_username=request.user.get_username(),
                dry_run=dry_run,
            )
        except PlanImportError as exc:
            row_errors = exc.errors
            error_items = [{"text": NOTHING_IMPORTED.format(count=len(exc.errors))}] + [
                {"text": str(error), "href": "#import-errors"} for error in exc.errors
            ]
        else:
            template = DRY_RUN_OK if dry_run else IMPORTED
            messages.success(
                request, template.format(plans=result.plans, children=result.children_created)
            )
            return redirect("reviews:import")
    elif form.errors:
        error_items = _form_errors(form)
    return render(
        request,
        "reviews/plan_import.html",
        {
            "form": form,
            "row_errors": row_errors,
            "error_items": error_items,
            "columns": COLUMNS,
            "required_columns": REQUIRED_COLUMNS,
        },
        status=400 if error_items else 200,
    )


# --- Measures -----------------------------------------------------------------------------------


@login_required
def measures_page(request):
    if not may_see_reports(request.user):
        raise PermissionDenied
    return render(
        request,
        "reviews/measures.html",
        {"measures": selectors.measures(_today()), "today": _today()},
    )


@login_required
def measure_reviews_page(request, key):
    if not may_see_reports(request.user):
        raise PermissionDenied
    if key not in selectors.MEASURE_LABELS:
        raise Http404
    today = _today()
    reviews = list(selectors.measure_reviews(key, today)[:500])
    rows = [
        {
            "review": review,
            "counted": None if key == "outcomes_achieved" else selectors.is_counted(key, review),
        }
        for review in reviews
    ]
    return render(
        request,
        "reviews/measure_reviews.html",
        {"key": key, "label": selectors.MEASURE_LABELS[key], "rows": rows, "today": today},
    )


# --- The school's review report (partner workspace) ------------------------------------------


@login_required
def school_inbox(request):
    reviews = list(selectors.school_reviews(user=request.user))
    return render(request, "reviews/school_inbox.html", {"reviews": reviews})


@login_required
def school_report(request, pk):
    """A school writes its review report (reg 20(7)). A review whose report another service
    was asked for does not exist for this user (404)."""
    try:
        review = selectors.school_reviews(user=request.user).get(pk=pk)
    except Review.DoesNotExist as exc:
        raise Http404 from exc
    form = ReportForm(request.POST or None)
    error_items = []
    if request.method == "POST":
        if form.is_valid():
            try:
                services.review_transition(
                    actor=request.user,
                    review=review,
                    transition="receive_report",
                    details=form.cleaned_data,
                    expected_status=review.status,
                )
            except ValidationError as exc:
                _add_service_errors(form, exc)
            except CaseError as exc:
                error_items = [{"text": exc.message}]
            else:
                messages.success(request, REPORT_SENT)
                return redirect("reviews:school")
        error_items = error_items or _form_errors(form)
    return render(
        request,
        "reviews/school_report.html",
        {"review": review, "form": form, "error_items": error_items},
        status=400 if error_items else 200,
    )
