"""Helpers for the notifications tests: a case due on a known date, and running the sweep."""

import datetime

from cases.services import case_transition
from notifications.models import Notification
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
