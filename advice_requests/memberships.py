"""Who belongs to a partner service. Access to advice belongs to the service: joining gives a
partner its open requests at once, leaving takes them away at once (ehc-process.md section 4)."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from audit.services import audit_record
from cases.errors import CaseConflictError, CaseForbiddenError
from cases.roles import Role, has_role

from . import errors
from .models import PartnerService, ServiceMembership


def _check_actor(actor) -> None:
    if not has_role(actor, Role.MANAGER):
        raise CaseForbiddenError(errors.MEMBERSHIP_FORBIDDEN)


@transaction.atomic
def membership_add(
    *, actor, service: PartnerService, user, today: datetime.date | None = None
) -> ServiceMembership:
    _check_actor(actor)
    if not (user.is_active and Role.PARTNER in set(user.groups.values_list("name", flat=True))):
        raise ValidationError({"user": errors.MEMBER_NOT_PARTNER})
    service = PartnerService.objects.select_for_update().get(pk=service.pk)
    if ServiceMembership.objects.current().filter(service=service, user=user).exists():
        raise CaseConflictError(errors.ALREADY_MEMBER.format(user=user, service=service))
    membership = ServiceMembership.objects.create(
        service=service, user=user, joined_on=today or timezone.localdate(), added_by=actor
    )
    audit_record(
        actor=actor,
        verb="partner_service.member_added",
        target=service,
        effective_date=membership.joined_on,
        payload={"user": user.get_username()},
    )
    return membership


@transaction.atomic
def membership_remove(
    *, actor, service: PartnerService, user, reason: str = "", today: datetime.date | None = None
) -> ServiceMembership:
    """A leaver loses access the moment this commits: access checks read only open memberships."""
    _check_actor(actor)
    service = PartnerService.objects.select_for_update().get(pk=service.pk)
    membership = (
        ServiceMembership.objects.current().select_for_update().filter(service=service, user=user)
    ).first()
    if membership is None:
        raise CaseConflictError(errors.NOT_A_MEMBER.format(user=user, service=service))
    membership.left_on = max(today or timezone.localdate(), membership.joined_on)
    membership.save(update_fields=["left_on"])
    audit_record(
        actor=actor,
        verb="partner_service.member_removed",
        target=service,
        effective_date=membership.left_on,
        reason=(reason or "").strip(),
        payload={"user": user.get_username()},
    )
    return membership
