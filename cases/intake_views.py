"""The "Log a request" pages (section 10): GOV.UK question pages, then "Check your answers",
then a confirmation with the case reference. The answers are kept in the session until the
request is logged; each page first checks the steps before it are done, so the match step
cannot be skipped by posting straight to a later page (it redirects back with a notice)."""

from __future__ import annotations

import datetime

from django.contrib.auth import get_user_model
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
from .models import Child, ContactMethod, ParentCarer, PrimaryNeed, RequestSource
from .roles import may_change_case
from .views import _form_errors, case_area

SESSION_KEY = "intake"
LOGGED_KEY = "intake_logged"
NOTICE_KEY = "intake_notice"
NEW_CHILD = "new"

#: The steps in order, and what each page says when a later page is opened too early.
STEPS = ("find", "matches", "child", "family", "request", "check")
STEP_NOTICES = {
    "find": "Find the child first: search by their name and date of birth.",
    "matches": "Say whether this is a child we already know before you go on.",
    "child": "Check the child's details first.",
    "family": "Add the people with parental responsibility first.",
    "request": "Enter the details of the request first.",
}
NEW_MATCHES_NOTICE = (
    "The details you entered look like a child we already know. Say whether it is the same "
    "child before you go on."
)
AT_LEAST_ONE_PERSON = "Add at least one person with parental responsibility"
CHILD_FIELDS_SHOWN = ("home_local_authority", "current_setting", "current_setting_urn")


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


# --- The answers in the session --------------------------------------------------------------


def _state(request) -> dict:
    return dict(request.session.get(SESSION_KEY) or {})


def _save(request, state: dict) -> None:
    request.session[SESSION_KEY] = state


def _date(value: str | None) -> datetime.date | None:
    return datetime.date.fromisoformat(value) if value else None


def _iso(data: dict) -> dict:
    return {k: v.isoformat() if isinstance(v, datetime.date) else v for k, v in data.items()}


def _first_missing(state: dict) -> str | None:
    if not state.get("search"):
        return "find"
    if state.get("decision") is None:
        return "matches"
    if not state.get("child_done"):
        return "child"
    if not state.get("family_done"):
        return "family"
    if not state.get("request"):
        return "request"
    return None


def _too_early(request, state: dict, step: str):
    """A redirect to the first step not yet done, if it comes before `step`."""
    missing = _first_missing(state)
    if missing is not None and STEPS.index(missing) < STEPS.index(step):
        request.session[NOTICE_KEY] = STEP_NOTICES[missing]
        return redirect(f"cases:intake-{missing}")
    return None


def _page(request, template, context, *, status=200, back=None):
    context = {
        "notice": request.session.pop(NOTICE_KEY, None),
        "back_url": back or reverse("cases:list"),
        **context,
    }
    return render(request, f"cases/intake/{template}", context, status=status)


def _search(state: dict) -> dict:
    search = state["search"]
    return {
        "first_name": search["first_name"],
        "last_name": search["last_name"],
        "date_of_birth": _date(search["date_of_birth"]),
        "upn": search.get("upn", ""),
    }


def _matches(details: dict):
    return selectors.possible_duplicate_children(
        first_name=details["first_name"],
        last_name=details["last_name"],
        date_of_birth=details["date_of_birth"],
        upn=details.get("upn", ""),
    )


def _known_child(state: dict) -> Child | None:
    decision = state.get("decision")
    if not isinstance(decision, int):
        return None
    child = Child.objects.not_restricted().filter(pk=decision).first()
    if child is None:
        raise Http404("No such child.")
    return child


# --- The pages -------------------------------------------------------------------------------


@logging_requests
def intake_start(request):
    """A fresh start: forget any earlier answers."""
    request.session.pop(SESSION_KEY, None)
    return redirect("cases:intake-find")


