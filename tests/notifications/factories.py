"""Helpers for the notifications tests: a case due on a known date, and running the sweep."""

import datetime

from django.utils import timezone

from cases.services import case_transition
from notifications import messages
from notifications.models import Kind, Notification
from notifications.sweep import sweep_run
from tests.cases.factories import advice_chosen, caseworker, make_case

D = datetime.date
#: Received 5 January 2026: the decision whether to assess is due 16 February 2026 (day 42).
RECEIVED = D(2026, 1, 5)
DECISION_DUE = D(2026, 2, 16)


def case_due_16_february(**kwargs):
    return make_case(received_on=RECEIVED, today=RECEIVED, **kwargs)


def sweep(today):
    return sweep_run(today=today)


def notification_keys(**filters):
    return sorted(
        Notification.objects.filter(**filters).values_list(
            "kind", "milestone", "level", "recipient_key"
        )
    )


def move(case, transition, on, *, actor=None):
    return case_transition(
        actor=actor or caseworker(),
        case=case,
        transition=transition,
        effective_date=on,
        reason="Synthetic test reason.",
        today=on,
        details=advice_chosen() if transition == "agree_to_assess" else None,
    )


def notification_for(user, *, number: int = 1, **kwargs) -> Notification:
    """One inbox row for `user`, as the sweep records it: kind and context, text rendered when
    read (decision 0072). With `subject=`, a row recorded before that, with its text stored."""
    reference = f"EHC-2026-{number:05d}"
    due_on = kwargs.pop("due_on", D(2026, 3, 12))
    subject = kwargs.pop("subject", "")
    context = messages.case_alert_context(
        reference=reference, milestone="final_plan", due_on=due_on, today=D(2026, 3, 1)
    )
    return Notification.objects.create(
        recipient=user,
        recipient_key=f"user:{user.pk}",
        kind=kwargs.pop("kind", Kind.CASE_AT_RISK),
        object_type="case",
        object_id=str(number),
        milestone=f"final_plan@2026-03-{number % 28 + 1:02d}",
        level="at_risk",
        context={} if subject else context,
        stored_subject=subject,
        stored_body="Synthetic body." if subject else "",
        link=kwargs.pop("link", f"/cases/{reference}/"),
        due_on=due_on,
        created_at=kwargs.pop("created_at", timezone.now()),
        **kwargs,
    )
