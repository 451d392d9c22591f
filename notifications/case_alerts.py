"""The cases sweep source (section 6): a case entering `at_risk` or `overdue` alerts its
caseworker, and for `overdue` their manager, once per milestone and level.

Cost: two SELECTs whatever the number of cases, plus, only when something changed, one upsert
of the changed alert states, the SELECTs of who is told (users, managers, line managers, email
opt-outs) and one insert of the alerts: a fixed number of statements however many changed.
"""

from __future__ import annotations

import datetime

from django.db import connection, transaction
from django.db.models import F, Q

from cases.deadlines import Risk
from cases.models import OPEN_STATUSES, Case

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


def sweep_cases(*, today: datetime.date, now: datetime.datetime) -> int:
    changed = changed_open_cases(today)
    closed = closed_cases_with_live_state()
    if not changed and not closed:
        return 0
    return _record(changed, closed, today=today, now=now)


@transaction.atomic
def _record(changed: list[dict], closed: list[int], *, today, now) -> int:
    states = [
        (row["pk"], row["next_milestone"], row["next_milestone_due"], row["risk"])
        for row in changed
    ]
    states += [(pk, "", None, "") for pk in closed]
    states.sort()  # by case: one lock order
    alerts = case_alerts([row for row in changed if row["risk"] in ALERT_KIND], today=today)
    alert_states_upsert(states, now=now)
    return alerts_record(alerts=alerts, now=now)


#: The new states in one statement, sent as one JSON document of columns (see services.py).
_UPSERT_STATES = """
INSERT INTO notifications_casealertstate (case_id, milestone, due_on, risk, changed_at)
SELECT s.case_id, s.milestone, s.due_on, s.risk, %(now)s
FROM jsonb_to_record(%(states)s::jsonb) AS b(
  case_id bigint[], milestone text[], due_on date[], risk text[]
)
CROSS JOIN LATERAL unnest(b.case_id, b.milestone, b.due_on, b.risk)
  AS s(case_id, milestone, due_on, risk)
ON CONFLICT (case_id) DO UPDATE SET milestone = EXCLUDED.milestone, due_on = EXCLUDED.due_on,
  risk = EXCLUDED.risk, changed_at = EXCLUDED.changed_at
"""


def alert_states_upsert(states: list[tuple], *, now: datetime.datetime) -> None:
    """Write (case id, milestone, due date, risk) as each case's last alert state."""
    if connection.vendor == "postgresql":
        names = ("case_id", "milestone", "due_on", "risk")
        columns = dict(zip(names, zip(*states, strict=True), strict=True))
        with connection.cursor() as cursor:
            cursor.execute(_UPSERT_STATES, {"now": now, "states": messages.context_json(columns)})
        return
    CaseAlertState.objects.bulk_create(
        [
            CaseAlertState(
                case_id=pk, milestone=milestone, due_on=due_on, risk=risk, changed_at=now
            )
            for pk, milestone, due_on, risk in states
        ],
        update_conflicts=True,
        unique_fields=["case"],
        update_fields=["milestone", "due_on", "risk", "changed_at"],
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
