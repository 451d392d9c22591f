"""The answers of the "Log a request" pages, kept in the session until the request is logged
(section 10), and what the pages need to read from them. Dates are kept as ISO strings (the
session is JSON)."""

from __future__ import annotations

import datetime

from django.contrib.auth import get_user_model
from django.http import Http404
from django.shortcuts import redirect

from . import selectors
from .models import Child

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


def state_get(request) -> dict:
    return dict(request.session.get(SESSION_KEY) or {})


def state_save(request, state: dict) -> None:
    request.session[SESSION_KEY] = state


def parse_date(value: str | None) -> datetime.date | None:
    return datetime.date.fromisoformat(value) if value else None


def isoformat_dates(data: dict) -> dict:
    return {k: v.isoformat() if isinstance(v, datetime.date) else v for k, v in data.items()}


def first_missing(state: dict) -> str | None:
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


def too_early(request, state: dict, step: str):
    """A redirect to the first step not yet done, if it comes before `step`."""
    missing = first_missing(state)
    if missing is not None and STEPS.index(missing) < STEPS.index(step):
        request.session[NOTICE_KEY] = STEP_NOTICES[missing]
        return redirect(f"cases:intake-{missing}")
    return None


def search_details(state: dict) -> dict:
    search = state["search"]
    return {
        "first_name": search["first_name"],
        "last_name": search["last_name"],
        "date_of_birth": parse_date(search["date_of_birth"]),
        "upn": search.get("upn", ""),
    }


def possible_matches(details: dict):
    return selectors.possible_duplicate_children(
        first_name=details["first_name"],
        last_name=details["last_name"],
        date_of_birth=details["date_of_birth"],
        upn=details.get("upn", ""),
    )


def known_child(state: dict) -> Child | None:
    decision = state.get("decision")
    if not isinstance(decision, int):
        return None
    child = Child.objects.not_restricted().filter(pk=decision).first()
    if child is None:
        raise Http404("No such child.")
    return child


def unacknowledged_matches(state: dict, details: dict) -> list[int]:
    """Children who look like these details and the caseworker has not yet answered for."""
    acknowledged = set(state.get("acknowledged") or [])
    return [
        match.child.pk for match in possible_matches(details) if match.child.pk not in acknowledged
    ]


def child_name_of(state: dict, known: Child | None) -> str:
    if known is not None:
        return known.full_name
    details = state.get("child") or state.get("search") or {}
    return f"{details.get('first_name', '')} {details.get('last_name', '')}".strip()


def request_arguments(state: dict) -> dict:
    answers = state["request"]
    caseworker = None
    if answers.get("caseworker"):
        caseworker = get_user_model().objects.filter(pk=answers["caseworker"]).first()
    return {
        "received_on": parse_date(answers["received_on"]),
        "request_source": int(answers["request_source"]),
        "primary_need": answers["primary_need"],
        "secondary_needs": answers.get("secondary_needs") or [],
        "evidence_deadline": parse_date(answers.get("evidence_deadline")),
        "caseworker": caseworker,
    }


def new_child_details(state: dict) -> dict:
    details = dict(state["child"])
    details["date_of_birth"] = parse_date(details["date_of_birth"])
    return details


def people_added(state: dict) -> list[dict]:
    return [dict(person) for person in state.get("people") or []]
