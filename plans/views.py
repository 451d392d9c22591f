"""The plan pages (GOV.UK Design System) under /plans/: the plan editor, its sections and
items, drafting from the advice, the quality check, versions (page, PDF, differences), the
family's comments, consultations, and the letters (a case's, the unsent queue, the print
batch). Thin: the same selectors and services as the API."""

from __future__ import annotations

from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from cases import selectors as case_selectors
from cases.errors import CaseError

from . import deadlines, documents, forms, letters, selectors, services
from .access import may_work_on_plans
from .models import CommentAnswer, VersionKind
from .quality import quality_check
from .render import document_context, plan_snapshot, versions_diff


def plan_area(view):
    """Signed in as a caseworker or manager (section 8); the case by reference (404 outside
    the user's cases)."""

    @login_required
    @wraps(view)
    def wrapper(request, reference=None, *args, **kwargs):
        if not may_work_on_plans(request.user):
            raise PermissionDenied
        if reference is None:
            return view(request, *args, **kwargs)
        case = case_selectors.case_get(
            user=request.user, reference=reference, today=timezone.localdate()
        )
        return view(request, case, *args, **kwargs)

    return wrapper


def _errors(form) -> list[dict]:
    items = []
    for name, field_errors in form.errors.items():
        anchor = ""
        if name in form.fields:
            anchor = form[name].auto_id
            if isinstance(form.fields[name], forms.GovukDateField):
                anchor = f"{anchor}_0"
        for message in field_errors:
            items.append({"text": message, "href": f"#{anchor}" if anchor else ""})
    return items


def _service_errors(form, exc: ValidationError) -> None:
    for field, field_messages in exc.message_dict.items():
        for message in field_messages:
            form.add_error(field if field in form.fields else None, message)


def _plan_url(case) -> str:
    return reverse("plans:plan", args=[case.reference])


def _form_page(request, case, form, *, title, intro="", button="Save", status=200, back=None):
    return render(
        request,
        "plans/form_page.html",
        {
            "case": case,
            "form": form,
            "title": title,
            "intro": intro,
            "button": button,
            "back": back or _plan_url(case),
            "error_items": _errors(form) if form.is_bound else [],
        },
        status=status,
    )


def _run(request, case, form, action, *, title, success, next=None, **page):  # noqa: A002
    """Validate the form, call the service, redirect to the plan; or show the errors."""
    if request.method == "POST" and form.is_valid():
        try:
            action(form.cleaned_data)
        except ValidationError as exc:
            _service_errors(form, exc)
        except CaseError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, success)
            return redirect(next or _plan_url(case))
    status = 400 if request.method == "POST" else 200
    return _form_page(request, case, form, title=title, status=status, **page)


@plan_area
def plan_page(request, case):
    """The plan editor: the sections as the family will read them, what to do next."""
    plan = selectors.plan_of(case)
    context = {"case": case, "plan": plan, "today": timezone.localdate()}
    if plan is not None:
        editable = case.status in services.EDITABLE_STATUSES or plan.amendment_opened_on is not None
        if editable:
            # The working copy as the family will read it (while a review amends the plan, as
            # the amendments being proposed). A plan that can no longer change has only its
            # issued versions, listed with the rest.
            working = VersionKind.AMENDMENTS if plan.amendment_opened_on else "working"
            snapshot = plan_snapshot(
                plan, kind=working, number=services.next_version_number(plan), issued_on=None
            )
            context["document"] = document_context(snapshot)
        context |= {
            "editable": editable,
            "needs": list(plan.needs.all()),
            "outcomes": list(plan.outcomes.all()),
            "provision": list(plan.provision.all()),
            "advice_listed": list(plan.advice_listed.all()),
            "versions": list(selectors.plan_versions(plan)),
            "comments": list(selectors.plan_comments(plan)),
            "consultations": list(selectors.plan_consultations(plan)),
            "submissions": list(selectors.case_submissions(case)),
            "draft": services.latest_draft(plan),
        }
        if context["draft"] is not None:
            context["comments_due"] = deadlines.comments_due(context["draft"].issued_on)
            context["final_from"] = deadlines.final_plan_possible_from(context["draft"].issued_on)
    context["letters"] = list(selectors.case_letters(case))
    return render(request, "plans/plan.html", context)


