"""The plans sweep source (registered with notifications.sweep): the family's 15 days on a draft
(alerted once, on the last day for comments or after it, to the caseworker) and a school or
college past its 15 days without an answer (alerted once per consultation). Idempotent: an
alert already recorded for the draft or consultation is never offered again (NOT EXISTS on the
notification's key), and the insert ignores a duplicate anyway."""

from __future__ import annotations

import datetime

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
from .models import CommentKind, Consultation, PlanVersion, VersionKind

#: What an unchanged sweep costs this source: one read per kind of alert (tests hold it fixed).
UNCHANGED_SWEEP_QUERIES = 2


def _not_alerted(kind: str, object_type: str):
    return ~Exists(
        Notification.objects.filter(
            kind=kind,
            object_type=object_type,
            object_id=Cast(OuterRef("pk"), output_field=CharField()),
        )
    )


def drafts_owing_alert(today: datetime.date) -> list[dict]:
    """Drafts with the family whose last day for comments has come: one query."""
    last_day_on_or_before = today - datetime.timedelta(days=deadlines.FAMILY_COMMENT_DAYS - 1)
    return list(
        PlanVersion.objects.filter(
            kind=VersionKind.DRAFT,
            plan__case__status=CaseStatus.DRAFT_ISSUED,
            issued_on__lte=last_day_on_or_before,
        )
        .filter(_not_alerted(Kind.FAMILY_COMMENTS_DUE, "plan_version"))
        .order_by("pk")
        .values(
            "pk", "issued_on", "plan__case_id", "plan__case__reference", "plan__case__caseworker_id"
        )
    )


def consultations_owing_alert(today: datetime.date) -> list[dict]:
    return list(
        Consultation.objects.filter(
            answer="",
            due_on__lt=today,
            plan__case__status__in=(CaseStatus.DRAFTING, CaseStatus.DRAFT_ISSUED),
        )
        .filter(_not_alerted(Kind.CONSULTATION_LATE, "consultation"))
        .order_by("pk")
        .values(
            "pk", "due_on", "plan__case_id", "plan__case__reference", "plan__case__caseworker_id"
        )
    )


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


def sweep_plans(*, today: datetime.date, now: datetime.datetime) -> int:
    drafts = drafts_owing_alert(today)
    consultations = consultations_owing_alert(today)
    alerts = _alerts(
        drafts,
        kind=Kind.FAMILY_COMMENTS_DUE,
        object_type="plan_version",
        due_key="issued_on",
        today=today,
        due_of=deadlines.comments_due,
    ) + _alerts(
        consultations,
        kind=Kind.CONSULTATION_LATE,
        object_type="consultation",
        due_key="due_on",
        today=today,
        due_of=lambda day: day,
    )
    return alerts_record(alerts=alerts, now=now) if alerts else 0


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
