"""The dashboard's first screen (issue 14): the few figures a head of service reads first,
each linking to its detail, and the queue of exceptions waiting for a manager. The long tables
follow below on the page."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.urls import reverse

from advice_requests.selectors import ServiceFollowUp

from . import timeliness
from .dashboard import case_list_url

SERVICES_SHOWN = 4


@dataclass
class Headline:
    label: str
    figure: str
    caption: str
    href: str
    link_text: str
    details: list[str] = field(default_factory=list)


def _percent_text(row: dict) -> str:
    shown = timeliness.whole_percent(row["on_time_excluding_exceptions"], row["revised_count"])
    return "No plans" if shown is None else f"{shown}%"


def _advice_caption(requests: int, services: int) -> str:
    if not requests:
        return "requests: none overdue"
    noun = "request" if requests == 1 else "requests"
    return f"{noun}, from {services} service{'' if services == 1 else 's'}"


def _last_month(report: dict, today: datetime.date) -> tuple[str, dict]:
    if today.month == 1:
        previous = timeliness.timeliness_report(year=today.year - 1)
        return f"December {today.year - 1}", previous["months"][11]
    month = datetime.date(today.year, today.month - 1, 1)
    return month.strftime("%B %Y"), report["months"][today.month - 2]


def headlines(
    *,
    today: datetime.date,
    report: dict,
    status_risk: dict,
    advice_by_service: list[ServiceFollowUp],
    waiting: int,
    counted: str = "",
) -> list:
    """Six figures: this year's 20-week figure and last month's, overdue now, at risk now,
    advice overdue (by service) and exceptions waiting. `counted` says how fresh the case and
    advice counts are (the dashboard summary's time, decision 0160)."""
    month_name, month = _last_month(report, today)
    total = status_risk["total"]
    services = [row for row in advice_by_service if row.overdue]
    services.sort(key=lambda row: (-row.overdue, row.service))
    return [
        Headline(
            label=f"Final plans within 20 weeks, {today.year}",
            figure=_percent_text(report["total"]),
            caption=(
                f"{report['total']['on_time_excluding_exceptions']} of "
                f"{report['total']['revised_count']} plans, excluding agreed exceptions"
            ),
            href="#table-timeliness",
            link_text="20-week timeliness by month",
        ),
        Headline(
            label=f"Final plans within 20 weeks, {month_name}",
            figure=_percent_text(month),
            caption=(
                f"{month['on_time_excluding_exceptions']} of {month['revised_count']} plans, "
                "excluding agreed exceptions"
            ),
            href="#table-timeliness",
            link_text="20-week timeliness by month",
        ),
        Headline(
            label="Overdue now",
            figure=str(total["overdue"]),
            caption=(
                "open case past its next statutory milestone"
                if total["overdue"] == 1
                else "open cases past their next statutory milestone"
            ),
            href=case_list_url(risk="overdue", scope="all"),
            link_text="See the overdue cases",
            details=[counted] if counted else [],
        ),
        Headline(
            label="At risk now",
            figure=str(total["at_risk"]),
            caption=(
                f"open case{'' if total['at_risk'] == 1 else 's'} due soon, with overdue "
                "advice, or rolled off an agenda"
            ),
            href=case_list_url(risk="at_risk", scope="all"),
            link_text="See the cases at risk",
            details=[counted] if counted else [],
        ),
        Headline(
            label="Advice overdue",
            figure=str(sum(row.overdue for row in services)),
            caption=_advice_caption(sum(row.overdue for row in services), len(services)),
            href=reverse("advice:follow-up"),
            link_text="Advice follow-up by service",
            details=[
                *(f"{row.service}: {row.overdue}" for row in services[:SERVICES_SHOWN]),
                *([counted] if counted else []),
            ],
        ),
        Headline(
            label="Exceptions waiting",
            figure=str(waiting),
            caption=f"{'exception' if waiting == 1 else 'exceptions'} proposed, for a manager to "
            "agree or refuse",
            href="#table-exceptions-waiting",
            link_text="See the exceptions waiting",
        ),
    ]
