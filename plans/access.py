"""Who may work on plans and letters (section 8): caseworkers and managers (and the
administrator). Cases come from cases.selectors.case_get, so another case is a 404."""

from __future__ import annotations

from cases.errors import CaseForbiddenError
from cases.roles import Role, has_role

from . import errors


def may_work_on_plans(user) -> bool:
    return has_role(user, Role.CASEWORKER, Role.MANAGER)


def require_plan_role(user) -> None:
    if not may_work_on_plans(user):
        raise CaseForbiddenError(errors.PLAN_FORBIDDEN)
