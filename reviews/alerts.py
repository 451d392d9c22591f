"""The reviews sweep source (section 6 applied to section 13): each milestone of an open review,
each plan's annual review date and each phase transfer alerts the plan's caseworker when it
comes within the warning window (at risk) and again once it is past (overdue, also their
manager): exactly once per milestone and level. A ceased plan never alerts.

Like the advice source (notifications/advice_alerts.py) it keeps no state table: an alert is
owed when no notification yet exists under its unique key (kind, object, milestone, level), an
anti-join in SQL. Three SELECTs whatever the number of plans; only when something is owed, the
SELECTs of who is told and one insert.
"""

from __future__ import annotations

import datetime

from django.db.models import CharField, Exists, F, Func, OuterRef, Q, Value
from django.db.models.functions import Cast

from notifications import messages
from notifications.models import Kind, Notification
from notifications.selectors import line_managers, managers, users_as_recipients
from notifications.services import Alert, alerts_record

from . import deadlines
from .models import OPEN_REVIEW_STATUSES, ActivePlan, Review

LEVEL_KIND = {"at_risk": Kind.REVIEW_AT_RISK, "overdue": Kind.REVIEW_OVERDUE}
ANNUAL_REVIEW = "annual_review"
PHASE_TRANSFER = "phase_transfer"
#: Naming the next school takes consultation: phase transfers warn 6 weeks ahead.
PHASE_TRANSFER_WARNING_DAYS = 42
MILESTONE_WORDS = {
    ANNUAL_REVIEW: "annual review meeting",
    PHASE_TRANSFER: "amended plan naming the next school or college (phase transfer)",
    deadlines.ReviewMilestone.INVITATIONS: "review meeting invitations and advice",
    deadlines.ReviewMilestone.MEETING: "annual review meeting",
    deadlines.ReviewMilestone.REPORT: "review report",
    deadlines.ReviewMilestone.DECISION: "review decision letter",
    deadlines.ReviewMilestone.AMENDED_PLAN: "amended plan",
}


class _Joined(Func):
    """`a || b || ...`: the milestone key built in SQL without Concat's COALESCE wrappers (which
    cost the anti-join its index on the notification's unique key)."""

    template = "(%(expressions)s)"
    arg_joiner = " || "
    output_field = CharField()


def _text(expression):
    return Cast(expression, output_field=CharField())


def _owed(object_type: str, milestone_expr, level: str):
    return ~Exists(
        Notification.objects.filter(
            kind=LEVEL_KIND[level],
            object_type=object_type,
            # Notification.object_id is text: compare it with the row's id as text.
            object_id=_text(OuterRef("pk")),
            milestone=milestone_expr,
            level=level,
        )
    )


def _owing(queryset, *, object_type, milestone, date_field, warning_days, today):
    """Rows owing an alert at their level: at risk (due within the window) or overdue. A row
    is at one level at a time, so the anti-join is evaluated once per row, in the WHERE."""
    soon = today + datetime.timedelta(days=warning_days)
    at_risk = Q(**{f"{date_field}__gte": today}) & _owed(object_type, milestone, "at_risk")
    overdue = Q(**{f"{date_field}__lt": today}) & _owed(object_type, milestone, "overdue")
    return queryset.filter(**{f"{date_field}__lte": soon}).filter(at_risk | overdue)


def _with_levels(rows, today) -> list[dict]:
    return [
        {**row, "owe_at_risk": row["due_on"] >= today, "owe_overdue": row["due_on"] < today}
        for row in rows
    ]


def owing_reviews(today: datetime.date) -> list[dict]:
    reviews = Review.objects.not_restricted().filter(
        status__in=OPEN_REVIEW_STATUSES,
        plan__ceased_on__isnull=True,
        next_milestone_due__isnull=False,
    )
    milestone = _Joined(
        OuterRef("next_milestone"), Value("@"), _text(OuterRef("next_milestone_due"))
    )
    rows = _owing(
        reviews,
        object_type="review",
        milestone=milestone,
        date_field="next_milestone_due",
        warning_days=deadlines.DEFAULT_WARNING_DAYS,
        today=today,
    ).values(
        "pk",
        name=F("next_milestone"),
        due_on=F("next_milestone_due"),
        reference=F("plan__reference"),
        caseworker_id=F("plan__caseworker_id"),
        case_id=F("plan__case_id"),
    )
    return [{**row, "object_type": "review"} for row in _with_levels(rows.order_by("pk"), today)]


