"""The case page's forecast section (registered through cases.extensions in apps.py)."""

from __future__ import annotations

from cases.roles import Role, has_role

from .selectors import case_forecast_get

FORECAST_SECTION_TEMPLATE = "forecasts/includes/case_forecast.html"


def forecast_section(*, request, case, today):
    """Staff see when each remaining milestone will likely happen, and why."""
    if not case.is_open or not has_role(request.user, Role.CASEWORKER, Role.MANAGER):
        return None
    return FORECAST_SECTION_TEMPLATE, {"forecast_view": case_forecast_get(case=case)}