@require_POST
@plan_area
def plan_start(request, case):
    try:
        services.plan_start(actor=request.user, case=case)
    except CaseError as exc:
        raise PermissionDenied(exc.message) from exc
    messages.success(request, "Plan started. Section K lists the advice submitted so far.")
    return redirect(_plan_url(case))


@plan_area
def plan_sections(request, case):
    plan = selectors.plan_or_404(case)
    initial = {name: getattr(plan, name) for name in services.PLAN_TEXT_FIELDS}
    form = forms.SectionsForm(request.POST or None, initial=initial)
    return _run(
        request,
        case,
        form,
        lambda data: services.plan_update(actor=request.user, plan=plan, data=data),
        title="Sections A, C, D, I and J",
        success="Sections saved.",
    )


ITEM_FORMS = {
    "need": (forms.NeedForm, "need"),
    "outcome": (forms.OutcomeForm, "outcome"),
    "provision": (forms.ProvisionForm, "provision"),
}


def _save_item(kind, *, actor, plan, data, item_id):
    """The form's answers as the service takes them (links and source as ids)."""
    values = {
        name: [obj.pk for obj in value] if name in ("outcomes", "provision", "needs") else value
        for name, value in data.items()
    }
    if values.get("source") is not None:
        values["source"] = values["source"].pk
    return services.plan_item_save(actor=actor, plan=plan, kind=kind, data=values, item_id=item_id)


@plan_area
def plan_item(request, case, kind, item_id=None):
    """Add or change a need (B), an outcome (E) or a provision entry (F to H2)."""
    if kind not in ITEM_FORMS:
        raise PermissionDenied
    plan = selectors.plan_or_404(case)
    form_class, word = ITEM_FORMS[kind]
    item = None if item_id is None else selectors.plan_item_or_404(plan, kind, item_id)
    initial = services.item_values(kind, item) if item else {}
    # Drafting from the advice: a summary line offered as a starting point, its source kept.
    if item is None and request.GET.get("from"):
        initial |= {
            ("what" if kind == "provision" else "text"): request.GET.get("text", ""),
            "source": request.GET.get("from"),
        }
    form = form_class(
        request.POST or None,
        initial=initial,
        plan=plan,
        submissions=selectors.case_submissions(case),
    )
    verb = "Change" if item else "Add"
    return _run(
        request,
        case,
        form,
        lambda data: _save_item(kind, actor=request.user, plan=plan, data=data, item_id=item_id),
        title=f"{verb} {'the ' if item else '' if kind == 'provision' else 'a '}{word}",
        success=f"The {word} is saved.",
        next=f"{_plan_url(case)}#{kind}s",
    )


@require_POST
@plan_area
def plan_item_delete(request, case, kind, item_id):
    plan = selectors.plan_or_404(case)
    try:
        services.plan_item_delete(actor=request.user, plan=plan, kind=kind, item_id=item_id)
    except ValidationError as exc:
        messages.error(request, " ".join(m for ms in exc.message_dict.values() for m in ms))
    else:
        messages.success(request, "Removed from the plan.")
    return redirect(_plan_url(case))


@plan_area
def plan_advice_listed(request, case):
    """Section K: add advice or information not recorded as the case's advice."""
    plan = selectors.plan_or_404(case)
    form = forms.AdviceListedForm(request.POST or None)
    return _run(
        request,
        case,
        form,
        lambda data: services.advice_listed_save(actor=request.user, plan=plan, **data),
        title="Add to section K",
        success="Section K updated.",
    )


