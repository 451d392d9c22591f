"""The roles of ehc-process.md section 8, held as Django groups (created by migration 0002).

A user may hold several roles. Superusers are administrators, not a role: they pass every check
here so that an administrator is never locked out of fixing a record, but demo and real staff
accounts are given roles, not superuser status.
"""

from __future__ import annotations

from enum import StrEnum


class Role(StrEnum):
    CASEWORKER = "caseworker"
    PANEL_CHAIR = "panel_chair"
    PANEL_MEMBER = "panel_member"
    PARTNER = "partner"
    MANAGER = "manager"


ALL_ROLES = tuple(Role)


def user_roles(user) -> frozenset[str]:
    """The names of the user's roles, cached on the user object for the request."""
    if user is None or not getattr(user, "is_authenticated", False):
        return frozenset()
    cached = getattr(user, "_ehc_roles", None)
    if cached is None:
        cached = frozenset(user.groups.values_list("name", flat=True))
        user._ehc_roles = cached
    return cached


def has_role(user, *roles: str) -> bool:
    if user is None or not getattr(user, "is_authenticated", False):
        return False
    if user.is_superuser:
        return True
    return bool(user_roles(user) & set(roles))


def may_change_case(instance, user) -> bool:
    """Caseworkers and managers move cases through the stages (section 8)."""
    return has_role(user, Role.CASEWORKER, Role.MANAGER)


def may_record_panel_decision(instance, user) -> bool:
    """Panel decisions are recorded by caseworkers and managers, or by the chair at the meeting."""
    return has_role(user, Role.CASEWORKER, Role.MANAGER, Role.PANEL_CHAIR)


def may_agree_exception(user) -> bool:
    """Section 2: exceptions are proposed by a caseworker and agreed by a manager."""
    return has_role(user, Role.MANAGER)


def may_reassign(user) -> bool:
    """Section 8: managers reassign work (issue 13 item 6)."""
    return has_role(user, Role.MANAGER)
