"""Why a case is at risk or overdue, in words (issue 14): "the milestone is due in N days",
which advice is overdue, which full agenda it rolled off. The same three conditions as
`risk_expression` (section 6); other apps add what they know through `RISK_REASON_PROVIDERS`
(`provider(case=, today=) -> list[str]`), so this module imports no other app."""

from __future__ import annotations

import datetime

from django.conf import settings

from .deadlines import Milestone, days_remaining
from .extensions import case_readiness

#: Extra reasons from other apps (the panels app: which full agenda the case rolled off; the
#: forecasts app: that the case is forecast to miss week 20, and why). Each provider returns
#: nothing for a case its reason does not apply to.
RISK_REASON_PROVIDERS: list = []


def register_risk_reason_provider(provider) -> None:
    if provider not in RISK_REASON_PROVIDERS:
        RISK_REASON_PROVIDERS.append(provider)


def _days(n: int) -> str:
    return f"{n} day{'' if n == 1 else 's'}"


def _on(day: datetime.date) -> str:
    return day.strftime("%-d %B %Y")


def risk_reasons(case, *, today: datetime.date, warning_days: int | None = None) -> list[str]:
    """Every reason the case is overdue or at risk (empty for a case on track or closed)."""
    if case.next_milestone_due is None or not case.next_milestone:
        return []
    warning_days = settings.EHC_RISK_WARNING_DAYS if warning_days is None else warning_days
    milestone = Milestone(case.next_milestone).label
    due = case.next_milestone_due
    left = days_remaining(due, today)
    reasons = []
    if left < 0:
        reasons.append(f"{milestone} was due on {_on(due)}: {_days(-left)} overdue.")
    elif left == 0:
        reasons.append(f"{milestone} is due today.")
    elif left <= warning_days:
        reasons.append(f"{milestone} is due in {_days(left)}, on {_on(due)}.")
    readiness = case_readiness(case=case, today=today) or {}
    for item in readiness.get("outstanding", []):
        if item.get("overdue"):
            late = (today - item["due_on"]).days
            reasons.append(
                f"{item['kind_label']} from {item['service']} is overdue: it was due on "
                f"{_on(item['due_on'])}, {_days(late)} ago."
            )
    for provider in RISK_REASON_PROVIDERS:
        reasons.extend(provider(case=case, today=today))
    return reasons
