"""What the advice app adds to the case page and the case API (registered in apps.py through
cases.extensions, so the cases app imports no other app)."""

from __future__ import annotations

import dataclasses

from cases.roles import Role, has_role

from . import selectors, services
from .models import OUTSTANDING_STATUSES

ADVICE_SECTION_TEMPLATE = "advice_requests/includes/case_advice.html"


def readiness_for_api(*, case, today) -> dict:
    readiness = selectors.case_advice_readiness(case=case, today=today)
    return {
        "ready": readiness.ready,
        "outstanding": [dataclasses.asdict(item) for item in readiness.outstanding],
    }


def advice_section(*, request, case, today):
    """The case page's advice: each request's status, due date, overdue tag, document, and the
    caseworker's return-for-quality and cancel forms; and readiness for the statutory panel."""
    if not has_role(request.user, Role.CASEWORKER, Role.MANAGER):
        return None
    requests = selectors.case_advice_requests(case=case)
    if not requests:
        return None
    rows = []
    for advice in requests:
        available = services.available_transitions(advice, request.user)
        rows.append(
            {
                "advice": advice,
                "overdue": advice.is_overdue(today),
                "submission": selectors.latest_submission(advice),
                # Issue 14: a closed case offers nothing that can no longer happen.
                "may_cancel": case.is_open and "cancel" in available,
                "may_return": case.is_open and "return_for_quality" in available,
                "may_chase": case.is_open
                and advice.service_id is not None
                and advice.status in OUTSTANDING_STATUSES,
            }
        )
    return ADVICE_SECTION_TEMPLATE, {
        "advice_rows": rows,
        "readiness": selectors.case_advice_readiness(case=case, today=today),
    }
