"""The "Log a request" pages (section 10): GOV.UK question pages, then "Check your answers",
then a confirmation with the case reference. The answers are kept in the session until the
request is logged; each page first checks the steps before it are done, so the match step
cannot be skipped by posting straight to a later page (it redirects back with a notice)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from . import errors, intake, selectors
from .intake_forms import (
    DIFFERENT_CHILD_CHOICE,
    AddAnotherForm,
    ChildDetailsForm,
    FindChildForm,
    MatchForm,
    ParentCarerForm,
    RequestDetailsForm,
)
from .intake_session import (
    LOGGED_KEY,
    NEW_CHILD,
    NOTICE_KEY,
    SESSION_KEY,
    child_name_of,
    isoformat_dates,
    known_child,
    new_child_details,
    parse_date,
    people_added,
    possible_matches,
    request_arguments,
    search_details,
    state_get,
    state_save,
    too_early,
    unacknowledged_matches,
)
from .models import Child, ContactMethod, ParentCarer, PrimaryNeed, RequestSource
from .roles import may_change_case
from .views import _form_errors, case_area

NEW_MATCHES_NOTICE = (
    "The details you entered look like a child we already know. Say whether it is the same "
    "child before you go on."
)
AT_LEAST_ONE_PERSON = "Add at least one person with parental responsibility"


def logging_requests(view):
    """The case area, and only caseworkers and managers log requests (section 8)."""

    @case_area
    def wrapper(request, *args, **kwargs):
        if not may_change_case(None, request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    wrapper.__name__ = view.__name__
    wrapper.__doc__ = view.__doc__
    return wrapper


def _page(request, template, context, *, status=200, back=None):
    context = {
        "notice": request.session.pop(NOTICE_KEY, None),
        "back_url": back or reverse("cases:list"),
        **context,
    }
    return render(request, f"cases/intake/{template}", context, status=status)


# --- The pages -------------------------------------------------------------------------------


@logging_requests
def intake_start(request):
    """A fresh start: forget any earlier answers."""
    request.session.pop(SESSION_KEY, None)
    return redirect("cases:intake-find")


@logging_requests
def intake_find(request):
    state = state_get(request)
    if request.method == "POST":
        form = FindChildForm(request.POST)
        if form.is_valid():
            search = isoformat_dates(form.cleaned_data)
            if search != state.get("search"):
                state = {"search": search}  # a new search: every later answer goes
            matches = possible_matches(form.cleaned_data)
            state["matches_shown"] = [match.child.pk for match in matches]
            if not matches:
                state.update(decision=NEW_CHILD, acknowledged=[])
                state_save(request, state)
                return redirect("cases:intake-child")
            state_save(request, state)
            return redirect("cases:intake-matches")
        return _page(
            request, "find.html", {"form": form, "error_items": _form_errors(form)}, status=400
        )
    initial = search_details(state) if state.get("search") else None
    return _page(request, "find.html", {"form": FindChildForm(initial=initial)})


@logging_requests
def intake_matches(request):
    state = state_get(request)
    early = too_early(request, state, "matches")
    if early:
        return early
    matches = possible_matches(search_details(state))
    ids = [match.child.pk for match in matches]
    if not matches:
        state.update(matches_shown=[], decision=NEW_CHILD, acknowledged=[])
        state_save(request, state)
        return redirect("cases:intake-child")
    form = MatchForm(request.POST if request.method == "POST" else None, match_ids=ids)
    if request.method == "POST" and form.is_valid():
        choice = form.cleaned_data["choice"]
        decision = intake.DIFFERENT_CHILD if choice == DIFFERENT_CHILD_CHOICE else int(choice)
        if decision != state.get("decision"):
            for key in ("child", "child_done", "people", "family_done"):
                state.pop(key, None)
        state.update(matches_shown=ids, decision=decision, acknowledged=ids)
        state_save(request, state)
        return redirect("cases:intake-child")
    if request.method != "POST" and state.get("decision") is not None:
        current = state["decision"]
        form = MatchForm(
            initial={
                "choice": DIFFERENT_CHILD_CHOICE if current == intake.DIFFERENT_CHILD else current
            },
            match_ids=ids,
        )
    cases = selectors.children_cases(child_ids=ids)
    rows = [{"match": match, "cases": cases[match.child.pk]} for match in matches]
    return _page(
        request,
        "matches.html",
        {
            "form": form,
            "rows": rows,
            "search": search_details(state),
            "error_items": _form_errors(form) if form.is_bound else [],
        },
        status=400 if form.is_bound else 200,
        back=reverse("cases:intake-find"),
    )


def _back_to_matches(request, state: dict, details: dict):
    state = {"search": isoformat_dates({k: details.get(k, "") for k in FindChildForm.base_fields})}
    state_save(request, state)
    request.session[NOTICE_KEY] = NEW_MATCHES_NOTICE
    return redirect("cases:intake-matches")


@logging_requests
def intake_child(request):
    state = state_get(request)
    early = too_early(request, state, "child")
    if early:
        return early
    back = reverse("cases:intake-matches" if state.get("matches_shown") else "cases:intake-find")
    known = known_child(state)
    if known is not None:
        if request.method == "POST":
            state["child_done"] = True
            state_save(request, state)
            return redirect("cases:intake-family")
        people = list(known.parent_carers.order_by("-has_parental_responsibility", "name"))
        return _page(request, "child_known.html", {"child": known, "people": people}, back=back)
    if request.method == "POST":
        form = ChildDetailsForm(request.POST)
        if form.is_valid():
            details = form.cleaned_data
            if unacknowledged_matches(state, details):
                return _back_to_matches(request, state, details)
            state.update(child=isoformat_dates(details), child_done=True)
            state_save(request, state)
            return redirect("cases:intake-family")
        return _page(
            request,
            "child_new.html",
            {"form": form, "error_items": _form_errors(form)},
            status=400,
            back=back,
        )
    initial = dict(state.get("child") or search_details(state))
    if "in_year_9_or_above" in initial:
        initial["in_year_9_or_above"] = "yes" if initial["in_year_9_or_above"] else "no"
    if initial.get("date_of_birth"):
        initial["date_of_birth"] = parse_date(str(initial["date_of_birth"]))
    return _page(request, "child_new.html", {"form": ChildDetailsForm(initial=initial)}, back=back)


def _people_rows(people: list[dict]) -> list[dict]:
    methods = dict(ContactMethod.choices)
    return [
        {**person, "index": index, "method_label": methods.get(person["preferred_contact_method"])}
        for index, person in enumerate(people)
    ]


@logging_requests
def intake_family(request):
    state = state_get(request)
    early = too_early(request, state, "family")
    if early:
        return early
    known = known_child(state)
    existing = (
        list(known.parent_carers.order_by("-has_parental_responsibility", "name")) if known else []
    )
    people = state.get("people") or []
    if not people and not existing and request.method != "POST":
        return redirect("cases:intake-family-add")
    form = AddAnotherForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        if form.cleaned_data["add_another"] == "yes":
            return redirect("cases:intake-family-add")
        if people or existing:
            state["family_done"] = True
            state_save(request, state)
            return redirect("cases:intake-request")
        form.add_error("add_another", AT_LEAST_ONE_PERSON)
    return _page(
        request,
        "family.html",
        {
            "form": form,
            "people": _people_rows(people),
            "existing": existing,
            "child_name": child_name_of(state, known),
            "error_items": _form_errors(form) if form.is_bound else [],
        },
        status=400 if form.is_bound else 200,
        back=reverse("cases:intake-child"),
    )


def _person_from(form: ParentCarerForm) -> dict | None:
    """The form's person, checked as the service will check them (one way to reach them by the
    means they prefer); None with the form's errors added when not."""
    person = ParentCarer(**form.cleaned_data)
    try:
        person.full_clean(exclude=["child"])
    except ValidationError as exc:
        for field, messages in exc.message_dict.items():
            for message in messages:
                form.add_error(field if field in form.fields else None, message)
        return None
    return dict(form.cleaned_data)


