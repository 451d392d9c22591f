"""The reviews sweep source (section 6 applied to section 13): each milestone of an open review,
each plan's annual review date and each phase transfer alerts the plan's caseworker when it
comes within the warning window (at risk) and again once it is past (overdue, also their
manager): exactly once per milestone and level. A ceased plan never alerts.

Like the advice source (notifications/advice_alerts.py) it keeps no state table: an alert is
owed when no notification yet exists under its unique key (kind, object, milestone, level), an
anti-join in SQL. Once a row's overdue alert is recorded the sweep marks the row with the
milestone alerted, and its reads skip rows so marked (decision 0196): they read what is within
the warning window or overdue and not yet alerted, not every overdue row of years past. Three
SELECTs whatever the number of plans; only when something is owed or newly overdue, the
SELECTs of who is told, one insert and the marks.
"""

from __future__ import annotations

import datetime

from django.db import transaction
from django.db.models import (
    BooleanField,
    Case,
    DateField,
    Exists,
    F,
    OuterRef,
    Q,
    Value,
    When,
)

from notifications import messages
from notifications.compiled import CompiledRead, CompiledUpdate, Ids, Parameter
from notifications.models import Kind
from notifications.selectors import (
    Joined,
    as_text,
    line_managers,
    managers,
    recorded,
    users_as_recipients,
)
from notifications.services import Alert, alerts_record

from . import deadlines
from .models import (
    MILESTONE_NOT_ALERTED,
    OPEN_REVIEW_STATUSES,
    REVIEW_DUE_NOT_ALERTED,
    TRANSFER_DUE_NOT_ALERTED,
    ActivePlan,
    Review,
)

LEVEL_KIND = {"at_risk": Kind.REVIEW_AT_RISK, "overdue": Kind.REVIEW_OVERDUE}
REVIEW = "review"
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


def _alerted(object_type: str, milestone_expr, level: str):
    return recorded(
        kind=LEVEL_KIND[level], object_type=object_type, milestone=milestone_expr, level=level
    )


def _milestone(source: str):
    """The milestone key ("name@YYYY-MM-DD") of the outer row, as the alerts record it."""
    if source == REVIEW:
        return Joined(
            OuterRef("next_milestone"), Value("@"), as_text(OuterRef("next_milestone_due"))
        )
    return Joined(Value(f"{source}@"), as_text(OuterRef(_PLAN_DATE[source])))


#: Each source's date, its warning window, the condition "not yet alerted overdue" (its partial
#: index's) and what the mark records (decision 0196).
_PLAN_DATE = {ANNUAL_REVIEW: "review_due", PHASE_TRANSFER: "phase_transfer_due"}
_WARNING = {
    REVIEW: deadlines.DEFAULT_WARNING_DAYS,
    ANNUAL_REVIEW: deadlines.DEFAULT_WARNING_DAYS,
    PHASE_TRANSFER: PHASE_TRANSFER_WARNING_DAYS,
}
_NOT_ALERTED = {
    REVIEW: MILESTONE_NOT_ALERTED,
    ANNUAL_REVIEW: REVIEW_DUE_NOT_ALERTED,
    PHASE_TRANSFER: TRANSFER_DUE_NOT_ALERTED,
}
_MARK = {
    REVIEW: {
        "overdue_alerted_milestone": F("next_milestone"),
        "overdue_alerted_due": F("next_milestone_due"),
    },
    ANNUAL_REVIEW: {"review_overdue_alerted_on": F("review_due")},
    PHASE_TRANSFER: {"transfer_overdue_alerted_on": F("phase_transfer_due")},
}


def _object_type(source: str) -> str:
    return "review" if source == REVIEW else "active_plan"


def _date_field(source: str) -> str:
    return "next_milestone_due" if source == REVIEW else _PLAN_DATE[source]


def _candidates(source: str):
    """The rows of a source that can alert, less those already alerted overdue for their date:
    the condition of the source's partial index, so the read walks only that index."""
    if source == REVIEW:
        rows = Review.objects.filter(
            status__in=OPEN_REVIEW_STATUSES, next_milestone_due__isnull=False
        )
    elif source == ANNUAL_REVIEW:
        rows = ActivePlan.objects.active()
    else:
        rows = ActivePlan.objects.active().filter(
            phase_transfer_due__isnull=False, phase_transfer_named_on__isnull=True
        )
    return rows.filter(_NOT_ALERTED[source])


#: The day of the sweep and the end of the source's warning window: the reads are compiled once
#: (notifications.compiled) and run with each sweep's dates.
TODAY = Parameter("today", DateField())
SOON = Parameter("soon", DateField())


