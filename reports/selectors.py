"""The other measures of ehc-process.md section 7, each a fixed number of queries.

Advice returned within 6 weeks lives in reports.advice. The panels' deferral rate comes from
the agenda items' recorded outcomes: a deferral does not move the case, so it leaves no case
transition to count (decision 0043).
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db.models import Count, Q
from django.db.models.functions import ExtractMonth

from audit.models import AuditEntry
from cases.deadlines import Risk
from cases.models import OPEN_STATUSES, Case, restricted_cases
from cases.roles import Role
from panels.models import AgendaItem, Outcome, PanelType

from .timeliness import percent

RISK_LEVELS = (Risk.OVERDUE, Risk.AT_RISK, Risk.ON_TRACK)

#: Section 7's ageing thresholds: open cases waiting longer than 20 and 52 weeks.
AGEING_WEEKS = (20, 52)


def open_case_counts(*, today: datetime.date) -> list[dict]:
    """One pass over the open cases (one query): per caseworker and stage, how many are open,
    overdue, at risk and on track, and how many have waited over 20 and over 52 weeks.

    Stage x risk, caseload and ageing are sums of these rows, so the dashboard reads the open
    cases once rather than three times (decision 0076). Rows: {"caseworker_id", "status", "n",
    "overdue", "at_risk", "on_track", "over_20_weeks", "over_52_weeks"}; `n` also counts an
    open case with no milestone due, which has no risk. The risks are counted as filters, not
    grouped on: grouping on the derived risk leads PostgreSQL to expect a group per case.
    """
    figures = {risk.value: Count("pk", filter=Q(risk=risk.value)) for risk in RISK_LEVELS}
    for weeks in AGEING_WEEKS:
        cutoff = today - datetime.timedelta(days=weeks * 7)
        figures[f"over_{weeks}_weeks"] = Count("pk", filter=Q(received_on__lt=cutoff))
    return list(
        Case.objects.open()
        .with_risk(today)
        .order_by()
        .values("caseworker_id", "status")
        .annotate(n=Count("pk"), **figures)
    )


def open_cases_by_status_and_risk(
    *, today: datetime.date, counts: list[dict] | None = None
) -> dict:
    """Section 7 "open cases by stage and risk": one query (none when given the dashboard's
    `open_case_counts` for the same day), every cell present (zeros too).

    Shape: {"rows": [{"status", "label", "overdue", "at_risk", "on_track", "total"}, ...],
    "total": {...}} in the order a case moves through the stages.
    """
    by_cell = defaultdict(int)
    for row in open_case_counts(today=today) if counts is None else counts:
        for risk in RISK_LEVELS:
            by_cell[row["status"], risk.value] += row[risk.value]
    rows = []
    for status in OPEN_STATUSES:
        row = {"status": status.value, "label": status.label}
        for risk in RISK_LEVELS:
            row[risk.value] = by_cell[status.value, risk.value]
        row["total"] = sum(row[risk.value] for risk in RISK_LEVELS)
        rows.append(row)
    total = {
        key: sum(row[key] for row in rows) for key in [*(r.value for r in RISK_LEVELS), "total"]
    }
    return {"rows": rows, "total": total}


#: How many of the longest-waiting cases the ageing report lists.
ATTENTION_LIMIT_WAITING = 20


@dataclass(frozen=True)
class WaitingCase:
    pk: int
    reference: str
    status: str
    received_on: datetime.date
    days_waited: int

    @property
    def weeks_waited(self) -> int:
        """Completed weeks since the request was received (week 0 is the day it arrived)."""
        return self.days_waited // 7


def cases_waiting_over(*, today: datetime.date, weeks: int, limit: int | None = None):
    """Open cases that have waited more than `weeks` weeks (more than 7 x weeks days), longest
    first. Over 20 weeks means past the final plan's due date (reg 13(2)). One query."""
    cutoff = today - datetime.timedelta(days=weeks * 7)
    rows = (
        Case.objects.open()
        .filter(received_on__lt=cutoff)
        .order_by("received_on", "pk")
        .values("pk", "reference", "status", "received_on")
    )
    if limit is not None:
        rows = rows[:limit]
    return [WaitingCase(days_waited=(today - row["received_on"]).days, **row) for row in rows]