@logging_requests
def intake_family_person(request, index: int | None = None):
    """Add a person, or change one added earlier in this request."""
    state = state_get(request)
    early = too_early(request, state, "family")
    if early:
        return early
    people = list(state.get("people") or [])
    if index is not None and not 0 <= index < len(people):
        raise Http404("No such person.")
    if request.method == "POST":
        form = ParentCarerForm(request.POST)
        if form.is_valid():
            person = _person_from(form)
            if person is not None:
                if index is None:
                    people.append(person)
                else:
                    people[index] = person
                state.update(people=people, family_done=False)
                state_save(request, state)
                return redirect("cases:intake-family")
        return _page(
            request,
            "person.html",
            {"form": form, "error_items": _form_errors(form), "changing": index is not None},
            status=400,
            back=reverse("cases:intake-family"),
        )
    initial = ParentCarerForm.initial_from(people[index]) if index is not None else None
    return _page(
        request,
        "person.html",
        {
            "form": ParentCarerForm(initial=initial),
            "changing": index is not None,
            "child_name": child_name_of(state, known_child(state)),
        },
        back=reverse("cases:intake-family" if people else "cases:intake-child"),
    )


@require_POST
@logging_requests
def intake_family_remove(request, index: int):
    state = state_get(request)
    people = list(state.get("people") or [])
    if not 0 <= index < len(people):
        raise Http404("No such person.")
    people.pop(index)
    state.update(people=people, family_done=False)
    state_save(request, state)
    return redirect("cases:intake-family")


