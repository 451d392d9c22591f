"""Who may change plans and reviews (section 8): caseworkers and managers, as for cases."""

from __future__ import annotations

from cases.roles import Role, has_role


def may_change_review(instance, user) -> bool:
    return has_role(user, Role.CASEWORKER, Role.MANAGER)


def may_use_review_area(user) -> bool:
    return has_role(user, Role.CASEWORKER, Role.MANAGER)
