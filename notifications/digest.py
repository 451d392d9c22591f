"""The weekly manager digest (section 6): Monday 07:00 on the beat schedule, once per ISO week.

Counts by stage and risk, and the cases overdue by more than 4 weeks, by reference only. Apps
that know more (advice requests: advice overdue by service) register a section with
`register_digest_section(callable(today) -> {"title": str, "lines": [str]})`.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable

from django.conf import settings
from django.db.models import Count
from django.utils import timezone

from cases.deadlines import Risk
from cases.models import OPEN_STATUSES, Case, CaseStatus

from . import messages
from .models import Kind
from .selectors import managers
from .services import Alert, alerts_record

LONG_OVERDUE_DAYS = 28
LONG_OVERDUE_LISTED = 50

DIGEST_SECTIONS: list[Callable[[datetime.date], dict]] = []


def register_digest_section(section: Callable[[datetime.date], dict]) -> None:
    if section not in DIGEST_SECTIONS:
        DIGEST_SECTIONS.append(section)


def iso_week(today: datetime.date) -> str:
    year, week, _ = today.isocalendar()
    return f"{year}-W{week:02d}"


def digest_context(today: datetime.date) -> dict:
    """Three queries: counts by stage and risk, the long-overdue count and the first of them."""
    counts = {
        (row["status"], row["risk"]): row["total"]
        for row in Case.objects.open()
        .with_risk(today)
        .values("status", "risk")
        .annotate(total=Count("pk"))
        .order_by()
    }
    stages = []
    for status in OPEN_STATUSES:
        by_risk = {risk: counts.get((status.value, risk.value), 0) for risk in Risk}
        stages.append(
            {
                "stage": CaseStatus(status).label,
                "total": sum(by_risk.values()),
                "overdue": by_risk[Risk.OVERDUE],
                "at_risk": by_risk[Risk.AT_RISK],
                "on_track": by_risk[Risk.ON_TRACK],
            }
        )
    cutoff = today - datetime.timedelta(days=LONG_OVERDUE_DAYS)
    long_overdue = Case.objects.open().filter(next_milestone_due__lt=cutoff)
    listed = long_overdue.order_by("next_milestone_due", "pk").values_list(
        "reference", "next_milestone", "next_milestone_due"
    )[:LONG_OVERDUE_LISTED]
    return {
        "week": iso_week(today),
        "today": today,
        "stages": stages,
        "open": sum(row["total"] for row in stages),
        "overdue": sum(row["overdue"] for row in stages),
        "at_risk": sum(row["at_risk"] for row in stages),
        "long_overdue_total": long_overdue.count(),
        "long_overdue": [
            {
                "reference": reference,
                "what": messages.MILESTONE_WORDS.get(milestone, milestone),
                "due_on": due_on,
                "days": messages.days_phrase(due_on, today),
            }
            for reference, milestone, due_on in listed
        ],
        "extra_sections": [section(today) for section in DIGEST_SECTIONS],
        "link": settings.EHC_CASE_LIST_URL_PATH,
    }


def manager_digest_send(*, today: datetime.date | None = None, now=None) -> int:
    """Record this week's digest for every manager; a second run in the same ISO week records
    nothing new (the week is part of the notification's unique key)."""
    now = now or timezone.now()
    today = today or timezone.localdate(now)
    recipients = managers()
    if not recipients:
        return 0
    context = digest_context(today)
    week = iso_week(today)
    return alerts_record(
        alerts=[
            Alert(
                kind=Kind.MANAGER_DIGEST,
                object_type="digest",
                object_id=week,
                milestone=week,
                level="",
                recipient=recipient,
                context=context,
            )
            for recipient in recipients
        ],
        now=now,
    )
