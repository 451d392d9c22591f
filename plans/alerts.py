"""The plans sweep source (registered with notifications.sweep): the family's 15 days on a draft
(alerted once, on the last day for comments or after it, to the caseworker) and a school or
college past its 15 days without an answer (alerted once per consultation).

Reads only what can owe (decision 0199): a draft or consultation is marked (`comments_due_alerted`,
`late_alerted`) by the sweep that records its alert, in the same transaction, and the reads walk
indexes of the unmarked rows whose date has come. Idempotent: each row read says whether
its alert is recorded (EXISTS on the notification's key); a recorded one is never offered again,
only marked (a mark lost, say), and the insert ignores a duplicate anyway."""

from __future__ import annotations

import datetime

from django.db import models, transaction
from django.db.models import CharField, Exists, OuterRef
from django.db.models.functions import Cast
from django.urls import reverse

from cases.models import CaseStatus
from notifications import messages
from notifications.kinds import Kind
from notifications.models import Notification
from notifications.selectors import managers, users_as_recipients
from notifications.services import Alert, alerts_record

from . import deadlines
from .models import (
    DRAFT_COMMENTS_PENDING_ON,
    LATE_NOT_ALERTED,
    CommentKind,
    Consultation,
    PlanVersion,
)

#: What an unchanged sweep costs this source: one read per kind of alert (tests hold it fixed).
UNCHANGED_SWEEP_QUERIES = 2
#: Ids marked by one UPDATE (a first sweep after the upgrade may mark thousands).
MARK_CHUNK = 10_000

DRAFTS = ("plan_version", Kind.FAMILY_COMMENTS_DUE)
CONSULTATIONS = ("consultation", Kind.CONSULTATION_LATE)


def _alerted(object_type: str, kind: str):
    return Exists(
        Notification.objects.filter(
            kind=kind,
            object_type=object_type,
            object_id=Cast(OuterRef("pk"), output_field=CharField()),
        )
    )


def _drafts_unmarked(today: datetime.date) -> list[dict]:
    """Drafts with the family whose last day for comments has come, not marked: one query."""
    last_day_on_or_before = today - datetime.timedelta(days=deadlines.FAMILY_COMMENT_DAYS - 1)
    return list(
        PlanVersion.objects.alias(pending_on=DRAFT_COMMENTS_PENDING_ON)
        .filter(
            pending_on__lte=last_day_on_or_before,
            plan__case__status=CaseStatus.DRAFT_ISSUED,
        )
        .annotate(alerted=_alerted(*DRAFTS))
        .order_by("pk")
        .values(
            "pk",
            "issued_on",
            "plan__case_id",
            "plan__case__reference",
            "plan__case__caseworker_id",
            "alerted",
        )
    )


def _consultations_unmarked(today: datetime.date) -> list[dict]:
    """Schools or colleges past their 15 days without an answer, not marked: one query."""
    return list(
        Consultation.objects.filter(
            LATE_NOT_ALERTED,
            due_on__lt=today,
            plan__case__status__in=(CaseStatus.DRAFTING, CaseStatus.DRAFT_ISSUED),
        )
        .annotate(alerted=_alerted(*CONSULTATIONS))
        .order_by("pk")
        .values(
            "pk",
            "due_on",
            "plan__case_id",
            "plan__case__reference",
            "plan__case__caseworker_id",
            "alerted",
        )
    )


def drafts_owing_alert(today: datetime.date) -> list[dict]:
    return [row for row in _drafts_unmarked(today) if not row["alerted"]]


def consultations_owing_alert(today: datetime.date) -> list[dict]:
    return [row for row in _consultations_unmarked(today) if not row["alerted"]]


