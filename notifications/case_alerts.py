"""The cases sweep source (section 6): a case entering `at_risk` or `overdue` alerts its
caseworker, and for `overdue` their manager, once per milestone and level.

It reads only what changed (decision 0190): the cases flagged for a recheck since the last
sweep (`cases.CaseRiskRecheck`: every saved change to a case, and every change to its stored
risk inputs, flags it) plus the cases whose alert state is due for a recheck today
(`recheck_on`: the first day the risk would move with nothing else changing, from the warning
window, the due date and the stored input dates). Flags are claimed in one `DELETE ...
RETURNING` inside the sweep's transaction, so a change committed meanwhile either is read or
flags the case again.

Cost: one DELETE of the flags (nothing flagged: one read), one SELECT of the due states (index
on `recheck_on`), one SELECT of the candidates by primary key, and, only when something
changed, the upserts of the states and the statements of who is told: nothing reads the cases
that did not change, however many are open.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import connection, transaction
from django.db.models import F, Q

from cases.deadlines import Risk
from cases.models import OPEN_STATUSES, RISK_INPUT_DATES, Case, CaseRiskRecheck

from . import messages
from .models import CaseAlertState, Kind
from .selectors import line_managers, managers, users_as_recipients
from .services import Alert, alerts_record

ALERT_KIND = {Risk.AT_RISK.value: Kind.CASE_AT_RISK, Risk.OVERDUE.value: Kind.CASE_OVERDUE}
_FIELDS = ("pk", "reference", "next_milestone", "next_milestone_due", "risk", "caseworker_id")


def changed_open_cases(today: datetime.date) -> list[dict]:
    """Open cases whose milestone, due date or risk differ from the last alert state (or have
    none yet): one query, however many cases are open."""
    return list(
        Case.objects.open()
        .with_risk(today)
        .annotate(
            alerted_milestone=F("alert_state__milestone"),
            alerted_due=F("alert_state__due_on"),
            alerted_risk=F("alert_state__risk"),
        )
        .filter(
            Q(alerted_risk__isnull=True)
            | Q(alerted_due__isnull=True)
            | ~Q(alerted_risk=F("risk"))
            | ~Q(alerted_milestone=F("next_milestone"))
            | ~Q(alerted_due=F("next_milestone_due"))
        )
        .order_by("pk")
        .values(*_FIELDS)
    )


def closed_cases_with_live_state() -> list[int]:
    """Closed cases whose last alert state still names a milestone: one query."""
    return list(
        CaseAlertState.objects.exclude(milestone="")
        .exclude(case__status__in=OPEN_STATUSES)
        .order_by("pk")
        .values_list("pk", flat=True)
    )


_DAY = datetime.timedelta(days=1)


def recheck_on(row: dict, *, warning_days: int) -> datetime.date | None:
    """The first day this case's risk would change if nothing about it changed: at risk from
    the warning window's first day or the day after a stored input date (advice, consultation,
    letter: RISK_INPUT_DATES), overdue from the day after the due date. None when only a
    change can move it (overdue already, or closed)."""
    due = row["next_milestone_due"]
    if due is None or row["risk"] not in (Risk.ON_TRACK, Risk.AT_RISK):
        return None
    if row["risk"] == Risk.AT_RISK:
        return due + _DAY
    days = [due - datetime.timedelta(days=warning_days)]
    days += [row[field] + _DAY for field in RISK_INPUT_DATES if row[field] is not None]
    return min(days)


#: Claims the flagged cases: deletes their flags and returns them. A writer holding a flag (its
#: upsert locks it) is waited for, so its change is read; one committed after flags again.
_CLAIM = "DELETE FROM cases_caseriskrecheck RETURNING case_id"
#: Candidates are read by primary key in chunks (the first sweep after the upgrade reads all).
_CHUNK = 10_000


def claim_flagged_cases() -> list[int]:
    """The flagged cases, their flags cleared. Nothing flagged: one read, no write."""
    if not CaseRiskRecheck.objects.exists():
        return []
    with connection.cursor() as cursor:
        cursor.execute(_CLAIM)
        return [row[0] for row in cursor.fetchall()]


def candidate_cases(case_ids: list[int], today: datetime.date) -> list[dict]:
    """These cases' derived state now, with their last alert state: by primary key."""
    rows = []
    for start in range(0, len(case_ids), _CHUNK):
        rows += (
            Case.objects.filter(pk__in=case_ids[start : start + _CHUNK])
            .with_risk(today)
            .annotate(
                alerted_milestone=F("alert_state__milestone"),
                alerted_due=F("alert_state__due_on"),
                alerted_risk=F("alert_state__risk"),
                alerted_recheck=F("alert_state__recheck_on"),
                has_state=Q(alert_state__isnull=False),
            )
            .order_by("pk")
            .values(
                *_FIELDS,
                *RISK_INPUT_DATES,
                "status",
                "alerted_milestone",
                "alerted_due",
                "alerted_risk",
                "alerted_recheck",
                "has_state",
            )
        )
    return rows