@plan_area
def plan_from_advice(request, case):
    """Drafting from the advice: each submitted summary's needs, outcomes and provision, line by
    line, offered as starting points (the source is kept when one is used)."""
    plan = selectors.plan_or_404(case)
    offers = []
    for submission in selectors.case_submissions(case):
        advice = submission.advice_request
        offers.append(
            {
                "submission": submission,
                "title": f"{advice.get_kind_display()} from "
                f"{advice.service.name if advice.service_id else 'the family'}",
                "groups": [
                    (
                        kind,
                        label,
                        [line.strip(" -•\t") for line in text.splitlines() if line.strip(" -•\t")],
                    )
                    for kind, label, text in (
                        ("need", "Needs", submission.needs),
                        ("outcome", "Outcomes sought", submission.outcomes_sought),
                        ("provision", "Provision", submission.provision),
                    )
                ],
            }
        )
    return render(request, "plans/from_advice.html", {"case": case, "plan": plan, "offers": offers})


@plan_area
def plan_quality(request, case):
    plan = selectors.plan_or_404(case)
    findings = quality_check(plan, draft=not plan.versions.exists() or case.status == "drafting")
    return render(request, "plans/quality.html", {"case": case, "plan": plan, "findings": findings})


@plan_area
def version_page(request, case, number):
    plan = selectors.plan_or_404(case)
    version = selectors.version_get(plan, number)
    return render(
        request,
        "plans/version.html",
        {
            "case": case,
            "plan": plan,
            "version": version,
            "document": document_context(version.snapshot),
            "versions": list(selectors.plan_versions(plan)),
        },
    )


