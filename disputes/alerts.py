"""The disputes sweep source (section 14 on section 6's sweep): each of the council's dispute
deadlines alerts the case's caseworker once when it comes within 7 days ("at risk") and once
when it passes ("overdue"), and their manager once when overdue (decision 0122).

The council's deadlines: its response to the tribunal (30 working days), mediation within 30
days of the family asking, and each step of an order, concession or mediation agreement not
already carried by the reopened case's own clock (the cases sweep alerts those). The family's
own deadlines (to contact the adviser, to appeal) are shown, never alerted.

Idempotent: the notification's unique key (kind, object, milestone, level, recipient) and a
check of what is already recorded; a missed run only delays an alert. Cost: three SELECTs of
what is owed (few rows: disputes are rare), one of what was recorded, the recipients, one
insert.
"""

from __future__ import annotations

import datetime

from django.db.models.functions import Coalesce

from cases.models import restricted_cases
from notifications import messages
from notifications.models import Kind, Notification
from notifications.selectors import line_managers, managers, users_as_recipients
from notifications.services import Alert, alerts_record

from .models import Appeal, AppealStatus, Mediation, MediationStatus, OrderDeadline

#: Alert this many days before a dispute deadline (its periods are short: 2 weeks and up).
DUE_SOON_DAYS = 7
OBJECT_TYPE = "dispute_deadline"
MEDIATION_WHAT = "mediation (within 30 days of the family asking)"
LEVEL_KIND = {"at_risk": Kind.CASE_AT_RISK, "overdue": Kind.CASE_OVERDUE}
#: Who is told: the plan's caseworker for a review's decision (plans move between caseworkers
#: after the request), else the case's.
OWNER = Coalesce("dispute__review__plan__caseworker_id", "dispute__case__caseworker_id")


def _owed(today: datetime.date) -> list[dict]:
    """(object id, what, due date, case) of every council dispute deadline due within 7 days
    or passed and not met, for cases not restricted: three queries."""
    horizon = today + datetime.timedelta(days=DUE_SOON_DAYS)
    rows = []
    responses = (
        Appeal.objects.filter(status=AppealStatus.REGISTERED, response_due__lte=horizon)
        .exclude(dispute__case_id__in=restricted_cases())
        .annotate(owner_id=OWNER)
        .values(
            "pk",
            "response_due",
            "dispute__case_id",
            "dispute__case__reference",
            "owner_id",
        )
    )
    rows += [
        _row(f"response:{r['pk']}", "council's response to the tribunal", r["response_due"], r)
        for r in responses
    ]
    mediations = (
        Mediation.objects.filter(status=MediationStatus.MEDIATING, mediation_due__lte=horizon)
        .exclude(dispute__case_id__in=restricted_cases())
        .annotate(owner_id=OWNER)
        .values(
            "pk",
            "mediation_due",
            "dispute__case_id",
            "dispute__case__reference",
            "owner_id",
        )
    )
    rows += [
        _row(
            f"mediation:{r['pk']}",
            MEDIATION_WHAT,
            r["mediation_due"],
            r,
        )
        for r in mediations
    ]
    steps = (
        OrderDeadline.objects.filter(
            done_on__isnull=True, not_needed=False, on_case_clock=False, due_on__lte=horizon
        )
        .exclude(dispute__case_id__in=restricted_cases())
        .annotate(owner_id=OWNER)
        .values(
            "pk",
            "label",
            "due_on",
            "dispute__case_id",
            "dispute__case__reference",
            "owner_id",
        )
    )
    rows += [
        _row(f"order:{r['pk']}", f"order: {r['label'][0].lower()}{r['label'][1:]}", r["due_on"], r)
        for r in steps
    ]
    return rows


def _row(object_id, what, due_on, values) -> dict:
    return {
        "object_id": object_id,
        "what": what,
        "due_on": due_on,
        "case_id": values["dispute__case_id"],
        "reference": values["dispute__case__reference"],
        "caseworker_id": values["owner_id"],
    }


def _recorded(object_ids) -> set[tuple[str, str, str]]:
    """(object id, milestone, level) already alerted: one query, on the leading columns of the
    notifications' unique key (kind, object type, object id), unordered, so it probes that index
    rather than scanning every notification."""
    return set(
        Notification.objects.filter(
            kind__in=sorted(set(LEVEL_KIND.values())),
            object_type=OBJECT_TYPE,
            object_id__in=set(object_ids),
        )
        .order_by()
        .values_list("object_id", "milestone", "level")
        .distinct()
    )


def disputes_owing_alerts(today: datetime.date) -> list[Alert]:
    """The alerts the council's dispute deadlines owe today and have not had (the sweep's
    reads; the benchmark compares its hand SQL with them)."""
    owed = _owed(today)
    if not owed:
        return []
    recorded = _recorded(row["object_id"] for row in owed)
    return dispute_alerts(owed, today=today, recorded=recorded)


def sweep_disputes(*, today: datetime.date, now: datetime.datetime) -> int:
    alerts = disputes_owing_alerts(today)
    return alerts_record(alerts=alerts, now=now) if alerts else 0


def _milestone(row) -> str:
    return f"{row['object_id'].split(':')[0]}@{row['due_on'].isoformat()}"


def dispute_alerts(rows: list[dict], *, today, recorded) -> list[Alert]:
    caseworkers = users_as_recipients(row["caseworker_id"] for row in rows if row["caseworker_id"])
    line = line_managers()
    everyone = managers()
    alerts = []
    for row in rows:
        level = "overdue" if row["due_on"] < today else "at_risk"
        milestone = _milestone(row)
        if (row["object_id"], milestone, level) in recorded:
            continue
        caseworker = caseworkers.get(row["caseworker_id"])
        context = {
            "reference": row["reference"],
            "what": row["what"],
            "due_on": row["due_on"],
            "days": messages.days_phrase(row["due_on"], today),
            "link": messages.case_path(row["reference"]),
        }
        told = [(caseworker, context)] if caseworker else []
        if level == "overdue" or caseworker is None:
            boss = line.get(row["caseworker_id"])
            bosses = [boss] if boss else everyone
            manager_context = {
                **context,
                "for_manager": True,
                "caseworker": caseworker.name if caseworker else "",
            }
            told += [(manager, manager_context) for manager in bosses]
        seen = set()
        for recipient, ctx in told:
            if recipient.key in seen:
                continue
            seen.add(recipient.key)
            alerts.append(
                Alert(
                    kind=LEVEL_KIND[level],
                    object_type=OBJECT_TYPE,
                    object_id=row["object_id"],
                    milestone=milestone,
                    level=level,
                    recipient=recipient,
                    context=ctx,
                    case_id=row["case_id"],
                    due_on=row["due_on"],
                )
            )
    return alerts
