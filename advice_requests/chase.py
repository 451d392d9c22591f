"""Chasing outstanding advice (ehc-process.md section 10): a contact with the partner service.
It is recorded on the case (a contact entry naming the advice request), it reminds the service
(the notifications app registers on CHASED_HOOKS: an inbox item for its members and an email to
its mailbox, with the case reference and a link only), and the follow-up page shows when each
request was last chased.

Exactly once per click: the button's form carries a one-time token (a double submit gives back
the first chase), and the request's row is locked while chasing, so a second chase of the same
request within CHASE_REPEAT_SECONDS (another tab, another colleague) is refused.
"""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils import timezone

from cases import errors as case_errors
from cases.models import CaseNote, ContactKind
from cases.record_services import case_note_record

from .models import OUTSTANDING_STATUSES, AdviceRequest
from .roles import may_manage_advice

#: A second chase of the same request within this many seconds is refused (a double submit).
CHASE_REPEAT_SECONDS = 60
CHASE_FORBIDDEN = "Only a caseworker or a manager can chase advice."
CHASE_NOT_OUTSTANDING = "Only outstanding advice can be chased: this request is {status}."
CHASE_NO_SERVICE = "The family's views are gathered by the SEN team: there is no service to chase."
CHASED_JUST_NOW = (
    "This request was chased less than a minute ago: the service has already been reminded."
)
CHASE_SUMMARY = "Reminder sent to {service}: the {advice} is outstanding, due {due_on}."

#: `hook(advice=..., note=...)`, run inside the chase's transaction (a transactional outbox).
CHASED_HOOKS: list = []


def register_chased_hook(hook) -> None:
    if hook not in CHASED_HOOKS:
        CHASED_HOOKS.append(hook)


def _label(advice: AdviceRequest) -> str:
    label = advice.get_kind_display()
    return label[0].lower() + label[1:]


@transaction.atomic
def advice_request_chase(
    *,
    actor,
    advice: AdviceRequest,
    token: str = "",
    now: datetime.datetime | None = None,
) -> tuple[CaseNote, bool]:
    """Chase one outstanding request: (the contact entry, whether this call made it)."""
    if not may_manage_advice(advice, actor):
        raise case_errors.CaseForbiddenError(CHASE_FORBIDDEN)
    now = now or timezone.now()
    locked = (
        AdviceRequest.objects.select_for_update(of=("self",))
        .select_related("service", "case")
        .get(pk=advice.pk)
    )
    if token:
        earlier = CaseNote.objects.filter(submission_token=token, advice_request=locked).first()
        if earlier is not None:
            return earlier, False
    if locked.service_id is None:
        raise case_errors.CaseConflictError(CHASE_NO_SERVICE)
    if locked.status not in OUTSTANDING_STATUSES:
        raise case_errors.CaseConflictError(
            CHASE_NOT_OUTSTANDING.format(status=locked.get_status_display().lower())
        )
    if locked.last_chased_at and now - locked.last_chased_at < datetime.timedelta(
        seconds=CHASE_REPEAT_SECONDS
    ):
        raise case_errors.CaseConflictError(CHASED_JUST_NOW)
    note, created = case_note_record(
        actor=actor,
        case=locked.case,
        kind=ContactKind.EMAIL,
        occurred_on=timezone.localdate(now),
        summary=CHASE_SUMMARY.format(
            service=locked.service.name,
            advice=_label(locked),
            due_on=f"{locked.due_on.day} {locked.due_on:%B %Y}",
        ),
        with_service=locked.service,
        advice_request=locked,
        is_chase=True,
        submission_token=token,
        today=timezone.localdate(now),
    )
    if not created:
        return note, False
    AdviceRequest.objects.filter(pk=locked.pk).update(last_chased_at=now)
    locked.last_chased_at = now
    for hook in CHASED_HOOKS:
        hook(advice=locked, note=note)
    return note, True