def _owing(queryset, *, source: str):
    """Rows due within the window and not yet alerted at risk, and rows past due and not yet
    marked, with whether each still owes its overdue alert (a row past due whose alert is
    recorded but not marked is read once more, to be marked). A row is at one level at a time."""
    date_field = _date_field(source)
    object_type, milestone = _object_type(source), _milestone(source)
    overdue = Q(**{f"{date_field}__lt": TODAY})
    at_risk = Q(**{f"{date_field}__gte": TODAY}) & ~_alerted(object_type, milestone, "at_risk")
    return (
        queryset.filter(**{f"{date_field}__lte": SOON})
        .filter(at_risk | overdue)
        .annotate(
            owe_overdue=Case(
                When(overdue, then=~_alerted(object_type, milestone, "overdue")),
                default=Value(False),
                output_field=BooleanField(),
            )
        )
    )


def _dates(source: str, today: datetime.date) -> dict:
    return {"today": today, "soon": today + datetime.timedelta(days=_WARNING[source])}


def _with_levels(rows, today) -> list[dict]:
    return [{**row, "owe_at_risk": row["due_on"] >= today} for row in rows]


def owes(row: dict) -> bool:
    return row["owe_at_risk"] or row["owe_overdue"]


def _reviews_owing():
    reviews = _candidates(REVIEW).filter(plan__ceased_on__isnull=True).not_restricted()
    return (
        _owing(reviews, source=REVIEW)
        .values(
            "pk",
            "owe_overdue",
            name=F("next_milestone"),
            due_on=F("next_milestone_due"),
            reference=F("plan__reference"),
            caseworker_id=F("plan__caseworker_id"),
            case_id=F("plan__case_id"),
        )
        .order_by("pk")
    )


def _plans_owing(what: str):
    plans = _candidates(what).not_restricted()
    if what == ANNUAL_REVIEW:
        plans = plans.exclude(
            Exists(Review.objects.filter(plan=OuterRef("pk"), status__in=OPEN_REVIEW_STATUSES))
        )
    return (
        _owing(plans, source=what)
        .values(
            "pk",
            "reference",
            "caseworker_id",
            "case_id",
            "owe_overdue",
            due_on=F(_PLAN_DATE[what]),
        )
        .order_by("pk")
    )


_READS = {
    REVIEW: CompiledRead(_reviews_owing),
    ANNUAL_REVIEW: CompiledRead(lambda: _plans_owing(ANNUAL_REVIEW)),
    PHASE_TRANSFER: CompiledRead(lambda: _plans_owing(PHASE_TRANSFER)),
}


def owing_reviews(today: datetime.date) -> list[dict]:
    """Open reviews whose next milestone owes an alert, or is overdue and alerted but not yet
    marked (`owes` tells them apart)."""
    rows = _READS[REVIEW](**_dates(REVIEW, today))
    return [{**row, "object_type": "review"} for row in _with_levels(rows, today)]


def owing_plans(today: datetime.date, *, what: str) -> list[dict]:
    """Active plans whose annual review date (with no review arranged) or unnamed phase
    transfer owes an alert, or is overdue and alerted but not yet marked."""
    rows = _READS[what](**_dates(what, today))
    return [
        {**row, "name": what, "object_type": "active_plan"} for row in _with_levels(rows, today)
    ]


#: Rows are marked by primary key in chunks (the first sweep after a bulk load marks all).
_CHUNK = 10_000


def _marked(source: str):
    """The rows read past due (`ids`) whose overdue alert for their current milestone is
    recorded, still not marked."""
    alerted = _alerted(_object_type(source), _milestone(source), "overdue")
    return _candidates(source).filter(pk__in=Ids("ids")).filter(alerted)


_MARKS = {
    source: CompiledUpdate(lambda source=source: _marked(source), marks)
    for source, marks in _MARK.items()
}


def overdue_alerted_mark(source: str, pks: list[int]) -> int:
    """Mark these rows (read past due) whose overdue alert for their current milestone is
    recorded. By primary key, so the plan probes each row's notification rather than hashing
    every overdue notification ever recorded; guarded by the notification itself, so a row with
    nobody to tell, or whose date a writer has just moved, stays unmarked and is read again."""
    marked = 0
    for start in range(0, len(pks), _CHUNK):
        marked += _MARKS[source](ids=pks[start : start + _CHUNK])
    return marked


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
    reads = {
        REVIEW: owing_reviews(today),
        ANNUAL_REVIEW: owing_plans(today, what=ANNUAL_REVIEW),
        PHASE_TRANSFER: owing_plans(today, what=PHASE_TRANSFER),
    }
    rows = [row for read in reads.values() for row in read if owes(row)]
    past_due = {
        source: [row["pk"] for row in read if row["due_on"] < today]
        for source, read in reads.items()
    }
    if not rows and not any(past_due.values()):
        return 0
    with transaction.atomic():
        offered = alerts_record(alerts=review_alerts(rows, today=today), now=now)
        for source, pks in past_due.items():
            if pks:
                overdue_alerted_mark(source, pks)
    return offered
