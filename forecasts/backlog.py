"""A partner service's backlog, 12 weeks ahead (ehc-process.md section 15).

Demand: the advice it owes now (outstanding), plus what the pipeline will send it: each case
waiting for the Needs Assessment Panel, in the week its decision is forecast (its stored
forecast), times the share of NAP decisions that agree to assess, times the share of agreed
assessments that asked this service for advice (both over the history window). Supply: the
capacity the service declared (advice a week), or, until it declares one, what it actually
returned a week over the last 12 weeks; a "what if" capacity replaces either on the page.
Each week: backlog = max(0, last week's backlog + requests arriving - capacity). Worked out when
the page is read, from a fixed number of grouped queries (decision 0127).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Q

from advice_requests.models import AdviceRequest, PartnerService
from audit.models import AuditEntry
from cases.models import CaseStatus

from .durations import window_days
from .models import CaseForecast, ServiceCapacity

WEEKS_AHEAD = 12
OBSERVED_WEEKS = 12
WHAT_IF_INVALID = "Enter a capacity as a number of advice a week, from 0 to 9999."


@dataclass(frozen=True)
class BacklogWeek:
    starts_on: datetime.date
    arriving: float
    done: float
    backlog: float


@dataclass
class ServiceBacklog:
    service: PartnerService
    today: datetime.date
    outstanding: int
    declared: Decimal | None
    observed_per_week: float
    capacity: float
    capacity_source: str  # "declared", "observed" or "what if"
    agree_rate: float | None
    service_share: float | None
    waiting_for_nap: int
    weeks: list[BacklogWeek] = field(default_factory=list)

    @property
    def backlog_in_12_weeks(self) -> int:
        return round(self.weeks[-1].backlog) if self.weeks else self.outstanding

    @property
    def basis(self) -> list[str]:
        sentences = [f"{self.outstanding} requests for advice are outstanding now."]
        if self.agree_rate is None or self.service_share is None:
            sentences.append(
                "No panel decisions over the history period: requests still to come from "
                "cases waiting for the panel are not counted."
            )
        else:
            sentences.append(
                f"{self.waiting_for_nap} cases are waiting for the Needs Assessment Panel; the "
                f"panel agreed to assess {round(self.agree_rate * 100)}% of cases and "
                f"{round(self.service_share * 100)}% of assessments asked this service for "
                "advice, over the history period."
            )
        if self.capacity_source == "declared":
            sentences.append(f"Capacity declared by the service: {self.capacity:g} a week.")
        elif self.capacity_source == "what if":
            sentences.append(f"What if the service could do {self.capacity:g} a week.")
        else:
            sentences.append(
                f"No capacity declared: using what the service returned over the last "
                f"{OBSERVED_WEEKS} weeks, {self.capacity:.1f} a week."
            )
        return sentences


def parse_what_if(raw: str | None) -> tuple[float | None, str]:
    """The page's "what if" capacity (a GET parameter): (value, error message)."""
    if raw in (None, ""):
        return None, ""
    try:
        value = float(raw)
    except ValueError:
        return None, WHAT_IF_INVALID
    if not (0 <= value <= 9999) or value != value:  # NaN
        return None, WHAT_IF_INVALID
    return value, ""


def service_backlog(
    *, service: PartnerService, today: datetime.date, what_if: float | None = None
) -> ServiceBacklog:
    """The service's backlog forecast (see the module's docstring): six small queries."""
    window_from = today - datetime.timedelta(days=window_days())
    requests = AdviceRequest.objects.filter(service=service)
    outstanding = requests.outstanding().count()
    observed_from = today - datetime.timedelta(weeks=OBSERVED_WEEKS)
    returned = requests.filter(
        Q(first_submitted_on__gt=observed_from, first_submitted_on__lte=today)
        | Q(declined_on__gt=observed_from, declined_on__lte=today)
    ).count()
    observed = returned / OBSERVED_WEEKS
    declared = (
        ServiceCapacity.objects.filter(service=service).values_list("per_week", flat=True).first()
    )
    if what_if is not None:
        capacity, source = what_if, "what if"
    elif declared is not None:
        capacity, source = float(declared), "declared"
    else:
        capacity, source = observed, "observed"
    decisions = dict(
        AuditEntry.objects.filter(
            verb__in=("case.agree_to_assess", "case.decline_to_assess"),
            effective_date__gt=window_from,
            effective_date__lte=today,
        )
        .values_list("verb")
        .annotate(n=Count("id"))
        .order_by()
    )
    agreed = decisions.get("case.agree_to_assess", 0)
    total = agreed + decisions.get("case.decline_to_assess", 0)
    agree_rate = agreed / total if total else None
    asked = requests.filter(requested_on__gt=window_from, requested_on__lte=today).count()
    share = min(asked / agreed, 1.0) if agreed else None
    arrivals_by_date = dict(
        CaseForecast.objects.filter(
            case__status=CaseStatus.RECEIVED,
            decision_to_assess_likely_on__gte=today,
            decision_to_assess_likely_on__lt=today + datetime.timedelta(weeks=WEEKS_AHEAD),
        )
        .values_list("decision_to_assess_likely_on")
        .annotate(n=Count("case_id"))
        .order_by()
    )
    waiting = sum(arrivals_by_date.values())
    rate = (agree_rate or 0.0) * (share or 0.0)
    result = ServiceBacklog(
        service=service,
        today=today,
        outstanding=outstanding,
        declared=declared,
        observed_per_week=observed,
        capacity=capacity,
        capacity_source=source,
        agree_rate=agree_rate,
        service_share=share,
        waiting_for_nap=waiting,
    )
    backlog = float(outstanding)
    for week in range(WEEKS_AHEAD):
        starts = today + datetime.timedelta(weeks=week)
        ends = starts + datetime.timedelta(weeks=1)
        arriving = rate * sum(n for day, n in arrivals_by_date.items() if starts <= day < ends)
        done = min(capacity, backlog + arriving)
        backlog = max(backlog + arriving - capacity, 0.0)
        result.weeks.append(BacklogWeek(starts, arriving, done, backlog))
    return result