def owing_plans(today: datetime.date, *, what: str) -> list[dict]:
    """Active plans whose annual review date (with no review arranged) or unnamed phase
    transfer owes an alert."""
    plans = ActivePlan.objects.active().not_restricted()
    if what == ANNUAL_REVIEW:
        plans = plans.exclude(
            Exists(Review.objects.filter(plan=OuterRef("pk"), status__in=OPEN_REVIEW_STATUSES))
        )
        date_field, warning = "review_due", deadlines.DEFAULT_WARNING_DAYS
    else:
        plans = plans.filter(phase_transfer_due__isnull=False, phase_transfer_named_on__isnull=True)
        date_field, warning = "phase_transfer_due", PHASE_TRANSFER_WARNING_DAYS
    milestone = _Joined(Value(f"{what}@"), _text(OuterRef(date_field)))
    rows = _owing(
        plans,
        object_type="active_plan",
        milestone=milestone,
        date_field=date_field,
        warning_days=warning,
        today=today,
    ).values(
        "pk",
        "reference",
        "caseworker_id",
        "case_id",
        due_on=F(date_field),
    )
    return [
        {**row, "name": what, "object_type": "active_plan"}
        for row in _with_levels(rows.order_by("pk"), today)
    ]


def _path(row) -> str:
    if row["object_type"] == "review":
        return f"/reviews/{row['pk']}/"
    return f"/reviews/plans/{row['pk']}/"


def review_alerts(rows: list[dict], *, today: datetime.date) -> list[Alert]:
    """Who is told: the plan's caseworker; for overdue (or an unassigned plan) their manager,
    or every manager where none is recorded (decision 0031)."""
    if not rows:
        return []
    caseworkers = users_as_recipients(row["caseworker_id"] for row in rows)
    need_managers = any(
        row["owe_overdue"] or row["caseworker_id"] not in caseworkers for row in rows
    )
    all_managers = managers() if need_managers else []
    line = line_managers() if need_managers else {}
    alerts = []
    for row in rows:
        for level in ("at_risk", "overdue"):
            if not row[f"owe_{level}"]:
                continue
            alerts += _alerts_for(row, level, caseworkers, all_managers, line, today)
    return alerts


def _alerts_for(row, level, caseworkers, all_managers, line, today) -> list[Alert]:
    caseworker = caseworkers.get(row["caseworker_id"])
    context = {
        "reference": row["reference"],
        "what": MILESTONE_WORDS.get(row["name"], str(row["name"]).replace("_", " ")),
        "due_on": row["due_on"],
        "days": messages.days_phrase(row["due_on"], today),
        "link": _path(row),
    }
    told = [(caseworker, context)] if caseworker is not None else []
    if level == "overdue" or caseworker is None:
        chosen = [line[row["caseworker_id"]]] if row["caseworker_id"] in line else all_managers
        manager_context = {
            **context,
            "for_manager": True,
            "caseworker": caseworker.name if caseworker else "",
        }
        told += [(m, manager_context) for m in chosen if m.key != getattr(caseworker, "key", "")]
    milestone = f"{row['name']}@{row['due_on'].isoformat()}"
    return [
        Alert(
            kind=LEVEL_KIND[level],
            object_type=row["object_type"],
            object_id=str(row["pk"]),
            milestone=milestone,
            level=level,
            recipient=recipient,
            context=ctx,
            case_id=row["case_id"],
            due_on=row["due_on"],
        )
        for recipient, ctx in told
    ]


def sweep_reviews(*, today: datetime.date, now: datetime.datetime) -> int:
    rows = owing_reviews(today)
    rows += owing_plans(today, what=ANNUAL_REVIEW)
    rows += owing_plans(today, what=PHASE_TRANSFER)
    if not rows:
        return 0
    return alerts_record(alerts=review_alerts(rows, today=today), now=now)
