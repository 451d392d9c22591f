"""What the advice app does when a case moves (registered in AdviceRequestsConfig.ready).

`agree_to_assess` creates the advice chosen at panel (ehc-process.md sections 3 and 4). It runs
inside the case transition's transaction, so a refusal here leaves the case `received` and
writes no audit row.
"""

from __future__ import annotations

import datetime

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db.models import Q

from . import errors
from .models import AdviceKind, AdviceRequest, PartnerService
from .services import advice_request_create, advice_request_transition, advice_reuse_record

WITHDRAWN_REASON = "The request for an EHC needs assessment was withdrawn."

#: Reg 6(1)(d) and section 4: psychological advice and the family's views, always.
ALWAYS_REQUIRED = (AdviceKind.EDUCATIONAL_PSYCHOLOGY, AdviceKind.PARENT_VIEWS)


def required_kinds(case) -> tuple[str, ...]:
    """Preparing-for-adulthood advice is required from year 9 (CoP 8.9)."""
    if case.child.in_year_9_or_above:
        return (*ALWAYS_REQUIRED, AdviceKind.PREPARING_FOR_ADULTHOOD)
    return ALWAYS_REQUIRED


def _date(value, field):
    if value is None or isinstance(value, datetime.date):
        return value
    try:
        return datetime.date.fromisoformat(str(value))
    except ValueError as exc:
        raise ValidationError({field: errors.REUSE_AGREEMENT_MISSING}) from exc


def _service(service_id) -> PartnerService | None:
    if service_id in (None, ""):
        return None
    if isinstance(service_id, PartnerService):
        return service_id
    try:
        return PartnerService.objects.get(pk=int(service_id))
    except (PartnerService.DoesNotExist, TypeError, ValueError) as exc:
        raise ValidationError({"service": errors.UNKNOWN_SERVICE.format(id=service_id)}) from exc


def _user(user_id):
    if user_id in (None, ""):
        return None
    User = get_user_model()
    if isinstance(user_id, User):
        return user_id
    try:
        return User.objects.get(pk=int(user_id))
    except (User.DoesNotExist, TypeError, ValueError) as exc:
        raise ValidationError({"professional": errors.PROFESSIONAL_NOT_MEMBER}) from exc


def _items(details: dict, key: str) -> list[dict]:
    items = details.get(key) or []
    if not isinstance(items, list) or not all(isinstance(item, dict) for item in items):
        raise ValidationError({key: errors.ADVICE_LIST_INVALID})
    return items


def request_advice_on_agreement(*, case, actor, effective_date, reason, details) -> None:
    """Create the advice requests (and re-used advice) chosen at panel; refuse if a required
    kind is neither requested nor re-used. Imported historic cases need none."""
    if case.imported:
        return
    advice = _items(details, "advice")
    reused = _items(details, "reused")
    chosen = {item.get("kind") for item in advice} | {item.get("kind") for item in reused}
    missing = [kind for kind in required_kinds(case) if kind not in chosen]
    if missing:
        labels = ", ".join(AdviceKind(kind).label.lower() for kind in missing)
        raise ValidationError({"advice": errors.REQUIRED_ADVICE_MISSING.format(missing=labels)})
    for item in reused:
        advice_reuse_record(
            actor=actor,
            case=case,
            kind=item.get("kind"),
            service=_service(item.get("service")),
            provider_name=item.get("provider_name", ""),
            original_advice_on=_date(item.get("original_advice_on"), "reused"),
            provider_agreed_on=_date(item.get("provider_agreed_on"), "reused"),
            authority_agreed_on=_date(item.get("authority_agreed_on"), "reused"),
            family_agreed_on=_date(item.get("family_agreed_on"), "reused"),
            notes=item.get("notes", ""),
            decided_at_panel=True,
        )
    for item in advice:
        advice_request_create(
            actor=actor,
            case=case,
            kind=item.get("kind"),
            service=_service(item.get("service")),
            question=item.get("question", ""),
            professional=_user(item.get("professional")),
            requested_on=effective_date,
            today=effective_date,
            decided_at_panel=True,
        )


def cancel_advice_on_withdrawal(*, case, actor, effective_date, reason, details) -> None:
    """A withdrawn request needs no more advice: cancel what is still requested or accepted, so
    providers stop work and stop seeing the child's details in their inbox."""
    cancellable = AdviceRequest.objects.filter(case=case, status__in=("requested", "accepted"))
    for advice in cancellable.order_by("id"):
        advice_request_transition(
            actor=actor,
            advice=advice,
            transition="cancel",
            reason=WITHDRAWN_REASON,
            today=effective_date,
        )


def overdue_advice_condition(today: datetime.date) -> Q:
    """Section 6: any overdue advice request puts its (open) case at risk, in SQL.

    Read from the case's stored earliest outstanding due date (kept by `AdviceRequest.save()`),
    so no plan depends on the planner's estimate of the overdue set (decisions 0078, 0190):
    advice due yesterday is overdue today without any write."""
    return Q(outstanding_advice_due__lt=today)
