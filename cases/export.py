"""The case list as CSV (issue 13 item 8): plain headings and words, streamed.

Rows come from `.values()` over a server-side cursor (`.iterator(chunk_size=...)`), so memory
stays flat whatever the number of cases and no row costs a query of its own (bench 7a)."""

from __future__ import annotations

import csv
import datetime
from collections.abc import Iterator

from django.db.models import QuerySet

from .deadlines import Milestone
from .filters import RISK_CHOICES
from .models import CaseStatus, PrimaryNeed, RequestSource

CHUNK_SIZE = 2000

HEADINGS = (
    "Case reference",
    "Child's first name",
    "Child's last name",
    "Date of birth",
    "Status",
    "Date received",
    "Request from",
    "Primary need",
    "Next milestone",
    "Next milestone due",
    "Days left",
    "Days overdue",
    "Risk",
    "Final plan due",
    "Caseworker",
)

COLUMNS = (
    "reference",
    "child__first_name",
    "child__last_name",
    "child__date_of_birth",
    "status",
    "received_on",
    "request_source",
    "primary_need",
    "next_milestone",
    "next_milestone_due",
    "risk",
    "final_plan_due",
    "caseworker__first_name",
    "caseworker__last_name",
    "caseworker__username",
)

STATUS_WORDS = dict(CaseStatus.choices)
NEED_WORDS = dict(PrimaryNeed.choices)
SOURCE_WORDS = dict(RequestSource.choices)
MILESTONE_WORDS = {m.value: m.label for m in Milestone}
RISK_WORDS = dict(RISK_CHOICES)


class _Echo:
    """csv.writer writes each row here and gets the line back: nothing accumulates."""

    def write(self, value: str) -> str:
        return value


def _day(value: datetime.date | None) -> str:
    return value.strftime("%-d %B %Y") if value else ""


def case_row(row: dict, *, today: datetime.date) -> list[str]:
    due = row["next_milestone_due"]
    name = f"{row['caseworker__first_name']} {row['caseworker__last_name']}".strip()
    return [
        row["reference"],
        row["child__first_name"],
        row["child__last_name"],
        _day(row["child__date_of_birth"]),
        STATUS_WORDS.get(row["status"], row["status"]),
        _day(row["received_on"]),
        SOURCE_WORDS.get(row["request_source"], ""),
        NEED_WORDS.get(row["primary_need"], row["primary_need"]),
        MILESTONE_WORDS.get(row["next_milestone"], "None: closed"),
        _day(due),
        *_days_left_and_overdue(due, today),
        RISK_WORDS.get(row["risk"], "Closed"),
        _day(row["final_plan_due"]),
        name or row["caseworker__username"] or "Unassigned",
    ]


def _days_left_and_overdue(due: datetime.date | None, today: datetime.date) -> tuple[str, str]:
    """Two plain counts, never a negative one: days left until the milestone, or days since it
    fell due (the style guide: "Days left", never a negative "days overdue")."""
    if due is None:
        return "", ""
    days = (due - today).days
    return (str(days), "") if days >= 0 else ("", str(-days))


def case_list_csv(cases: QuerySet, *, today: datetime.date) -> Iterator[str]:
    """CSV lines of `cases` (annotated with `risk`), headings first."""
    writer = csv.writer(_Echo())
    yield "\ufeff" + writer.writerow(HEADINGS)  # a byte-order mark: Excel then reads UTF-8
    for row in cases.values(*COLUMNS).iterator(chunk_size=CHUNK_SIZE):
        yield writer.writerow(case_row(row, today=today))
