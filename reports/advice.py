"""Advice returned within 6 weeks (ehc-process.md sections 4 and 7; reg 8(1)), by service and
by kind, for the advice requested in a date range.

Counted the way the plan measure counts plans (reports.timeliness), and the way the weekly
follow-up counts advice (decision 0021):
- **measured**: every request whose 6-week outcome is known: submitted at least once
  (`first_submitted_on`), or still outstanding past its due date. Declined and cancelled
  requests are not measured; neither is advice still inside its 6 weeks;
- **on time**: first submitted on or before `due_on` (requested + 42 days);
- **has an exception**: an *agreed* advice-level exception (reg 8(2)); a proposed one counts
  as nothing;
- `revised_count` = measured - with an exception; `on_time_excluding_exceptions` = on time
  without an exception, and its share of the revised count is the headline figure.
- **median days to return**: over requests submitted at least once, `first_submitted_on -
  requested_on`. PostgreSQL computes it (`percentile_cont(0.5)`) in the grouped query;
  elsewhere (SQLite in development) one more query reads the day counts and Python takes the
  median, so the cost stays two queries whatever the number of requests (decision 0043).
"""

from __future__ import annotations

import datetime
import statistics
from collections import defaultdict

from django.db import connection
from django.db.models import (
    Aggregate,
    Count,
    Exists,
    F,
    FloatField,
    Func,
    IntegerField,
    OuterRef,
    Q,
)

from advice_requests.models import (
    OUTSTANDING_STATUSES,
    AdviceException,
    AdviceKind,
    AdviceRequest,
)

from .timeliness import percent

#: The two ways the measure is broken down.
GROUPINGS = ("service", "kind")
#: Parent views gathered by the SEN team have no partner service (decision 0020).
NO_SERVICE = "SEN team (parent views)"

COUNT_KEYS = (
    "requested",
    "measured",
    "on_time",
    "late",
    "late_with_exception",
    "revised_count",
    "on_time_excluding_exceptions",
)
PERCENTAGES = {
    "on_time_pct": ("on_time", "measured"),
    "late_pct": ("late", "measured"),
    "on_time_excluding_exceptions_pct": ("on_time_excluding_exceptions", "revised_count"),
}
KEYS = (
    "requested",
    "measured",
    "on_time",
    "on_time_pct",
    "late",
    "late_pct",
    "late_with_exception",
    "revised_count",
    "on_time_excluding_exceptions",
    "on_time_excluding_exceptions_pct",
    "median_days_to_return",
)
LABELS = {
    "requested": "Requested",
    "measured": "Measured",
    "on_time": "Returned within 6 weeks",
    "on_time_pct": "Within 6 weeks %",
    "late": "Late",
    "late_pct": "Late %",
    "late_with_exception": "Late with an exception",
    "revised_count": "Measured excluding exceptions",
    "on_time_excluding_exceptions": "Within 6 weeks excluding exceptions",
    "on_time_excluding_exceptions_pct": "Within 6 weeks excluding exceptions %",
    "median_days_to_return": "Median days to return",
}


class DaysBetween(Func):
    """Whole days from the second date to the first, in SQL (PostgreSQL: date - date)."""

    arg_joiner = " - "
    template = "(%(expressions)s)"
    output_field = IntegerField()

    def as_sqlite(self, compiler, connection, **extra_context):
        return self.as_sql(
            compiler,
            connection,
            template="CAST(julianday(%(expressions)s) AS INTEGER)",
            arg_joiner=") - julianday(",
            **extra_context,
        )


class Median(Aggregate):
    """PostgreSQL's continuous median (an ordered-set aggregate)."""

    function = "PERCENTILE_CONT"
    template = "%(function)s(0.5) WITHIN GROUP (ORDER BY %(expressions)s)"
    output_field = FloatField()


def median_in_database() -> bool:
    return connection.vendor == "postgresql"


def _requests(*, requested_from: datetime.date, requested_to: datetime.date):
    return (
        AdviceRequest.objects.not_restricted()
        .filter(requested_on__gte=requested_from, requested_on__lte=requested_to)
        .annotate(
            has_exception=Exists(
                AdviceException.objects.agreed().filter(advice_request=OuterRef("pk"))
            )
        )
    )


