"""Who sees reports (ehc-process.md section 8: "manager: ... sees reports")."""

from cases.roles import Role, has_role

REPORTS_FORBIDDEN = "Only managers may see reports."


def may_see_reports(user) -> bool:
    """Managers (and the administrator, who holds every role). Caseworkers, panel members and
    partners do not: the figures cover every case and every partner service."""
    return has_role(user, Role.MANAGER)
