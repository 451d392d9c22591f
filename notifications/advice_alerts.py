"""The advice sweep source (section 6): advice due within 7 days and overdue advice remind the
partner service (its current members and its shared mailbox); advice 14 days overdue escalates
to the caseworker's manager. Each request alerts exactly once per level (decision 0033).

A request owes an alert at a level when it is outstanding (requested, accepted or returned) for
an open case, its due date puts it at that level today, and no notification has been recorded
for it at that level yet (NOT EXISTS on the notification's unique key, so no second state table
is needed). Cancelled, declined and submitted advice never alerts.

Decision 0195: the sweep marks, per level, the requests whose notification at that level it
recorded (`alerted_due_soon`, `alerted_overdue`, `alerted_escalated`), in the same transaction,
and reads only the requests whose due date puts them at a level they are not marked for (per
level, an indexed column holding the due date while that level is pending). A day with nothing
new reads almost nothing, however many requests were told long ago. The NOT EXISTS checks stay,
so a mark only narrows what is read; the full read (`advice_owing_alerts_everywhere`) is kept
as the tests' reference.

Cost: one SELECT; only when something is owed, one for the services' current members, one for
the managers, the insert of the alerts and one UPDATE of the marks.
"""

from __future__ import annotations

import datetime
from collections import defaultdict

from django.conf import settings
from django.db import transaction
from django.db.models import Exists, Q, QuerySet

from advice_requests.models import OUTSTANDING_STATUSES, AdviceRequest, ServiceMembership
from advice_requests.selectors import DUE_SOON_DAYS
from cases.models import OPEN_STATUSES
from cases.roles import Role

from . import messages
from .models import Kind
from .selectors import Recipient, line_managers, managers, recorded, users_as_recipients
from .services import Alert, alerts_record

#: Section 6: advice this many days overdue escalates to the caseworker's manager.
ESCALATE_AFTER_DAYS = 14
OBJECT_TYPE = "advice_request"
PARENT_VIEWS_SERVICE = "the SEN team (the family's views)"

#: level -> kind. The level is part of the notification's unique key.
LEVEL_KIND = {
    "due_soon": Kind.ADVICE_DUE_SOON,
    "overdue": Kind.ADVICE_OVERDUE,
    "escalated": Kind.ADVICE_ESCALATED,
}
_FIELDS = (
    "pk",
    "kind",
    "due_on",
    "service_id",
    "service__name",
    "service__contact_email",
    "service__is_active",
    "case_id",
    "case__reference",
    "case__caseworker_id",
    "owe_due_soon",
    "owe_overdue",
    "owe_escalated",
)


def advice_milestone(due_on: datetime.date) -> str:
    return f"advice@{due_on.isoformat()}"


def advice_request_path(advice_request_id: int) -> str:
    return settings.EHC_ADVICE_REQUEST_URL_PATH.format(id=advice_request_id)


def _alerted(level: str) -> Exists:
    return recorded(kind=LEVEL_KIND[level], object_type=OBJECT_TYPE, level=level)


def _at_level(today: datetime.date) -> dict[str, Q]:
    """level -> the due dates at which a request is at that level today."""
    soon = today + datetime.timedelta(days=DUE_SOON_DAYS)
    escalate_from = today - datetime.timedelta(days=ESCALATE_AFTER_DAYS)
    return {
        "due_soon": Q(due_on__gte=today, due_on__lte=soon),
        "overdue": Q(due_on__lt=today),
        "escalated": Q(due_on__lte=escalate_from),
    }


def advice_owing_alerts(today: datetime.date) -> list[dict]:
    """Outstanding advice for open cases owing an alert at some level: one query over
    `advice_alert_candidates`."""
    return [row for row in _read(advice_alert_candidates(today), today) if _owes(row)]


