"""Who may act on an advice request (ehc-process.md sections 4 and 8).

Access belongs to the partner service, not to a person: a user acts for a service only while
they are a current member of it, so a leaver loses access the moment their membership ends.
"""

from __future__ import annotations

from cases.roles import Role, has_role


def viewer_memberships_attr(user) -> str:
    """Where a list puts one user's memberships of each listed service (a Prefetch to_attr)."""
    return f"memberships_of_user_{user.pk}"


def is_current_member(user, service) -> bool:
    """A partner acts for a service only while their membership is open (left_on is empty)."""
    if service is None or user is None or not getattr(user, "is_authenticated", False):
        return False
    if not (user.is_active and has_role(user, Role.PARTNER)):
        return False
    loaded = getattr(service, viewer_memberships_attr(user), None)
    if loaded is not None:
        # A list read this user's memberships in one query (one check per row otherwise).
        return any(membership.left_on is None for membership in loaded)
    return service.memberships.filter(user=user, left_on__isnull=True).exists()


def may_manage_advice(instance=None, user=None) -> bool:
    """Caseworkers and managers request, cancel and send advice back for quality."""
    return has_role(user, Role.CASEWORKER, Role.MANAGER)


#: Other apps may let someone else answer parent views addressed to no service: the family
#: portal lets the family give their own views (decision 0131). Each check takes
#: (advice_request, user) and returns True to allow.
FAMILY_RESPONDENT_CHECKS: list = []


def register_family_respondent(check) -> None:
    FAMILY_RESPONDENT_CHECKS.append(check)


def may_respond(instance, user) -> bool:
    """The addressed service answers (accepts, declines, submits). Parent views addressed to no
    service are gathered by the SEN team, who record the family's response (decision 0020), or
    given by the family themselves through the portal (decision 0131)."""
    if getattr(user, "is_superuser", False):
        return True
    if instance.service_id is None:
        return may_manage_advice(instance, user) or any(
            check(instance, user) for check in FAMILY_RESPONDENT_CHECKS
        )
    return is_current_member(user, instance.service)