def _aggregates(today: datetime.date) -> dict:
    returned = Q(first_submitted_on__isnull=False)
    overdue = Q(status__in=OUTSTANDING_STATUSES, first_submitted_on__isnull=True, due_on__lt=today)
    measured = returned | overdue
    on_time = returned & Q(first_submitted_on__lte=F("due_on"))
    aggregates = {
        "requested": Count("pk"),
        "measured": Count("pk", filter=measured),
        "on_time": Count("pk", filter=on_time),
        "with_exception": Count("pk", filter=measured & Q(has_exception=True)),
        "late_with_exception": Count("pk", filter=measured & ~on_time & Q(has_exception=True)),
        "on_time_excluding_exceptions": Count("pk", filter=on_time & Q(has_exception=False)),
    }
    if median_in_database():
        aggregates["median_days_to_return"] = Median(
            DaysBetween("first_submitted_on", "requested_on"), filter=returned
        )
    return aggregates


def _python_medians(queryset, group: str) -> tuple[dict, float | None]:
    """The portable median: one query reads every returned request's days; Python takes the
    median of each group and of them all."""
    days = defaultdict(list)
    rows = (
        queryset.filter(first_submitted_on__isnull=False)
        .annotate(days=DaysBetween("first_submitted_on", "requested_on"))
        .order_by()
        .values_list(group, "days")
    )
    every = []
    for key, value in rows:
        days[key].append(value)
        every.append(value)
    medians = {key: float(statistics.median(values)) for key, values in days.items()}
    return medians, (float(statistics.median(every)) if every else None)


def _figures(counts: dict) -> dict:
    row = {
        "requested": counts.get("requested", 0),
        "measured": counts.get("measured", 0),
        "on_time": counts.get("on_time", 0),
        "late": counts.get("measured", 0) - counts.get("on_time", 0),
        "late_with_exception": counts.get("late_with_exception", 0),
        "revised_count": counts.get("measured", 0) - counts.get("with_exception", 0),
        "on_time_excluding_exceptions": counts.get("on_time_excluding_exceptions", 0),
    }
    for key, (numerator, denominator) in PERCENTAGES.items():
        row[key] = percent(row[numerator], row[denominator])
    row["median_days_to_return"] = counts.get("median_days_to_return")
    return {key: row[key] for key in KEYS}


def advice_timeliness(
    *,
    requested_from: datetime.date,
    requested_to: datetime.date,
    today: datetime.date,
    by: str,
) -> dict:
    """Advice requested between the two dates (inclusive), grouped `by` "service" or "kind".

    Shape: {"requested_from", "requested_to", "by", "rows": [{"key", "label", <KEYS>}...],
    "total": {<KEYS>}}. Two queries on PostgreSQL (rows and the total), three elsewhere.
    """
    if by not in GROUPINGS:
        raise ValueError(by)
    group = "service_id" if by == "service" else "kind"
    queryset = _requests(requested_from=requested_from, requested_to=requested_to)
    grouped = queryset.order_by().values(group).annotate(**_aggregates(today))
    if by == "service":
        grouped = grouped.annotate(service_name=F("service__name"))
    counts = {row[group]: row for row in grouped}
    total = queryset.aggregate(**_aggregates(today))
    if not median_in_database():
        medians, total["median_days_to_return"] = _python_medians(queryset, group)
        for key, median in medians.items():
            counts[key]["median_days_to_return"] = median
    rows = [
        {"key": key, "label": _label(by, key, counts[key]), **_figures(counts[key])}
        for key in counts
    ]
    rows.sort(key=lambda row: row["label"])
    return {
        "requested_from": requested_from.isoformat(),
        "requested_to": requested_to.isoformat(),
        "by": by,
        "rows": rows,
        "total": _figures(total),
    }


def _label(by: str, key, counts: dict) -> str:
    if by == "kind":
        return AdviceKind(key).label
    return counts.get("service_name") or NO_SERVICE
