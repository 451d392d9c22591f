"""What a notification says. Every message names the case by its reference, says exactly what
is due and when, and links to the record: never the child's name, date of birth or any other
personal data (section 6), because email leaves the council's systems.

Templates get a plain dict built here from safe fields only (never a Case or Child object), so a
template cannot reach the child's details even by mistake. The keys each kind's templates use
(`templates/notifications/email/<kind>.subject.txt` and `.body.txt`):

- case_at_risk, case_overdue: reference, what, due_on, days, link (+ for_manager, caseworker)
- case_assigned: the same, + assigned_by
- advice_due_soon, advice_overdue, advice_escalated: reference, advice (e.g. "educational
  psychology advice"), service (the partner service's name), due_on, days, link
- advice_chased (a caseworker chased the advice, decision 0086): the same, + chased_on
- agenda_published: panel, meeting_on, items, link
- manager_digest: digest.digest_context()

A notification stores its kind and this context (JSON), not the rendered text: the text is
rendered when it is shown or emailed (decision 0072), so recording thousands of alerts costs no
template rendering. `ContextEncoder`/`ContextDecoder` make the dates round-trip (`due_on`,
`meeting_on`, `today`, at any depth), so a stored context renders exactly as the live one did.
"""

from __future__ import annotations

import contextlib
import datetime
import json

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.template.loader import render_to_string

from .kinds import Kind

#: The context keys that hold dates (templates format them with the `date` filter).
DATE_KEYS = frozenset({"due_on", "meeting_on", "today"})

#: How caseworkers say each milestone in a sentence.
MILESTONE_WORDS = {
    "decision_to_assess": "decision whether to assess",
    "statutory_panel_decision": "statutory panel decision",
    "draft_plan": "draft plan",
    "final_plan": "final plan",
}


def days_phrase(due_on: datetime.date, today: datetime.date) -> str:
    """'3 days', 'due today', '2 days ago': the count a caseworker reads at a glance."""
    days = (due_on - today).days
    if days == 0:
        return "due today"
    if days > 0:
        return f"{days} day{'s' if days != 1 else ''}"
    return f"{-days} day{'s' if days != -1 else ''} ago"


def case_path(reference: str) -> str:
    return settings.EHC_CASE_URL_PATH.format(reference=reference)


def absolute_url(path: str) -> str:
    return f"{settings.EHC_SITE_URL.rstrip('/')}{path}" if path else ""


def case_alert_context(
    *, reference: str, milestone: str, due_on: datetime.date, today: datetime.date
) -> dict:
    return {
        "reference": reference,
        "what": MILESTONE_WORDS.get(milestone, milestone.replace("_", " ")),
        "due_on": due_on,
        "days": days_phrase(due_on, today),
        "link": case_path(reference),
    }


def render(kind: str, context: dict) -> tuple[str, str]:
    """The subject (one line) and plain-text body for a kind, from its two templates."""
    return render_subject(kind, context), render_body(kind, context)


def render_subject(kind: str, context: dict) -> str:
    subject = render_to_string(f"notifications/email/{kind}.subject.txt", _full(kind, context))
    return " ".join(subject.split())[:200]


def render_body(kind: str, context: dict) -> str:
    body = render_to_string(f"notifications/email/{kind}.body.txt", _full(kind, context))
    return body.strip() + "\n"


def _full(kind: str, context: dict) -> dict:
    return {**context, "url": absolute_url(context.get("link", "")), "kind": Kind(kind).label}


class ContextEncoder(DjangoJSONEncoder):
    """Dates as ISO strings (and lazy labels as text): the stored context is plain JSON."""


class ContextDecoder(json.JSONDecoder):
    """The dates under DATE_KEYS come back as dates, so `|date:"j F Y"` formats them again."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("object_hook", _with_dates)
        super().__init__(*args, **kwargs)


def _with_dates(obj: dict) -> dict:
    for key in DATE_KEYS.intersection(obj):
        value = obj[key]
        if isinstance(value, str):
            with contextlib.suppress(ValueError):  # not a date after all: left as text
                obj[key] = datetime.date.fromisoformat(value)
    return obj


def context_json(context: dict) -> str:
    """The context as stored on the notification row."""
    return json.dumps(context, cls=ContextEncoder, separators=(",", ":"))
