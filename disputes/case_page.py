"""The case page's "Disagreement and appeals" section (registered in apps.py through
cases.extensions): each appealable decision's dates in plain words, the family's and the
council's, with a link to record what happened."""

from __future__ import annotations

from cases.roles import Role, has_role

from . import selectors

DISPUTES_SECTION_TEMPLATE = "disputes/includes/case_disputes.html"


def disputes_section(*, request, case, today):
    if not has_role(request.user, Role.CASEWORKER, Role.MANAGER):
        return None
    disputes = selectors.case_disputes(case=case)
    window = selectors.pending_window(case=case, disputes=disputes)
    if not disputes and window is None:
        return None
    return DISPUTES_SECTION_TEMPLATE, {
        "window": window,
        "rows": [
            {"dispute": dispute, "dates": selectors.dispute_dates(dispute, today)}
            for dispute in disputes
        ],
        "today": today,
    }
