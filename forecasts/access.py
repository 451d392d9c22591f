"""Who sees which forecast (ehc-process.md section 8, decision 0126).

- A case's forecast: whoever may see the case (the case page and the case API already check).
- A service's backlog: staff (caseworkers and managers) see every service's; a partner sees
  only the services they are a current member of, and nothing else of the forecasts.
- A service's declared capacity is set by a manager or by a current member of the service
  (there is no "service manager" role: the service answers for its own capacity).
"""

from __future__ import annotations

from advice_requests.models import PartnerService, ServiceMembership
from cases.roles import Role, has_role


def is_staff(user) -> bool:
    return has_role(user, Role.CASEWORKER, Role.MANAGER)


def services_visible(user):
    """The partner services whose backlog this user may see."""
    if is_staff(user):
        return PartnerService.objects.filter(is_active=True)
    if has_role(user, Role.PARTNER) and user.is_active:
        return PartnerService.objects.filter(
            is_active=True,
            pk__in=ServiceMembership.objects.current().filter(user=user).values("service_id"),
        )
    return PartnerService.objects.none()


def may_set_capacity(user, service) -> bool:
    if has_role(user, Role.MANAGER):
        return True
    if not (has_role(user, Role.PARTNER) and getattr(user, "is_active", False)):
        return False
    return ServiceMembership.objects.current().filter(user=user, service=service).exists()
