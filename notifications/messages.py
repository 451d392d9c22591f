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
- agenda_published: panel, meeting_on, items, link
- manager_digest: digest.digest_context()
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.template.loader import render_to_string

from .models import Kind

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
    full = {**context, "url": absolute_url(context.get("link", "")), "kind": Kind(kind).label}
    subject = render_to_string(f"notifications/email/{kind}.subject.txt", full)
    body = render_to_string(f"notifications/email/{kind}.body.txt", full)
    return " ".join(subject.split())[:200], body.strip() + "\n"