@logging_requests
def intake_find(request):
    state = _state(request)
    if request.method == "POST":
        form = FindChildForm(request.POST)
        if form.is_valid():
            search = _iso(form.cleaned_data)
            if search != state.get("search"):
                state = {"search": search}  # a new search: every later answer goes
            matches = _matches(form.cleaned_data)
            state["matches_shown"] = [match.child.pk for match in matches]
            if not matches:
                state.update(decision=NEW_CHILD, acknowledged=[])
                _save(request, state)
                return redirect("cases:intake-child")
            _save(request, state)
            return redirect("cases:intake-matches")
        return _page(
            request, "find.html", {"form": form, "error_items": _form_errors(form)}, status=400
        )
    initial = _search(state) if state.get("search") else None
    return _page(request, "find.html", {"form": FindChildForm(initial=initial)})


@logging_requests
def intake_matches(request):
    state = _state(request)
    early = _too_early(request, state, "matches")
    if early:
        return early
    matches = _matches(_search(state))
    ids = [match.child.pk for match in matches]
    if not matches:
        state.update(matches_shown=[], decision=NEW_CHILD, acknowledged=[])
        _save(request, state)
        return redirect("cases:intake-child")
    form = MatchForm(request.POST if request.method == "POST" else None, match_ids=ids)
    if request.method == "POST" and form.is_valid():
        choice = form.cleaned_data["choice"]
        decision = intake.DIFFERENT_CHILD if choice == DIFFERENT_CHILD_CHOICE else int(choice)
        if decision != state.get("decision"):
            for key in ("child", "child_done", "people", "family_done"):
                state.pop(key, None)
        state.update(matches_shown=ids, decision=decision, acknowledged=ids)
        _save(request, state)
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
            "search": _search(state),
            "error_items": _form_errors(form) if form.is_bound else [],
        },
        status=400 if form.is_bound else 200,
        back=reverse("cases:intake-find"),
    )


def _unacknowledged(state: dict, details: dict) -> list[int]:
    """Children who look like these details and the caseworker has not yet answered for."""
    acknowledged = set(state.get("acknowledged") or [])
    return [match.child.pk for match in _matches(details) if match.child.pk not in acknowledged]


def _back_to_matches(request, state: dict, details: dict):
    state = {"search": _iso({k: details.get(k, "") for k in FindChildForm.base_fields})}
    _save(request, state)
    request.session[NOTICE_KEY] = NEW_MATCHES_NOTICE
    return redirect("cases:intake-matches")


@logging_requests
def intake_child(request):
    state = _state(request)
    early = _too_early(request, state, "child")
    if early:
        return early
    back = reverse("cases:intake-matches" if state.get("matches_shown") else "cases:intake-find")
    known = _known_child(state)
    if known is not None:
        if request.method == "POST":
            state["child_done"] = True
            _save(request, state)
            return redirect("cases:intake-family")
        people = list(known.parent_carers.order_by("-has_parental_responsibility", "name"))
        return _page(request, "child_known.html", {"child": known, "people": people}, back=back)
    if request.method == "POST":
        form = ChildDetailsForm(request.POST)
        if form.is_valid():
            details = form.cleaned_data
            if _unacknowledged(state, details):
                return _back_to_matches(request, state, details)
            state.update(child=_iso(details), child_done=True)
            _save(request, state)
            return redirect("cases:intake-family")
        return _page(
            request,
            "child_new.html",
            {"form": form, "error_items": _form_errors(form)},
            status=400,
            back=back,
        )
    initial = dict(state.get("child") or _search(state))
    if "in_year_9_or_above" in initial:
        initial["in_year_9_or_above"] = "yes" if initial["in_year_9_or_above"] else "no"
    if initial.get("date_of_birth"):
        initial["date_of_birth"] = _date(str(initial["date_of_birth"]))
    return _page(request, "child_new.html", {"form": ChildDetailsForm(initial=initial)}, back=back)


def _people_rows(people: list[dict]) -> list[dict]:
    methods = dict(ContactMethod.choices)
    return [
        {**person, "index": index, "method_label": methods.get(person["preferred_contact_method"])}
        for index, person in enumerate(people)
    ]