@transaction.atomic
def sweep_cases(*, today: datetime.date, now: datetime.datetime) -> int:
    claimed = claim_flagged_cases()
    due = CaseAlertState.objects.filter(recheck_on__lte=today).values_list("case_id", flat=True)
    case_ids = sorted(set(claimed).union(due))
    if not case_ids:
        return 0
    warning_days = settings.EHC_RISK_WARNING_DAYS
    changed, states, rechecks = [], [], []
    for row in candidate_cases(case_ids, today):
        if row["status"] in OPEN_STATUSES:
            state = (row["next_milestone"], row["next_milestone_due"], row["risk"])
            recheck = recheck_on(row, warning_days=warning_days)
        elif row["has_state"]:
            state, recheck = ("", None, ""), None  # closed: the state names no milestone
        else:
            continue  # closed and never alerted: nothing to keep
        alerted = (row["alerted_milestone"], row["alerted_due"], row["alerted_risk"])
        if not row["has_state"] or alerted != state:
            states.append((row["pk"], *state, recheck))
            if row["status"] in OPEN_STATUSES:
                changed.append(row)
        elif row["alerted_recheck"] != recheck:
            rechecks.append((row["pk"], recheck))
    if states:
        alert_states_upsert(states, now=now)
    if rechecks:
        alert_states_recheck_set(rechecks)
    alerts = case_alerts([row for row in changed if row["risk"] in ALERT_KIND], today=today)
    return alerts_record(alerts=alerts, now=now) if alerts else 0


#: The new states in one statement, sent as one JSON document of columns (see services.py).
_UPSERT_STATES = """
INSERT INTO notifications_casealertstate (case_id, milestone, due_on, risk, recheck_on,
  changed_at)
SELECT s.case_id, s.milestone, s.due_on, s.risk, s.recheck_on, %(now)s
FROM jsonb_to_record(%(states)s::jsonb) AS b(
  case_id bigint[], milestone text[], due_on date[], risk text[], recheck_on date[]
)
CROSS JOIN LATERAL unnest(b.case_id, b.milestone, b.due_on, b.risk, b.recheck_on)
  AS s(case_id, milestone, due_on, risk, recheck_on)
ON CONFLICT (case_id) DO UPDATE SET milestone = EXCLUDED.milestone, due_on = EXCLUDED.due_on,
  risk = EXCLUDED.risk, recheck_on = EXCLUDED.recheck_on, changed_at = EXCLUDED.changed_at
"""
_STATE_COLUMNS = ("case_id", "milestone", "due_on", "risk", "recheck_on")


def alert_states_upsert(states: list[tuple], *, now: datetime.datetime) -> None:
    """Write (case id, milestone, due date, risk, recheck date) as each case's last alert
    state, in case order (one lock order)."""
    states = sorted(states)
    if connection.vendor == "postgresql":
        columns = dict(zip(_STATE_COLUMNS, zip(*states, strict=True), strict=True))
        with connection.cursor() as cursor:
            cursor.execute(_UPSERT_STATES, {"now": now, "states": messages.context_json(columns)})
        return
    CaseAlertState.objects.bulk_create(
        [
            CaseAlertState(
                case_id=pk,
                milestone=milestone,
                due_on=due_on,
                risk=risk,
                recheck_on=recheck,
                changed_at=now,
            )
            for pk, milestone, due_on, risk, recheck in states
        ],
        update_conflicts=True,
        unique_fields=["case"],
        update_fields=["milestone", "due_on", "risk", "recheck_on", "changed_at"],
    )


_SET_RECHECK = """
UPDATE notifications_casealertstate s SET recheck_on = v.recheck_on
FROM jsonb_to_record(%(rows)s::jsonb) AS b(case_id bigint[], recheck_on date[])
CROSS JOIN LATERAL unnest(b.case_id, b.recheck_on) AS v(case_id, recheck_on)
WHERE s.case_id = v.case_id
"""


def alert_states_recheck_set(rows: list[tuple]) -> None:
    """Move the recheck date of states whose risk did not change (an input moved it)."""
    rows = sorted(rows)
    if connection.vendor == "postgresql":
        columns = dict(zip(("case_id", "recheck_on"), zip(*rows, strict=True), strict=True))
        with connection.cursor() as cursor:
            cursor.execute(_SET_RECHECK, {"rows": messages.context_json(columns)})
        return
    CaseAlertState.objects.bulk_update(
        [CaseAlertState(case_id=pk, recheck_on=recheck) for pk, recheck in rows],
        ["recheck_on"],
    )


def case_alerts(rows: list[dict], *, today: datetime.date) -> list[Alert]:
    """Who is told about each case now at risk or overdue. An unassigned case goes to every
    manager, so that nobody's deadline is missed for want of a name (decision 0031)."""
    if not rows:
        return []
    caseworkers = users_as_recipients(row["caseworker_id"] for row in rows)
    any_overdue_or_unassigned = any(
        row["risk"] == Risk.OVERDUE or row["caseworker_id"] not in caseworkers for row in rows
    )
    all_managers = managers() if any_overdue_or_unassigned else []
    line = line_managers() if any_overdue_or_unassigned else {}
    alerts = []
    for row in rows:
        caseworker = caseworkers.get(row["caseworker_id"])
        kind = ALERT_KIND[row["risk"]]
        context = messages.case_alert_context(
            reference=row["reference"],
            milestone=row["next_milestone"],
            due_on=row["next_milestone_due"],
            today=today,
        )
        manager_context = {**context, "for_manager": True, "caseworker": _name(caseworker)}
        told = []
        if caseworker is not None:
            told.append((caseworker, context))
        if kind == Kind.CASE_OVERDUE or caseworker is None:
            chosen = [line[row["caseworker_id"]]] if row["caseworker_id"] in line else all_managers
            told += [
                (m, manager_context) for m in chosen if m.key != getattr(caseworker, "key", "")
            ]
        milestone = f"{row['next_milestone']}@{row['next_milestone_due'].isoformat()}"
        alerts += [
            Alert(
                kind=kind,
                object_type="case",
                object_id=str(row["pk"]),
                milestone=milestone,
                level=row["risk"],
                recipient=recipient,
                context=ctx,
                case_id=row["pk"],
                due_on=row["next_milestone_due"],
            )
            for recipient, ctx in told
        ]
    return alerts


def _name(recipient) -> str:
    return recipient.name if recipient is not None else ""