def _alerts(rows, *, kind, object_type, due_key, today, due_of) -> list[Alert]:
    caseworkers = users_as_recipients(row["plan__case__caseworker_id"] for row in rows)
    fallback = None
    alerts = []
    for row in rows:
        due_on = due_of(row[due_key])
        recipient = caseworkers.get(row["plan__case__caseworker_id"])
        if recipient is None:
            fallback = fallback if fallback is not None else managers()
            told = fallback
        else:
            told = [recipient]
        context = {
            "reference": row["plan__case__reference"],
            "due_on": due_on,
            "days": messages.days_phrase(due_on, today),
            "link": messages.case_path(row["plan__case__reference"]),
        }
        alerts += [
            Alert(
                kind=kind,
                object_type=object_type,
                object_id=str(row["pk"]),
                milestone=f"{object_type}@{due_on.isoformat()}",
                level="due",
                recipient=person,
                context=context,
                case_id=row["plan__case_id"],
                due_on=due_on,
            )
            for person in told
        ]
    return alerts


def _to_mark(rows: list[dict], alerts: list[Alert], object_type: str) -> list[int]:
    """The rows read whose alert is recorded already or is about to be: not those whose alert
    reached nobody (no alert built), which stay unmarked, read and owed next time."""
    told = {alert.object_id for alert in alerts if alert.object_type == object_type}
    return [row["pk"] for row in rows if row["alerted"] or str(row["pk"]) in told]


def _mark(model, field: str, ids: list[int], object_type: str, kind: str) -> None:
    """In the sweep's transaction, after the alerts are recorded. The UPDATE checks the
    notification itself, so a mark always means "recorded"."""
    for start in range(0, len(ids), MARK_CHUNK):
        # The base QuerySet: PlanVersion's own refuses every update (the database's trigger
        # allows this one column, set once).
        models.QuerySet(model).filter(
            pk__in=ids[start : start + MARK_CHUNK], **{field: False}
        ).filter(_alerted(object_type, kind)).update(**{field: True})


def sweep_plans(*, today: datetime.date, now: datetime.datetime) -> int:
    drafts = _drafts_unmarked(today)
    consultations = _consultations_unmarked(today)
    alerts = _alerts(
        [row for row in drafts if not row["alerted"]],
        kind=Kind.FAMILY_COMMENTS_DUE,
        object_type="plan_version",
        due_key="issued_on",
        today=today,
        due_of=deadlines.comments_due,
    ) + _alerts(
        [row for row in consultations if not row["alerted"]],
        kind=Kind.CONSULTATION_LATE,
        object_type="consultation",
        due_key="due_on",
        today=today,
        due_of=lambda day: day,
    )
    drafts_to_mark = _to_mark(drafts, alerts, "plan_version")
    consultations_to_mark = _to_mark(consultations, alerts, "consultation")
    if not alerts and not drafts_to_mark and not consultations_to_mark:
        return 0  # the usual quiet sweep (or only alerts nobody can be told): no write
    with transaction.atomic():  # the alerts and their marks together
        recorded = alerts_record(alerts=alerts, now=now) if alerts else 0
        _mark(PlanVersion, "comments_due_alerted", drafts_to_mark, *DRAFTS)
        _mark(Consultation, "late_alerted", consultations_to_mark, *CONSULTATIONS)
    return recorded


def family_responded_notify(*, plan, comments, today: datetime.date) -> int:
    """Tell the caseworker (or, with none, every manager) that the family sent comments on the
    draft through the portal: one alert per batch sent (keyed by its first comment), in the
    batch's own transaction, linking to the plan's comments. It says how many comments and
    whether they ask for a meeting or a school, never what they say (an email leaves the
    council's systems and a family's words may name the child)."""
    if not comments:
        return 0
    case = plan.case
    recipient = users_as_recipients([case.caseworker_id]).get(case.caseworker_id)
    told = [recipient] if recipient is not None else managers()
    kinds = [comment.kind for comment in comments]
    context = {
        "reference": case.reference,
        "today": today,
        "comments": kinds.count(CommentKind.COMMENT),
        "meeting": CommentKind.MEETING in kinds,
        "school": CommentKind.PREFERRED_SETTING in kinds,
        "link": reverse("plans:plan", args=[case.reference]) + "#comments",
    }
    first = min(comment.pk for comment in comments)
    return alerts_record(
        alerts=[
            Alert(
                kind=Kind.FAMILY_RESPONDED,
                object_type="plan",
                object_id=str(plan.pk),
                milestone=f"comments-from@{first}",
                level="",
                recipient=person,
                context=context,
                case_id=case.pk,
            )
            for person in told
        ]
    )