@logging_requests
def intake_family(request):
    state = _state(request)
    early = _too_early(request, state, "family")
    if early:
        return early
    known = _known_child(state)
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
            _save(request, state)
            return redirect("cases:intake-request")
        form.add_error("add_another", AT_LEAST_ONE_PERSON)
    return _page(
        request,
        "family.html",
        {
            "form": form,
            "people": _people_rows(people),
            "existing": existing,
            "child_name": _child_name(state, known),
            "error_items": _form_errors(form) if form.is_bound else [],
        },
        status=400 if form.is_bound else 200,
        back=reverse("cases:intake-child"),
    )


def _child_name(state: dict, known: Child | None) -> str:
    if known is not None:
        return known.full_name
    details = state.get("child") or state.get("search") or {}
    return f"{details.get('first_name', '')} {details.get('last_name', '')}".strip()


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
    state = _state(request)
    early = _too_early(request, state, "family")
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
                _save(request, state)
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
            "child_name": _child_name(state, _known_child(state)),
        },
        back=reverse("cases:intake-family" if people else "cases:intake-child"),
    )


@require_POST
@logging_requests
def intake_family_remove(request, index: int):
    state = _state(request)
    people = list(state.get("people") or [])
    if not 0 <= index < len(people):
        raise Http404("No such person.")
    people.pop(index)
    state.update(people=people, family_done=False)
    _save(request, state)
    return redirect("cases:intake-family")


@logging_requests
def intake_request(request):
    state = _state(request)
    early = _too_early(request, state, "request")
    if early:
        return early
    if request.method == "POST":
        form = RequestDetailsForm(request.POST)
        if form.is_valid():
            if form.cleaned_data["received_on"] > timezone.localdate():
                form.add_error("received_on", errors.RECEIVED_IN_FUTURE)
            else:
                state["request"] = _iso(form.cleaned_data)
                _save(request, state)
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
            "received_on": _date(answers["received_on"]),
            "evidence_deadline": _date(answers.get("evidence_deadline")),
        }
    else:
        initial = {"received_on": timezone.localdate(), "caseworker": str(request.user.pk)}
    form = RequestDetailsForm(initial=initial)
    return _page(request, "request.html", {"form": form}, back=reverse("cases:intake-family"))


def _request_arguments(state: dict) -> dict:
    answers = state["request"]
    caseworker = None
    if answers.get("caseworker"):
        caseworker = get_user_model().objects.filter(pk=answers["caseworker"]).first()
    return {
        "received_on": _date(answers["received_on"]),
        "request_source": int(answers["request_source"]),
        "primary_need": answers["primary_need"],
        "secondary_needs": answers.get("secondary_needs") or [],
        "evidence_deadline": _date(answers.get("evidence_deadline")),
        "caseworker": caseworker,
    }


def _new_child(state: dict) -> dict:
    details = dict(state["child"])
    details["date_of_birth"] = _date(details["date_of_birth"])
    return details


def _people(state: dict) -> list[dict]:
    return [dict(person) for person in state.get("people") or []]


@logging_requests
def intake_check(request):
    state = _state(request)
    early = _too_early(request, state, "check")
    if early:
        return early
    known = _known_child(state)
    arguments = _request_arguments(state)
    if known is None:
        details = _new_child(state)
        if _unacknowledged(state, details):
            return _back_to_matches(request, state, details)
    error_items = []
    if request.method == "POST":
        try:
            case = intake.request_log(
                actor=request.user,
                new_child=_search(state) if known is not None else _new_child(state),
                duplicate_decision=None if state["decision"] == NEW_CHILD else state["decision"],
                parent_carers=_people(state),
                **arguments,
            )
        except errors.DuplicateDecisionRequired:
            details = _search(state) if known is not None else _new_child(state)
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
            "child": known or _new_child(state),
            "people": _people_rows(_people(state)),
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
