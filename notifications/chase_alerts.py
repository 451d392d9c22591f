"""A caseworker chased outstanding advice (section 10): the partner service is reminded, its
current members in their inbox (and by email, unless they switched it off) and its shared
mailbox by email. The message names the case by its reference and links to the request: never
the child (section 6).

Registered on `advice_requests.chase.CHASED_HOOKS`, which run inside the chase's transaction,
so the reminder is recorded with the contact entry or not at all. The unique key includes the
contact entry (`chase@<note id>`): one chase reminds each recipient exactly once.
"""

from __future__ import annotations

from django.utils import timezone

from .advice_alerts import OBJECT_TYPE, _context, mailbox, service_members
from .models import Kind
from .services import Alert, alerts_record


def advice_chased_notify(*, advice, note) -> int:
    row = {
        "pk": advice.pk,
        "kind": advice.kind,
        "due_on": advice.due_on,
        "case__reference": advice.case.reference,
        "service__name": advice.service.name,
    }
    context = {**_context(row, timezone.localdate()), "chased_on": note.occurred_on.isoformat()}
    told = list(service_members([advice.service_id]).get(advice.service_id, []))
    if advice.service.contact_email:
        told.append(mailbox(advice.service.contact_email))
    return alerts_record(
        alerts=[
            Alert(
                kind=Kind.ADVICE_CHASED,
                object_type=OBJECT_TYPE,
                object_id=str(advice.pk),
                milestone=f"chase@{note.pk}",
                level="",
                recipient=recipient,
                context=context,
                case_id=advice.case_id,
                due_on=advice.due_on,
            )
            for recipient in told
        ],
        now=note.recorded_at,
    )


__all__ = ["advice_chased_notify"]