def _pdf(data: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(bytes(data), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


@plan_area
def version_pdf(request, case, number):
    plan = selectors.plan_or_404(case)
    version = selectors.version_get(plan, number)
    kind = {
        VersionKind.DRAFT: "draft",
        VersionKind.AMENDMENTS: "proposed-amendments",
        VersionKind.AMENDED: "amended",
    }.get(version.kind, "final")
    return _pdf(
        documents.version_pdf(version), f"{case.reference}-{kind}-plan-v{version.number}.pdf"
    )


@plan_area
def versions_compare(request, case):
    plan = selectors.plan_or_404(case)
    versions = list(plan.versions.order_by("number"))
    if len(versions) < 2:  # noqa: PLR2004
        return render(
            request, "plans/diff.html", {"case": case, "versions": versions, "diff": None}
        )
    numbers = [v.number for v in versions]
    try:
        before_n = int(request.GET.get("from", numbers[-2]))
        after_n = int(request.GET.get("to", numbers[-1]))
    except ValueError:
        before_n, after_n = numbers[-2], numbers[-1]
    by_number = {v.number: v for v in versions}
    before = by_number.get(before_n, versions[-2])
    after = by_number.get(after_n, versions[-1])
    return render(
        request,
        "plans/diff.html",
        {
            "case": case,
            "versions": versions,
            "before": before,
            "after": after,
            "diff": versions_diff(before.snapshot, after.snapshot),
        },
    )


@plan_area
def comment_new(request, case):
    plan = selectors.plan_or_404(case)
    form = forms.CommentForm(
        request.POST or None, initial={"kind": "comment", "received_on": timezone.localdate()}
    )
    return _run(
        request,
        case,
        form,
        lambda data: services.comment_record(actor=request.user, plan=plan, **data),
        title="Record what the family said about the draft",
        intro=(
            "Comments, a request for a meeting, or the school or college they ask for. "
            "Each is answered before the final plan."
        ),
        success="Recorded. Answer it before the final plan is issued.",
        next=f"{_plan_url(case)}#comments",
    )


@plan_area
def comment_answer(request, case, comment_id):
    plan = selectors.plan_or_404(case)
    comment = selectors.comment_get(plan, comment_id)
    form = forms.AnswerForm(request.POST or None)
    return _run(
        request,
        case,
        form,
        lambda data: services.comment_answer(actor=request.user, comment=comment, **data),
        title="Answer the family's comment",
        intro=f"Section {comment.section}: \u201c{comment.text}\u201d",
        success="Answer recorded.",
        next=f"{_plan_url(case)}#comments",
    )


@plan_area
def consultation_new(request, case):
    plan = selectors.plan_or_404(case)
    form = forms.ConsultationForm(request.POST or None, initial={"sent_on": timezone.localdate()})
    return _run(
        request,
        case,
        form,
        lambda data: services.consultation_send(actor=request.user, plan=plan, **data),
        title="Consult a school or college",
        intro=(
            "Send the draft plan to the school or college. "
            "It has 15 days to say whether it can meet the needs."
        ),
        success="Consultation recorded: the answer is due in 15 days.",
        next=f"{_plan_url(case)}#consultations",
    )


@plan_area
def consultation_response(request, case, consultation_id):
    plan = selectors.plan_or_404(case)
    consultation = selectors.consultation_get(plan, consultation_id)
    form = forms.ResponseForm(request.POST or None)
    return _run(
        request,
        case,
        form,
        lambda data: services.consultation_respond(
            actor=request.user, consultation=consultation, **data
        ),
        title=f"Record the answer from {consultation.setting_name}",
        success="Answer recorded.",
        next=f"{_plan_url(case)}#consultations",
    )


@require_POST
@plan_area
def consultation_chase(request, case, consultation_id):
    plan = selectors.plan_or_404(case)
    consultation = selectors.consultation_get(plan, consultation_id)
    try:
        services.consultation_chase(actor=request.user, consultation=consultation)
    except ValidationError as exc:
        messages.error(request, " ".join(m for ms in exc.message_dict.values() for m in ms))
    else:
        messages.success(request, f"Chase of {consultation.setting_name} recorded.")
    return redirect(f"{_plan_url(case)}#consultations")


# --- Letters -------------------------------------------------------------------------------


@plan_area
def letter_queue(request):
    """Unsent letters, the oldest due first; posted ones can be printed as one batch."""
    today = timezone.localdate()
    rows = [
        {"letter": letter, "late": letter.notice.letter_due_on < today}
        for letter in selectors.unsent_letters()[:500]
    ]
    return render(
        request,
        "plans/letter_queue.html",
        {
            "rows": rows,
            "today": today,
            "posted": sum(1 for row in rows if row["letter"].preferred_method != "email"),
        },
    )


@plan_area
def letter_pdf(request, letter_id):
    letter = selectors.letter_get(letter_id)
    return _pdf(documents.letter_pdf(letter), f"{letter.case.reference}-letter-{letter.pk}.pdf")


@plan_area
def letter_sent(request, letter_id):
    letter = selectors.letter_get(letter_id)
    form = forms.LetterSentForm(
        request.POST or None,
        initial={
            "sent_on": timezone.localdate(),
            "method": letter.preferred_method
            if letter.preferred_method in ("email", "post")
            else "post",
        },
    )
    return _run(
        request,
        letter.case,
        form,
        lambda data: letters.letter_mark_sent(actor=request.user, letter=letter, **data),
        title=f"Mark the letter to {letter.recipient_name} as sent",
        intro=(
            f"{letter.subject}. "
            "The date it was sent is the date the family was told of the decision."
        ),
        success="Letter marked as sent.",
        next=reverse("plans:letter-queue"),
        back=reverse("plans:letter-queue"),
    )


@plan_area
def letter_print_batch(request):
    """Every unsent letter for posting, as one PDF to print."""
    batch = [
        letter
        for letter in selectors.unsent_letters().defer(None)
        if letter.preferred_method != "email"
    ]
    if not batch:
        messages.error(request, "There are no letters waiting to be posted.")
        return redirect("plans:letter-queue")
    return _pdf(
        letters.print_batch_pdf(batch), f"letters-to-post-{timezone.localdate():%Y-%m-%d}.pdf"
    )


__all__ = ["CommentAnswer"]
