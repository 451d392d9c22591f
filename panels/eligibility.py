"""Who goes on which agenda (section 5), decided in SQL so an agenda build costs a fixed number
of queries, and reads only the cases it lists, however many are waiting."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Case as SqlCase
from django.db.models import (
    DateField,
    Exists,
    Func,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Cast, ExtractMonth, ExtractYear
from django.db.models.lookups import GreaterThanOrEqual, LessThanOrEqual

from advice_requests.models import AdviceRequest
from cases import deadlines
from cases.models import Case, CaseStatus, Child

from .models import OPEN_MEETING_STATUSES, AgendaItem, ItemStatus, PanelMeeting, PanelType

#: The prescribed days after which a child reaches compulsory school age: a child is of
#: compulsory school age from the first 1 January, 1 April or 1 September term start after their
#: fifth birthday (Education Act 1996 s8; ehc-process.md section 5).
TERM_STARTS = ((1, 1), (4, 1), (9, 1))


def compulsory_school_age_from(date_of_birth: datetime.date) -> datetime.date:
    """The first term start (1 Jan, 1 Apr, 1 Sep) strictly after the child's fifth birthday."""
    fifth = deadlines.birthday(date_of_birth, 5)
    for year in (fifth.year, fifth.year + 1):
        for month, day in TERM_STARTS:
            start = datetime.date(year, month, day)
            if start > fifth:
                return start
    raise AssertionError("unreachable")  # pragma: no cover


def under_compulsory_school_age(date_of_birth: datetime.date, on: datetime.date) -> bool:
    """Section 5: an Early Years case is under compulsory school age on the date received."""
    return on < compulsory_school_age_from(date_of_birth)


def assessment_panel_type(date_of_birth: datetime.date, received_on: datetime.date) -> str:
    if under_compulsory_school_age(date_of_birth, received_on):
        return PanelType.EY_NAP
    return PanelType.NAP


@dataclass(frozen=True)
class Candidate:
    case_id: int
    due_on: datetime.date
    received_on: datetime.date
    advice_incomplete: bool = False
    #: Already an item (listed or removed) on the meeting asked about (`candidate_rows(on=)`).
    on_meeting: bool = False


class MakeDate(Func):
    """A date from integer year, month and day (PostgreSQL's `make_date`)."""

    function = "make_date"
    output_field = DateField()

    def __init__(self, year, month, day, **extra):
        super().__init__(*(Cast(part, IntegerField()) for part in (year, month, day)), **extra)

    def as_sqlite(self, compiler, connection, **extra_context):
        (year, year_params), (month, month_params), (day, day_params) = (
            compiler.compile(part) for part in self.get_source_expressions()
        )
        sql = (
            f"date(({year}) || '-01-01', '+' || (({month}) - 1) || ' months', "
            f"'+' || (({day}) - 1) || ' days')"
        )
        return sql, (*year_params, *month_params, *day_params)


def compulsory_school_age_from_sql(date_of_birth: str = "child__date_of_birth"):
    """`compulsory_school_age_from` as a database expression, so the age routing happens in the
    query. The first term start strictly after the fifth birthday depends only on the month of
    birth: January-March -> 1 April, April-August -> 1 September (both of the fifth year),
    September-December -> 1 January of the sixth (a leap-day birthday, counted as 1 March, falls
    in the first group either way). tests/panels/test_school_age_sql.py holds it to the rule."""
    month = ExtractMonth(date_of_birth)
    term_month = SqlCase(
        When(LessThanOrEqual(month, 3), then=Value(4)),
        When(LessThanOrEqual(month, 8), then=Value(9)),
        default=Value(1),
    )
    years_on = SqlCase(When(GreaterThanOrEqual(month, 9), then=Value(6)), default=Value(5))
    return MakeDate(ExtractYear(date_of_birth) + years_on, term_month, Value(1))