def advice_alert_candidates(today: datetime.date) -> QuerySet[AdviceRequest]:
    """Per level, the requests whose due date puts them at a level still pending for them
    (decision 0195): three index ranges, which hold only what was not yet told."""
    soon = today + datetime.timedelta(days=DUE_SOON_DAYS)
    escalate_from = today - datetime.timedelta(days=ESCALATE_AFTER_DAYS)
    return AdviceRequest.objects.filter(
        Q(pending_due_soon_on__gte=today, pending_due_soon_on__lte=soon)
        | Q(pending_overdue_on__lt=today)
        | Q(pending_escalated_on__lte=escalate_from)
    )


def advice_owing_alerts_everywhere(today: datetime.date) -> list[dict]:
    """The reference: the same rule over every outstanding request, marked or not (the read
    before decision 0195). The tests check the sweep's read owes exactly what this owes."""
    soon = today + datetime.timedelta(days=DUE_SOON_DAYS)
    everything = AdviceRequest.objects.filter(status__in=OUTSTANDING_STATUSES, due_on__lte=soon)
    return [row for row in _read(everything, today) if _owes(row)]


def _read(candidates, today: datetime.date) -> list[dict]:
    """The candidates of open cases, each with the levels it owes. The levels are filtered in
    Python, not SQL: the candidates are already few, and a WHERE on the annotations would repeat
    the three subqueries (compiling the query is most of what a quiet day costs)."""
    owe = {level: dates & ~_alerted(level) for level, dates in _at_level(today).items()}
    return list(
        candidates.filter(case__status__in=OPEN_STATUSES)
        .annotate(**{f"owe_{level}": condition for level, condition in owe.items()})
        .order_by("pk")
        .values(*_FIELDS)
    )


def _owes(row: dict) -> bool:
    return row["owe_due_soon"] or row["owe_overdue"] or row["owe_escalated"]


def advice_alerted_mark(today: datetime.date) -> int:
    """Mark today's candidates as told each level whose notification now exists: one UPDATE
    over the same index ranges as the read, no list of ids. A level that reached nobody (no
    manager; a service with no member and no mailbox) has no notification, so it stays
    unmarked and is read again. Returns the requests written."""
    marks = {
        f"alerted_{level}": Q(**{f"alerted_{level}": True}) | _alerted(level)
        for level in LEVEL_KIND
    }
    return advice_alert_candidates(today).update(**marks)


#: The migration's backfill (advice_requests 0008): each request with an advice notification,
#: whatever its status (a returned request is outstanding again), marked for the levels it was
#: told; one UPDATE, each row written once. The kinds and levels are LEVEL_KIND's (a test checks).
ALERTED_BACKFILL = """
UPDATE advice_requests_advicerequest AS a SET
  alerted_due_soon = EXISTS (
    SELECT 1 FROM notifications_notification n WHERE n.kind = 'advice_due_soon'
      AND n.object_type = 'advice_request' AND n.object_id = CAST(a.id AS text)
      AND n.level = 'due_soon'),
  alerted_overdue = EXISTS (
    SELECT 1 FROM notifications_notification n WHERE n.kind = 'advice_overdue'
      AND n.object_type = 'advice_request' AND n.object_id = CAST(a.id AS text)
      AND n.level = 'overdue'),
  alerted_escalated = EXISTS (
    SELECT 1 FROM notifications_notification n WHERE n.kind = 'advice_escalated'
      AND n.object_type = 'advice_request' AND n.object_id = CAST(a.id AS text)
      AND n.level = 'escalated')
WHERE EXISTS (
  SELECT 1 FROM notifications_notification n WHERE n.object_type = 'advice_request'
    AND n.object_id = CAST(a.id AS text)
    AND n.kind IN ('advice_due_soon', 'advice_overdue', 'advice_escalated'))
"""


def service_members(service_ids) -> dict[int, list[Recipient]]:
    """service id -> its current members (active partner users): one query. A leaver (left_on
    set) or a deactivated account is told nothing new."""
    rows = (
        ServiceMembership.objects.current()
        .filter(
            service_id__in=set(service_ids),
            user__is_active=True,
            user__groups__name=Role.PARTNER,
        )
        .values_list("service_id", "user_id", "user__email")
        .order_by("service_id", "user_id")
        .distinct()
    )
    members: dict[int, list[Recipient]] = defaultdict(list)
    for service_id, user_id, email in rows:
        members[service_id].append(
            Recipient(key=f"user:{user_id}", user_id=user_id, email=email or "")
        )
    return members


