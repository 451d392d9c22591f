"""The manager's dashboard (issue 7): every table the page shows, each cell with the exact value
CSV downloads carry, the text people read (percentages rounded half up) and a link to the
filtered case list that produced the figure. A fixed number of queries whatever the caseload.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.urls import reverse

from cases.deadlines import Risk
from cases.models import CaseException, CaseStatus, restricted_cases

from . import advice, selectors, timeliness
from .summary import dashboard_figures

PCT_SUFFIX = "_pct"


@dataclass(frozen=True)
class Cell:
    value: object
    text: str
    href: str = ""
    numeric: bool = True
    #: What the CSV download carries, when not `value`: percentages rounded for people
    #: (issue 14; the API keeps them exact).
    export: object = None

    @property
    def csv_value(self):
        return self.value if self.export is None else self.export


@dataclass
class Table:
    name: str
    title: str
    headers: list[str]
    rows: list[list[Cell]] = field(default_factory=list)
    caption: str = ""
    #: The columns the page shows (all when None); the CSV always has every column, so a wide
    #: table fits 1280 px (issue 14).
    page_columns: list[int] | None = None

    @property
    def csv_name(self) -> str:
        return f"{self.name}.csv"

    @property
    def page_headers(self) -> list[str]:
        if self.page_columns is None:
            return self.headers
        return [self.headers[i] for i in self.page_columns]

    @property
    def page_rows(self) -> list[list[Cell]]:
        if self.page_columns is None:
            return self.rows
        return [[row[i] for i in self.page_columns] for row in self.rows]

    @property
    def hidden_columns(self) -> int:
        return 0 if self.page_columns is None else len(self.headers) - len(self.page_columns)


def case_list_url(**params) -> str:
    query = {key: value for key, value in params.items() if value not in (None, "")}
    return f"{reverse('cases:list')}?{urlencode(query)}"


def _count(value: int, **params) -> Cell:
    return Cell(value=value, text=str(value), href=case_list_url(**params) if params else "")


def _text(value) -> Cell:
    return Cell(value=value, text=str(value), numeric=False)


def _pct(exact: float | None, numerator: int, denominator: int) -> Cell:
    shown = timeliness.whole_percent(numerator, denominator)
    return Cell(
        value="" if exact is None else exact,
        text="-" if shown is None else f"{shown}%",
        export="" if shown is None else shown,
    )


def _date(value: datetime.date) -> Cell:
    return Cell(value=value.isoformat(), text=value.strftime("%-d %b %Y"), numeric=False)


# --- Open cases by status and risk ----------------------------------------------------------

RISK_LABELS = {Risk.OVERDUE: "Overdue", Risk.AT_RISK: "At risk", Risk.ON_TRACK: "On track"}


def status_risk_table(
    *, today: datetime.date, counts: list[dict] | None = None, caption: str = ""
) -> Table:
    report = selectors.open_cases_by_status_and_risk(today=today, counts=counts)
    table = Table(
        name="status-risk",
        title="Open cases by stage and risk",
        headers=["Stage", *RISK_LABELS.values(), "Total"],
        caption=caption,
    )
    for row in report["rows"]:
        table.rows.append(
            [
                _text(row["label"]),
                *(
                    _count(row[risk.value], status=row["status"], risk=risk.value)
                    for risk in RISK_LABELS
                ),
                _count(row["total"], status=row["status"]),
            ]
        )
    total = report["total"]
    table.rows.append(
        [
            _text("All open cases"),
            *(_count(total[risk.value], risk=risk.value) for risk in RISK_LABELS),
            _count(total["total"], open="true"),
        ]
    )
    return table


# --- Overdue and at-risk lists --------------------------------------------------------------


def attention_table(
    *, today: datetime.date, risk: Risk, limit: int | None = selectors.ATTENTION_LIMIT
) -> Table:
    """The overdue or at-risk cases: the page shows the first `limit`, the CSV every one
    (limit None). Overdue counts days overdue, at risk counts days left: never a negative
    number (issue 14)."""
    overdue = risk == Risk.OVERDUE
    if overdue:
        title = f"Overdue: the {limit} cases most overdue" if limit else "Overdue cases"
    else:
        title = f"At risk: the {limit} cases due soonest" if limit else "Cases at risk"
    table = Table(
        name="overdue" if overdue else "at-risk",
        title=title,
        headers=[
            "Case",
            "Stage",
            "Caseworker",
            "Next milestone due",
            "Days overdue" if overdue else "Days left",
        ],
    )
    for case in selectors.cases_needing_attention(today=today, risk=risk.value, limit=limit):
        days = case.days_overdue if overdue else max(-case.days_overdue, 0)
        table.rows.append(
            [
                Cell(
                    value=case.reference,
                    text=case.reference,
                    href=reverse("cases:detail", args=[case.reference]),
                    numeric=False,
                ),
                _text(CaseStatus(case.status).label),
                _text(case.caseworker or "Unassigned"),
                _date(case.next_milestone_due),
                Cell(value=days, text=str(days)),
            ]
        )
    return table


# --- 20-week timeliness ---------------------------------------------------------------------


def _month_range(month: str) -> dict:
    year, number = (int(part) for part in month.split("-"))
    first = datetime.date(year, number, 1)
    following = datetime.date(year + number // 12, number % 12 + 1, 1)
    last = following - datetime.timedelta(days=1)
    return {"final_issued_from": first.isoformat(), "final_issued_to": last.isoformat()}


#: Each timeliness count and the case list filters (beyond the month) that reproduce it.
TIMELINESS_LINKS = {
    "issued": {},
    "on_time": {"final_issued_on_time": "true"},
    "late": {"final_issued_on_time": "false"},
    "late_with_exception": {"final_issued_on_time": "false", "agreed_exception": "true"},
    "revised_count": {"agreed_exception": "false"},
    "on_time_excluding_exceptions": {"final_issued_on_time": "true", "agreed_exception": "false"},
}


#: The timeliness columns the page shows (the CSV has all 17): the count, on time, late, and
#: the headline figure (on time excluding exceptions), each month and this year so far.
TIMELINESS_PAGE_KEYS = (
    "month",
    "issued",
    "on_time",
    "on_time_pct",
    "late",
    "late_with_exception",
    "on_time_excluding_exceptions_pct",
    "cumulative_on_time_excluding_exceptions_pct",
)
ADVICE_PAGE_KEYS = (
    "label",
    "requested",
    "on_time",
    "on_time_pct",
    "late",
    "on_time_excluding_exceptions_pct",
    "median_days_to_return",
)


def _columns(all_keys: tuple, shown: tuple) -> list[int]:
    return [all_keys.index(key) for key in shown]


def timeliness_table(report: dict) -> Table:
    table = Table(
        name="timeliness",
        title=f"20-week timeliness of final plans, {report['year']}",
        headers=[timeliness.LABELS["month"], *(timeliness.LABELS[k] for k in timeliness.KEYS)],
        page_columns=_columns(("month", *timeliness.KEYS), TIMELINESS_PAGE_KEYS),
    )
    year = report["year"]
    year_range = {"final_issued_from": f"{year}-01-01", "final_issued_to": f"{year}-12-31"}
    for row in [*report["months"], {"month": "Total", **report["total"]}]:
        month_range = year_range if row["month"] == "Total" else _month_range(row["month"])
        cells = [_text(row["month"])]
        for key in timeliness.KEYS:
            if key in timeliness.PERCENTAGES:
                numerator, denominator = timeliness.PERCENTAGES[key]
                cells.append(_pct(row[key], row[numerator], row[denominator]))
            elif key in TIMELINESS_LINKS:
                cells.append(_count(row[key], **month_range, **TIMELINESS_LINKS[key]))
            else:  # a running total from January: the list is every month so far
                cumulative = {**month_range, "final_issued_from": f"{year}-01-01"}
                links = TIMELINESS_LINKS[key.removeprefix("cumulative_")]
                cells.append(_count(row[key], **cumulative, **links))
        table.rows.append(cells)
    return table


# --- Advice returned within 6 weeks ---------------------------------------------------------


def advice_table(report: dict) -> Table:
    by = report["by"]
    table = Table(
        name=f"advice-by-{by}",
        title=f"Advice returned within 6 weeks, by {by}",
        caption=f"Advice requested {report['requested_from']} to {report['requested_to']}.",
        headers=[
            "Service" if by == "service" else "Kind",
            *(advice.LABELS[k] for k in advice.KEYS),
        ],
        page_columns=_columns(("label", *advice.KEYS), ADVICE_PAGE_KEYS),
    )
    for row in [*report["rows"], {"label": "All advice", **report["total"]}]:
        cells = [_text(row["label"])]
        for key in advice.KEYS:
            if key in advice.PERCENTAGES:
                numerator, denominator = advice.PERCENTAGES[key]
                cells.append(_pct(row[key], row[numerator], row[denominator]))
            elif key == "median_days_to_return":
                median = row[key]
                cells.append(Cell(value="" if median is None else median, text=_median(median)))
            else:
                cells.append(_count(row[key]))
        table.rows.append(cells)
    return table


def _median(value: float | None) -> str:
    if value is None:
        return "-"
    return str(int(value)) if float(value).is_integer() else f"{value:.1f}"


# --- Panel conversion -----------------------------------------------------------------------

CONVERSION_COLUMNS = (
    ("nap_decisions", "Assessment decisions (NAP, EY-NAP)", None),
    ("agreed_to_assess_pct", "Agreed to assess %", ("agreed_to_assess", "nap_decisions")),
    ("nap_deferred", "Assessment deferrals", None),
    ("nap_deferred_pct", "Assessment deferral rate %", ("nap_deferred", "nap_considered")),
    ("statutory_decisions", "Statutory panel decisions", None),
    ("agreed_to_issue_pct", "Agreed to issue %", ("agreed_to_issue", "statutory_decisions")),
    ("statutory_deferred", "Statutory deferrals", None),
    (
        "statutory_deferred_pct",
        "Statutory deferral rate %",
        ("statutory_deferred", "statutory_considered"),
    ),
)


def conversion_table(report: dict, *, caption: str = "") -> Table:
    table = Table(
        name="panel-conversion",
        title=f"Panel decisions, {report['year']}",
        headers=["Month", *(label for _key, label, _parts in CONVERSION_COLUMNS)],
        caption=caption,
    )
    for row in [*report["months"], {"month": "Total", **report["total"]}]:
        row = {
            **row,
            "nap_considered": row["nap_decisions"] + row["nap_deferred"],
            "statutory_considered": row["statutory_decisions"] + row["statutory_deferred"],
        }
        cells = [_text(row["month"])]
        for key, _label, parts in CONVERSION_COLUMNS:
            if parts:
                cells.append(_pct(row[key], row[parts[0]], row[parts[1]]))
            else:
                cells.append(_count(row[key]))
        table.rows.append(cells)
    return table


# --- Caseload and ageing --------------------------------------------------------------------


def caseload_table(
    *, today: datetime.date, counts: list[dict] | None = None, caption: str = ""
) -> Table:
    table = Table(
        name="caseload",
        title="Caseload per caseworker",
        headers=["Caseworker", "Open cases", "At risk", "Overdue"],
        caption=caption,
    )
    for row in selectors.caseload_by_caseworker(today=today, counts=counts):
        who = {"caseworker": row["username"]} if row["username"] else {"unassigned": "true"}
        table.rows.append(
            [
                _text(row["name"]),
                _count(row["open"], **who, open="true"),
                _count(row["at_risk"], **who, risk=Risk.AT_RISK.value),
                _count(row["overdue"], **who, risk=Risk.OVERDUE.value),
            ]
        )
    return table


def ageing_table(
    *, today: datetime.date, counts: list[dict] | None = None, caption: str = ""
) -> Table:
    summary = selectors.ageing_summary(today=today, counts=counts)
    table = Table(
        name="ageing",
        title="Open cases waiting",
        headers=["Waiting", "Open cases"],
        caption=caption,
    )
    table.rows.append([_text("All open cases"), _count(summary["open"], open="true")])
    for weeks in selectors.AGEING_WEEKS:
        cutoff = today - datetime.timedelta(days=weeks * 7 + 1)
        table.rows.append(
            [
                _text(f"Over {weeks} weeks"),
                _count(summary[f"over_{weeks}_weeks"], open="true", received_to=cutoff.isoformat()),
            ]
        )
    return table


# --- Exceptions waiting for a manager (issue 14) -------------------------------------------

#: How many waiting exceptions the dashboard lists (the count covers all of them).
EXCEPTIONS_SHOWN = 10


def exceptions_waiting():
    """Exceptions proposed and neither agreed nor refused, oldest first (one query; the
    partial index `case_exception_waiting` keeps it small)."""
    return (
        CaseException.objects.filter(agreed_at__isnull=True, refused_at__isnull=True)
        .exclude(case_id__in=restricted_cases())
        .select_related("case", "proposed_by")
        .order_by("proposed_at", "id")
    )


def exceptions_table(*, limit: int | None = EXCEPTIONS_SHOWN) -> Table:
    rows = exceptions_waiting()
    table = Table(
        name="exceptions-waiting",
        title="Exceptions waiting for a manager" + (f": the {limit} oldest" if limit else ""),
        headers=["Case", "Ground", "Dates", "Proposed by", "Proposed on"],
    )
    for exception in rows[:limit] if limit else rows:
        reference = exception.case.reference
        dates = exception.starts_on.strftime("%-d %b %Y")
        if exception.ends_on:
            dates += f" to {exception.ends_on:%-d %b %Y}"
        person = exception.proposed_by
        table.rows.append(
            [
                Cell(
                    value=reference,
                    text=reference,
                    href=reverse("cases:detail", args=[reference]) + "#exceptions",
                    numeric=False,
                ),
                Cell(value=exception.ground, text=exception.get_ground_display(), numeric=False),
                Cell(value=dates, text=dates, numeric=False),
                Cell(
                    value=person.get_full_name() or person.get_username(),
                    text=person.get_full_name() or person.get_username(),
                    numeric=False,
                ),
                Cell(
                    value=exception.proposed_at.date().isoformat(),
                    text=f"{exception.proposed_at:%-d %b %Y}",
                    numeric=False,
                ),
            ]
        )
    return table


# --- The page -------------------------------------------------------------------------------

TABLE_NAMES = (
    "status-risk",
    "overdue",
    "at-risk",
    "timeliness",
    "advice-by-service",
    "advice-by-kind",
    "panel-conversion",
    "caseload",
    "ageing",
    "exceptions-waiting",
)


def build_table(name: str, *, today: datetime.date) -> Table:
    """One table by name (for its CSV download). The tables the page reads from the sweep's
    summary read it here too, so a download carries the figures the page shows."""
    year = today.year
    advice_range = {"requested_from": datetime.date(year, 1, 1), "requested_to": today}

    def counts():
        return dashboard_figures(today=today).open_cases

    builders = {
        "status-risk": lambda: status_risk_table(today=today, counts=counts()),
        # The downloads give every case, not the first 20 the page shows (issue 14).
        "overdue": lambda: attention_table(today=today, risk=Risk.OVERDUE, limit=None),
        "at-risk": lambda: attention_table(today=today, risk=Risk.AT_RISK, limit=None),
        "timeliness": lambda: timeliness_table(timeliness.timeliness_report(year=year)),
        "advice-by-service": lambda: advice_table(
            advice.advice_timeliness(today=today, by="service", **advice_range)
        ),
        "advice-by-kind": lambda: advice_table(
            advice.advice_timeliness(today=today, by="kind", **advice_range)
        ),
        "panel-conversion": lambda: conversion_table(
            dashboard_figures(today=today).panel_conversion
        ),
        "caseload": lambda: caseload_table(today=today, counts=counts()),
        "ageing": lambda: ageing_table(today=today, counts=counts()),
        "exceptions-waiting": lambda: exceptions_table(limit=None),
    }
    return builders[name]()