@logging_requests
def intake_request(request):
    state = state_get(request)
    early = too_early(request, state, "request")
    if early:
        return early
    if request.method == "POST":
        form = RequestDetailsForm(request.POST)
        if form.is_valid():
            if form.cleaned_data["received_on"] > timezone.localdate():
                form.add_error("received_on", errors.RECEIVED_IN_FUTURE)
            else:
                state["request"] = isoformat_dates(form.cleaned_data)
                state_save(request, state)
                return redirect("cases:intake-check")
        return _page(
            request,
            "request.html",
            {"form": form, "error_items": _form_errors(form)},
            status=400,
            back=reverse("cases:intake-family"),
        )
    answers = state.get("request")
    if answers:
        initial = {
            **answers,
            "received_on": parse_date(answers["received_on"]),
            "evidence_deadline": parse_date(answers.get("evidence_deadline")),
        }
    else:
        initial = {"received_on": timezone.localdate(), "caseworker": str(request.user.pk)}
    form = RequestDetailsForm(initial=initial)
    return _page(request, "request.html", {"form": form}, back=reverse("cases:intake-family"))


@logging_requests
def intake_check(request):
    state = state_get(request)
    early = too_early(request, state, "check")
    if early:
        return early
    known = known_child(state)
    arguments = request_arguments(state)
    if known is None:
        details = new_child_details(state)
        if unacknowledged_matches(state, details):
            return _back_to_matches(request, state, details)
    error_items = []
    if request.method == "POST":
        try:
            case = intake.request_log(
                actor=request.user,
                new_child=search_details(state) if known is not None else new_child_details(state),
                duplicate_decision=None if state["decision"] == NEW_CHILD else state["decision"],
                parent_carers=people_added(state),
                **arguments,
            )
        except errors.DuplicateDecisionRequired:
            details = search_details(state) if known is not None else new_child_details(state)
            return _back_to_matches(request, state, details)
        except ValidationError as exc:
            error_items = [{"text": message, "href": ""} for message in exc.messages]
        else:
            request.session.pop(SESSION_KEY, None)
            request.session[LOGGED_KEY] = case.reference
            return redirect("cases:intake-confirmation")
    refusal = (
        selectors.recent_assessment_refusal(child_id=known.pk, received_on=arguments["received_on"])
        if known is not None
        else None
    )
    return _page(
        request,
        "check.html",
        {
            "state": state,
            "known": known,
            "child": known or new_child_details(state),
            "people": _people_rows(people_added(state)),
            "existing": list(known.parent_carers.all()) if known else [],
            "answers": arguments,
            "source_label": RequestSource(arguments["request_source"]).label,
            "primary_label": PrimaryNeed(arguments["primary_need"]).label,
            "secondary_labels": [PrimaryNeed(code).label for code in arguments["secondary_needs"]],
            "acknowledged": Child.objects.filter(pk__in=state.get("acknowledged") or []).order_by(
                "last_name", "first_name"
            ),
            "refusal": refusal,
            "error_items": error_items,
        },
        status=400 if error_items else 200,
        back=reverse("cases:intake-request"),
    )


@logging_requests
def intake_confirmation(request):
    reference = request.session.get(LOGGED_KEY)
    if not reference:
        return redirect("cases:intake-start")
    case = selectors.case_get(user=request.user, reference=reference, today=timezone.localdate())
    return render(request, "cases/intake/confirmation.html", {"case": case})
