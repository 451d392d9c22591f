"""The security app's part of the case page: managers get a link to who has viewed the child's
record (section 8), so the access log is found from the record it is about."""

from __future__ import annotations

from cases.roles import Role, has_role


def may_see_access_log(user) -> bool:
    return bool(user.is_superuser or has_role(user, Role.MANAGER))


def access_log_section(*, request, case, today):
    if not may_see_access_log(request.user):
        return None
    return "security/includes/case_access_log_link.html", {"child_id": case.child_id}