def ageing_summary(*, today: datetime.date, counts: list[dict] | None = None) -> dict[str, int]:
    """How many open cases have waited over 20 and over 52 weeks: one query, or none when
    given the dashboard's `open_case_counts` for the same day (alone, it skips the risk)."""
    if counts is not None:
        keys = ("n", *(f"over_{weeks}_weeks" for weeks in AGEING_WEEKS))
        summary = {key: sum(row[key] for row in counts) for key in keys}
        return {"open": summary.pop("n"), **summary}
    filters = {
        f"over_{weeks}_weeks": Count(
            "pk", filter=Q(received_on__lt=today - datetime.timedelta(days=weeks * 7))
        )
        for weeks in AGEING_WEEKS
    }
    return Case.objects.open().aggregate(open=Count("pk"), **filters)


def ageing_report(*, today: datetime.date, limit: int = ATTENTION_LIMIT_WAITING) -> dict:
    """The ageing counts and, for each threshold, the longest-waiting open cases (three
    queries). Dates as ISO strings so the API and CSV show them as they are."""
    report = {"summary": ageing_summary(today=today)}
    for weeks in AGEING_WEEKS:
        report[f"over_{weeks}_weeks"] = [
            {
                "reference": case.reference,
                "status": case.status,
                "received_on": case.received_on.isoformat(),
                "weeks_waited": case.weeks_waited,
            }
            for case in cases_waiting_over(today=today, weeks=weeks, limit=limit)
        ]
    return report


#: The risks the caseload table counts (on track is the rest of the open cases).
CASELOAD_RISKS = (Risk.AT_RISK.value, Risk.OVERDUE.value)


def caseload_by_caseworker(*, today: datetime.date, counts: list[dict] | None = None) -> list[dict]:
    """Open cases, at risk and overdue per caseworker (two queries; one when given the
    dashboard's `open_case_counts` for the same day). Active caseworkers with no open case are
    listed with zeros, so a manager sees who has room; unassigned cases come last as a row with
    `caseworker_id` None."""
    by_worker: dict = {}
    for row in open_case_counts(today=today) if counts is None else counts:
        worker = by_worker.setdefault(row["caseworker_id"], {"open": 0, "at_risk": 0, "overdue": 0})
        worker["open"] += row["n"]
        for risk in CASELOAD_RISKS:
            worker[risk] += row[risk]
    people = (
        get_user_model()
        .objects.filter(
            Q(pk__in=[pk for pk in by_worker if pk is not None])
            | Q(is_active=True, groups__name=Role.CASEWORKER.value)
        )
        .distinct()
        .order_by("last_name", "first_name", "username")
    )
    rows = []
    for person in people:
        row = by_worker.get(person.pk, {})
        rows.append(
            {
                "caseworker_id": person.pk,
                "username": person.username,
                "name": person.get_full_name() or person.username,
                "open": row.get("open", 0),
                "at_risk": row.get("at_risk", 0),
                "overdue": row.get("overdue", 0),
            }
        )
    if None in by_worker:
        row = by_worker[None]
        rows.append(
            {
                "caseworker_id": None,
                "username": "",
                "name": "Unassigned",
                "open": row["open"],
                "at_risk": row["at_risk"],
                "overdue": row["overdue"],
            }
        )
    return rows


#: The case steps that are panel decisions (section 5), by panel.
NAP_VERBS = {"agree": "case.agree_to_assess", "decline": "case.decline_to_assess"}
STATUTORY_VERBS = {"agree": "case.agree_to_issue", "decline": "case.decline_to_issue"}