def on_open_agenda():
    """Cases listed on an open agenda (scheduled or published), as an Exists for Case rows."""
    return Exists(
        AgendaItem.objects.filter(
            case=OuterRef("pk"),
            status=ItemStatus.LISTED,
            meeting__status__in=OPEN_MEETING_STATUSES,
        )
    )


def first_outstanding_advice():
    """The id of one of the case's advice requests neither submitted, declined nor cancelled
    (None when all advice is in). A scalar subquery rather than EXISTS: PostgreSQL evaluates it
    case by case, only for the cases the other conditions leave, where it hashed every
    outstanding request in the council to answer an EXISTS."""
    outstanding = AdviceRequest.objects.outstanding().filter(case=OuterRef("pk"))
    return Subquery(outstanding.order_by().values("pk")[:1])


def assessment_candidates(panel_type: str, meeting_date: datetime.date) -> QuerySet[Case]:
    """NAP / EY-NAP: received, undecided, not on an open agenda, evidence deadline (if any)
    passed by the meeting; routed by the child's age on the date received (in SQL)."""
    # A correlated scalar subquery, not a join: PostgreSQL evaluates it last, for the rows the
    # cheaper conditions leave (a join read all 100,000 children to mark a week's arrivals).
    school_age_from = Subquery(
        Child.objects.filter(pk=OuterRef("child_id"))
        .annotate(school_age_from=compulsory_school_age_from_sql("date_of_birth"))
        .values("school_age_from")
    )
    if panel_type == PanelType.EY_NAP:
        routed = Q(received_on__lt=school_age_from)
    else:
        routed = Q(received_on__gte=school_age_from)
    return (
        Case.objects.filter(status=CaseStatus.RECEIVED)
        .exclude(evidence_deadline__gte=meeting_date)
        .filter(routed)
        .exclude(on_open_agenda())
    )


def statutory_candidates(following_meeting_date: datetime.date) -> QuerySet[Case]:
    """Statutory: assessing and ready (all advice in), plus cases whose statutory decision falls
    due before the following meeting (listed "advice incomplete", so the chair decides knowingly),
    not on an open agenda."""
    return (
        Case.objects.filter(status=CaseStatus.ASSESSING)
        .alias(first_outstanding=first_outstanding_advice())
        # The date first: PostgreSQL evaluates OR in order, so the advice subquery runs only
        # for cases not already falling due (in a backlog, hardly any of those listed).
        .filter(
            Q(statutory_panel_decision_due__lt=following_meeting_date)
            | Q(first_outstanding__isnull=True)
        )
        .exclude(on_open_agenda())
    )


def candidate_rows(
    panel_type: str,
    candidates: QuerySet[Case],
    limit: int,
    *,
    on: PanelMeeting | None = None,
    ask: int | None = None,
) -> list[Candidate]:
    """The first `limit` candidates in agenda order: due date, then date received (section 5),
    each saying whether it already has an item on the meeting `on` (the next one).

    Whether a statutory case's advice is incomplete is asked afterwards, of the first `ask`
    rows only (those that may be listed; all rows when None): as a column of the ordered query
    PostgreSQL would hash every outstanding request."""
    if limit <= 0:
        return []
    due = "statutory_panel_decision_due"
    if panel_type != PanelType.STATUTORY:
        due = "decision_to_assess_due"
    on_meeting = Value(False)
    if on is not None:
        on_meeting = Exists(AgendaItem.objects.filter(meeting=on, case=OuterRef("pk")))
    rows = list(
        candidates.annotate(on_meeting=on_meeting)
        .order_by(due, "received_on", "id")
        .values_list("id", due, "received_on", "on_meeting")[:limit]
    )
    incomplete = set()
    listable = rows if ask is None else rows[:ask]
    if panel_type == PanelType.STATUTORY and listable:
        incomplete = set(
            AdviceRequest.objects.outstanding()
            .filter(case_id__in=[row[0] for row in listable])
            .values_list("case_id", flat=True)
        )
    return [
        Candidate(case_id, due_on, received, case_id in incomplete, on_meeting=on_meeting)
        for case_id, due_on, received, on_meeting in rows
    ]
