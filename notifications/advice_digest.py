"""The managers' weekly digest section on advice (section 6): advice overdue, by partner
service, so a manager can see which provider to chase. One query
(`advice_requests.selectors.advice_outstanding_by_service`)."""

from __future__ import annotations

import datetime

from advice_requests.selectors import advice_outstanding_by_service

TITLE = "Advice overdue, by service"


def advice_overdue_by_service(today: datetime.date) -> dict:
    lines = [
        f"{row.service}: {row.overdue} overdue, {row.due_soon} due within 7 days, "
        f"{row.outstanding} outstanding"
        for row in advice_outstanding_by_service(today=today)
        if row.overdue
    ]
    return {"title": TITLE, "lines": lines}