def panel_conversion(*, year: int) -> dict:
    """Per month of the decision (its effective date) in `year`: NAP and EY-NAP decisions and
    the share agreeing to assess; statutory panel decisions and the share agreeing to issue;
    and for each, the deferral rate: deferrals / (decisions + deferrals), the share of the
    times a panel considered a case that it put off deciding.

    Decisions are counted from the case audit trail (one query), so a case declined and later
    reopened on appeal counts its decline (the panel's decision) and the reopening counts
    nowhere (it is not a panel decision). Imported historic decisions count: they are
    decisions a panel made. Deferrals are counted from agenda items (one query), by the month
    of their meeting (decision 0043).
    """
    start, end = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
    verbs = [*NAP_VERBS.values(), *STATUTORY_VERBS.values()]
    rows = (
        AuditEntry.objects.filter(
            verb__in=verbs,
            effective_date__gte=start,
            effective_date__lte=end,
        )
        .exclude(case_id__in=restricted_cases())
        .annotate(month=ExtractMonth("effective_date"))
        .order_by()
        .values("month")
        .annotate(
            **{
                # Count the verb, not the id: the (verb, effective_date) index answers alone.
                f"{panel}_{outcome}": Count("verb", filter=Q(verb=verb))
                for panel, table in (("nap", NAP_VERBS), ("statutory", STATUTORY_VERBS))
                for outcome, verb in table.items()
            }
        )
    )
    by_month = {row["month"]: dict(row) for row in rows}
    deferrals = (
        AgendaItem.objects.filter(
            outcome=Outcome.DEFER,
            meeting__date__gte=start,
            meeting__date__lte=end,
        )
        .exclude(case_id__in=restricted_cases())
        .annotate(month=ExtractMonth("meeting__date"))
        .order_by()
        .values("month")
        .annotate(
            nap_defer=Count("pk", filter=~Q(meeting__panel__panel_type=PanelType.STATUTORY)),
            statutory_defer=Count("pk", filter=Q(meeting__panel__panel_type=PanelType.STATUTORY)),
        )
    )
    for row in deferrals:
        by_month.setdefault(row["month"], {}).update(
            nap_defer=row["nap_defer"], statutory_defer=row["statutory_defer"]
        )
    months = [_conversion_row(f"{year}-{m:02d}", by_month.get(m, {})) for m in range(1, 13)]
    total = {key: sum(row.get(key, 0) for row in by_month.values()) for key in CONVERSION_COUNTS}
    return {"year": year, "months": months, "total": _conversion_row(None, total)}


CONVERSION_COUNTS = (
    "nap_agree",
    "nap_decline",
    "nap_defer",
    "statutory_agree",
    "statutory_decline",
    "statutory_defer",
)


def _conversion_row(month: str | None, counts: dict) -> dict:
    nap_agree, nap_decline = counts.get("nap_agree", 0), counts.get("nap_decline", 0)
    stat_agree, stat_decline = counts.get("statutory_agree", 0), counts.get("statutory_decline", 0)
    nap_defer, stat_defer = counts.get("nap_defer", 0), counts.get("statutory_defer", 0)
    nap_decisions, stat_decisions = nap_agree + nap_decline, stat_agree + stat_decline
    row = {
        "nap_decisions": nap_decisions,
        "agreed_to_assess": nap_agree,
        "agreed_to_assess_pct": percent(nap_agree, nap_decisions),
        "nap_deferred": nap_defer,
        "nap_deferred_pct": percent(nap_defer, nap_decisions + nap_defer),
        "statutory_decisions": stat_decisions,
        "agreed_to_issue": stat_agree,
        "agreed_to_issue_pct": percent(stat_agree, stat_decisions),
        "statutory_deferred": stat_defer,
        "statutory_deferred_pct": percent(stat_defer, stat_decisions + stat_defer),
    }
    return {"month": month, **row} if month else row


@dataclass(frozen=True)
class AttentionCase:
    pk: int
    reference: str
    status: str
    risk: str
    caseworker: str
    next_milestone_due: datetime.date
    days_overdue: int


#: The dashboard's lists: the cases a head of service looks at first.
ATTENTION_LIMIT = 20


def cases_needing_attention(
    *, today: datetime.date, risk: str, limit: int | None = ATTENTION_LIMIT
):
    """Open cases at `risk` (overdue or at risk), most days overdue first (for at-risk cases
    the days are negative: the days left), then by reference. One query."""
    rows = (
        Case.objects.open()
        .with_risk(today)
        .filter(risk=risk)
        .order_by("next_milestone_due", "reference")
        .values(
            "pk",
            "reference",
            "status",
            "risk",
            "caseworker__username",
            "caseworker__first_name",
            "caseworker__last_name",
            "next_milestone_due",
        )[:limit]
    )
    return [
        AttentionCase(
            pk=row["pk"],
            reference=row["reference"],
            status=row["status"],
            risk=row["risk"],
            # People's names, not usernames (issue 14).
            caseworker=(
                f"{row['caseworker__first_name']} {row['caseworker__last_name']}".strip()
                or row["caseworker__username"]
                or ""
            ),
            next_milestone_due=row["next_milestone_due"],
            days_overdue=(today - row["next_milestone_due"]).days,
        )
        for row in rows
    ]
