"""Exceptions to the advice time limit (reg 8(2), ehc-process.md section 2), proposed by a
caseworker and agreed by a manager who did not propose them, exactly as for cases."""

from __future__ import annotations

import datetime

from django.db import transaction

from audit.services import audit_record
from cases.errors import CaseForbiddenError
from cases.exception_services import check_exception_proposal, record_agreement
from cases.roles import may_agree_exception

from . import errors
from .models import AdviceException, AdviceRequest


@transaction.atomic
def advice_exception_propose(
    *,
    actor,
    advice: AdviceRequest,
    ground: str,
    starts_on: datetime.date,
    ends_on: datetime.date | None = None,
    notes: str,
) -> AdviceException:
    """A caseworker proposes an exception with its evidence; it counts once agreed."""
    check_exception_proposal(actor=actor, ground=ground, starts_on=starts_on, ends_on=ends_on)
    advice = (
        AdviceRequest.objects.select_for_update(of=("self",))
        .select_related("case")
        .get(pk=advice.pk)
    )
    exception = AdviceException(
        advice_request=advice,
        ground=ground,
        starts_on=starts_on,
        ends_on=ends_on,
        notes=(notes or "").strip(),
        proposed_by=actor,
    )
    exception.full_clean()
    exception.save()
    audit_record(
        actor=actor,
        verb="advice.exception_proposed",
        target=exception,
        case=advice.case,
        effective_date=starts_on,
        reason=exception.notes,
        payload={
            "advice_request": advice.pk,
            "ground": ground,
            "starts_on": starts_on.isoformat(),
            "ends_on": ends_on.isoformat() if ends_on else None,
        },
    )
    return exception


@transaction.atomic
def advice_exception_agree(
    *, actor, exception: AdviceException, family_notified_on: datetime.date | None = None
) -> AdviceException:
    """A manager agrees (four eyes: not the proposer). It never moves the due date; it changes
    how late advice is counted."""
    if not may_agree_exception(actor):
        raise CaseForbiddenError(errors.EXCEPTION_AGREE_FORBIDDEN)
    exception = (
        AdviceException.objects.select_for_update(of=("self",))
        .select_related("advice_request__case")
        .get(pk=exception.pk)
    )
    record_agreement(actor=actor, exception=exception, family_notified_on=family_notified_on)
    audit_record(
        actor=actor,
        verb="advice.exception_agreed",
        target=exception,
        case=exception.advice_request.case,
        payload={"advice_request": exception.advice_request_id, "ground": exception.ground},
    )
    return exception