def mailbox(address: str) -> Recipient:
    """A partner service's shared mailbox: email only (it has no inbox)."""
    return Recipient(key=f"mailbox:{address.strip().lower()}", user_id=None, email=address)


def sweep_advice(*, today: datetime.date, now: datetime.datetime) -> int:
    """Record the alerts owed and, in the same transaction, mark the levels now told
    (decision 0195), so the next sweep does not read them again."""
    rows = advice_owing_alerts(today)
    if not rows:
        return 0
    with transaction.atomic():
        offered = alerts_record(alerts=advice_alerts(rows, today=today), now=now)
        # Every candidate, not only those owing: one told by other means (a script, the
        # benchmark's hand SQL) is marked too, instead of being read each day.
        advice_alerted_mark(today)
    return offered


def advice_alerts(rows: list[dict], *, today: datetime.date) -> list[Alert]:
    """Who is told about each request owing an alert (decision 0033)."""
    members = service_members(row["service_id"] for row in rows if row["service_id"])
    needs_caseworker = [row for row in rows if row["owe_escalated"] or row["service_id"] is None]
    caseworkers = users_as_recipients(row["case__caseworker_id"] for row in needs_caseworker)
    line = line_managers() if needs_caseworker else {}
    all_managers = managers() if needs_caseworker else []
    alerts: list[Alert] = []
    for row in rows:
        context = _context(row, today)
        for level in ("due_soon", "overdue", "escalated"):
            if not row[f"owe_{level}"]:
                continue
            if level == "escalated":
                told = _caseworkers_managers(row, line, all_managers)
                ctx = {**context, "link": messages.case_path(row["case__reference"])}
            elif row["service_id"] is None:
                told = _parent_views_owners(row, caseworkers, all_managers)
                ctx = {**context, "link": messages.case_path(row["case__reference"])}
            else:
                told = list(members.get(row["service_id"], []))
                if row["service__contact_email"]:
                    told.append(mailbox(row["service__contact_email"]))
                ctx = context
            alerts += [
                Alert(
                    kind=LEVEL_KIND[level],
                    object_type=OBJECT_TYPE,
                    object_id=str(row["pk"]),
                    milestone=advice_milestone(row["due_on"]),
                    level=level,
                    recipient=recipient,
                    context=ctx,
                    case_id=row["case_id"],
                    due_on=row["due_on"],
                )
                for recipient in _unique(told)
            ]
    return alerts


def _context(row: dict, today: datetime.date) -> dict:
    label = dict(AdviceRequest._meta.get_field("kind").choices)[row["kind"]]
    return {
        "reference": row["case__reference"],
        "advice": label[0].lower() + label[1:],
        "service": row["service__name"] or PARENT_VIEWS_SERVICE,
        "due_on": row["due_on"],
        "days": messages.days_phrase(row["due_on"], today),
        "link": advice_request_path(row["pk"]),
    }


def _caseworkers_managers(row, line, all_managers) -> list[Recipient]:
    """Decision 0031: their recorded line manager, else every active manager."""
    caseworker_id = row["case__caseworker_id"]
    if caseworker_id in line:
        return [line[caseworker_id]]
    return list(all_managers)


def _parent_views_owners(row, caseworkers, all_managers) -> list[Recipient]:
    """The family's views are gathered by the SEN team (decision 0020): the case's caseworker
    is reminded, or every manager when nobody active holds the case."""
    caseworker = caseworkers.get(row["case__caseworker_id"])
    return [caseworker] if caseworker is not None else list(all_managers)


def _unique(recipients) -> list[Recipient]:
    seen: dict[str, Recipient] = {}
    for recipient in recipients:
        seen.setdefault(recipient.key, recipient)
    return list(seen.values())
