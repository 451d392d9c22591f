"""Reads of advice, each a fixed number of queries (ehc-process.md sections 4, 6 and 8)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import (
    BooleanField,
    Case,
    CharField,
    Count,
    Exists,
    ExpressionWrapper,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.utils import timezone

from cases.models import OPEN_STATUSES
from cases.models import Case as EhcCase

from .models import (
    OUTSTANDING_STATUSES,
    AdviceRequest,
    AdviceStatus,
    PartnerService,
)

#: Section 6: advice due within this many days reminds the partner service.
DUE_SOON_DAYS = 7
#: Section 4: outstanding advice is followed up weekly. A request not chased for this many days
#: (or, never chased, requested this long ago) is listed to chase (decision 0086).
CHASE_AFTER_DAYS = 7


# --- Readiness for the statutory panel ------------------------------------------------------


def _outstanding_for_case():
    return AdviceRequest.objects.outstanding().filter(case=OuterRef("pk"))


def cases_with_advice_readiness(queryset: QuerySet[EhcCase] | None = None) -> QuerySet[EhcCase]:
    """Annotate `advice_ready` (every advice request submitted, declined or cancelled) and
    `advice_outstanding` (how many are not), in SQL, so the panels app can filter ready cases:
    `cases_with_advice_readiness(qs).filter(advice_ready=True)`."""
    queryset = EhcCase.objects.all() if queryset is None else queryset
    return queryset.annotate(
        advice_ready=ExpressionWrapper(~Exists(_outstanding_for_case()), BooleanField()),
        advice_outstanding=Coalesce(
            Subquery(
                _outstanding_for_case()
                .order_by()
                .values("case")
                .annotate(n=Count("pk"))
                .values("n"),
                output_field=IntegerField(),
            ),
            0,
        ),
    )


def cases_ready_for_statutory_panel(queryset: QuerySet[EhcCase] | None = None):
    """Section 5: cases being assessed whose advice has all come in (or ended)."""
    queryset = EhcCase.objects.all() if queryset is None else queryset
    return queryset.filter(status="assessing").exclude(Exists(_outstanding_for_case()))


@dataclass(frozen=True)
class OutstandingAdvice:
    id: int
    kind: str
    kind_label: str
    service: str
    status: str
    due_on: datetime.date
    overdue: bool


@dataclass(frozen=True)
class AdviceReadiness:
    ready: bool
    outstanding: list[OutstandingAdvice]


def case_advice_readiness(*, case, today: datetime.date) -> AdviceReadiness:
    """One case: is it ready for the statutory panel, and what is still outstanding (one query)."""
    rows = (
        AdviceRequest.objects.outstanding()
        .filter(case=case)
        .select_related("service")
        .order_by("due_on", "id")
    )
    outstanding = [
        OutstandingAdvice(
            id=row.pk,
            kind=row.kind,
            kind_label=row.get_kind_display(),
            service=row.service.name if row.service else "SEN team (family's views)",
            status=row.status,
            due_on=row.due_on,
            overdue=row.is_overdue(today),
        )
        for row in rows
    ]
    return AdviceReadiness(ready=not outstanding, outstanding=outstanding)


# --- Weekly follow-up, per service ----------------------------------------------------------


@dataclass(frozen=True)
class ServiceFollowUp:
    service_id: int
    service: str
    kind: str
    contact_email: str
    outstanding: int
    due_soon: int
    overdue: int
    returned_on_time: int
    measured: int
    not_chased: int
    #: The advice the share returned within 6 weeks is measured over: requested in these
    #: dates, inclusive (decision 0077). The other counts are every outstanding request.
    measured_from: datetime.date
    measured_to: datetime.date

    @property
    def share_returned_on_time(self) -> float | None:
        """Share of advice returned within 6 weeks; None when nothing can be measured yet."""
        return self.returned_on_time / self.measured if self.measured else None


def follow_up_period(*, today: datetime.date) -> tuple[datetime.date, datetime.date]:
    """The 12 months to `today` (decision 0077): from the day after the same date a year
    earlier (29 February's year-earlier date is 28 February) to today, inclusive."""
    try:
        year_earlier = today.replace(year=today.year - 1)
    except ValueError:  # 29 February
        year_earlier = today.replace(year=today.year - 1, day=28)
    return year_earlier + datetime.timedelta(days=1), today


def not_chased_condition(today: datetime.date) -> Q:
    """Not chased in the last CHASE_AFTER_DAYS days: last chased that long ago or more, or
    never chased and requested that long ago or more."""
    cutoff_day = today - datetime.timedelta(days=CHASE_AFTER_DAYS)
    # Chased on cutoff_day or before: before the start of the day after it, in local time.
    cutoff = timezone.make_aware(
        datetime.datetime.combine(cutoff_day + datetime.timedelta(days=1), datetime.time.min)
    )
    return Q(last_chased_at__lt=cutoff) | Q(
        last_chased_at__isnull=True, requested_on__lte=cutoff_day
    )


def advice_outstanding_by_service(*, today: datetime.date) -> list[ServiceFollowUp]:
    """Section 4: per service, what is outstanding, due within 7 days and overdue (every open
    request), and the share of advice returned within 6 weeks (decision 0021) of the advice
    requested in the 12 months to today (decision 0077). One query, reading the outstanding
    requests and the year's, not every request ever made.

    The requests are counted per service first and the services (names, and those with
    nothing to count) joined on by `UNION ALL`: counting over `services LEFT JOIN requests`
    cannot run in parallel on PostgreSQL 15 (no parallel right join), and took twice as long
    (decision 0076)."""
    soon = today + datetime.timedelta(days=DUE_SOON_DAYS)
    measured_from, measured_to = follow_up_period(today=today)
    outstanding = Q(status__in=OUTSTANDING_STATUSES)
    in_period = Q(requested_on__gte=measured_from, requested_on__lte=measured_to)
    returned = Q(first_submitted_on__isnull=False)
    counts = {
        "n_not_chased": Count("pk", filter=outstanding & not_chased_condition(today)),
        "n_outstanding": Count("pk", filter=outstanding),
        "n_due_soon": Count("pk", filter=outstanding & Q(due_on__gte=today, due_on__lte=soon)),
        "n_overdue": Count("pk", filter=outstanding & Q(due_on__lt=today)),
        "n_on_time": Count(
            "pk", filter=in_period & returned & Q(first_submitted_on__lte=F("due_on"))
        ),
        "n_measured": Count(
            "pk", filter=in_period & (returned | (outstanding & Q(due_on__lt=today)))
        ),
    }
    no_text, no_count = Value(None, CharField()), Value(None, IntegerField())
    per_service = (
        AdviceRequest.objects.filter(service__isnull=False)
        .filter(outstanding | in_period)
        .order_by()
        .values("service_id")
        .annotate(
            name=no_text,
            service_kind=no_text,
            contact_email=no_text,
            is_active=Value(None, BooleanField()),
            **counts,
        )
    )
    services = (
        PartnerService.objects.order_by()
        .values(service_id=F("id"))
        .annotate(
            service_name=F("name"),
            service_kind=F("kind"),
            email=F("contact_email"),
            active=F("is_active"),
            **dict.fromkeys(counts, no_count),
        )
    )
    service_rows, figures = {}, {}
    for row in per_service.union(services, all=True):
        if row["name"] is None:
            figures[row["service_id"]] = row
        else:
            service_rows[row["service_id"]] = row
    rows = [
        ServiceFollowUp(
            service_id=pk,
            service=service["name"],
            kind=service["service_kind"],
            contact_email=service["contact_email"],
            outstanding=figures.get(pk, {}).get("n_outstanding", 0),
            due_soon=figures.get(pk, {}).get("n_due_soon", 0),
            overdue=figures.get(pk, {}).get("n_overdue", 0),
            returned_on_time=figures.get(pk, {}).get("n_on_time", 0),
            measured=figures.get(pk, {}).get("n_measured", 0),
            not_chased=figures.get(pk, {}).get("n_not_chased", 0),
            measured_from=measured_from,
            measured_to=measured_to,
        )
        for pk, service in service_rows.items()
        if service["is_active"] or figures.get(pk, {}).get("n_outstanding", 0)
    ]
    rows.sort(key=lambda row: (-row.overdue, row.service))
    return rows


# --- The partner's inbox --------------------------------------------------------------------


@dataclass(frozen=True)
class InboxItem:
    """Section 8: the minimum case facts a partner needs, and nothing else (the case reference
    is one: every notification the service gets names it)."""

    id: int
    service: str
    kind: str
    status: str
    child_name: str
    date_of_birth: datetime.date
    setting: str
    question: str
    due_on: datetime.date
    overdue: bool
    reference: str = ""
    status_changed_on: datetime.date | None = None

    @property
    def status_label(self) -> str:
        return AdviceStatus(self.status).label


INBOX_STATUSES = (*OUTSTANDING_STATUSES,)
#: The partner's "done" view: advice given, declined, or no longer needed.
DONE_STATUSES = (AdviceStatus.SUBMITTED, AdviceStatus.DECLINED, AdviceStatus.CANCELLED)
#: The done view shows the most recent requests only: it is a record, not a work list.
DONE_LIMIT = 100
#: What needs the service's action first: a new request waiting to be accepted, then advice
#: sent back for quality, then advice being written.
ACTION_ORDER = (AdviceStatus.REQUESTED, AdviceStatus.RETURNED, AdviceStatus.ACCEPTED)
INBOX_VIEWS = ("to_do", "done")

_INBOX_FIELDS = (
    "id",
    "service__name",
    "kind",
    "status",
    "case__reference",
    "case__child__first_name",
    "case__child__last_name",
    "case__child__date_of_birth",
    "case__child__current_setting",
    "question",
    "due_on",
    "status_changed_on",
    "is_overdue",
)


def partner_inbox(
    *, user, today: datetime.date, view: str = "to_do", status: str = ""
) -> list[InboxItem]:
    """The requests addressed to the user's services. "to_do" (the default): what is still owed
    for open cases, what needs action first (new requests waiting to be accepted, then returned
    advice, then advice in progress), overdue first within each, then by due date; `status`
    narrows it to one status. "done": advice submitted, declined or cancelled, latest first.
    One query, reading only the minimum case facts."""
    rows = AdviceRequest.objects.visible_to(user).annotate(
        is_overdue=Case(
            When(due_on__lt=today, status__in=INBOX_STATUSES, then=Value(1)),
            default=Value(0),
            output_field=IntegerField(),
        ),
        action_rank=Case(
            *(When(status=value, then=Value(rank)) for rank, value in enumerate(ACTION_ORDER)),
            default=Value(len(ACTION_ORDER)),
            output_field=IntegerField(),
        ),
    )
    if view == "done":
        rows = rows.filter(status__in=DONE_STATUSES).order_by("-status_changed_on", "-id")
        rows = rows[:DONE_LIMIT] if not status else rows.filter(status=status)[:DONE_LIMIT]
    else:
        rows = rows.filter(status__in=INBOX_STATUSES, case__status__in=OPEN_STATUSES)
        if status:
            rows = rows.filter(status=status)
        rows = rows.order_by("action_rank", "-is_overdue", "due_on", "id")
    return [
        InboxItem(
            id=row["id"],
            service=row["service__name"] or "",
            kind=row["kind"],
            status=row["status"],
            child_name=f"{row['case__child__first_name']} {row['case__child__last_name']}",
            date_of_birth=row["case__child__date_of_birth"],
            setting=row["case__child__current_setting"],
            question=row["question"],
            due_on=row["due_on"],
            overdue=bool(row["is_overdue"]),
            reference=row["case__reference"],
            status_changed_on=row["status_changed_on"],
        )
        for row in rows.values(*_INBOX_FIELDS)
    ]


__all__ = [
    "AdviceReadiness",
    "AdviceStatus",
    "InboxItem",
    "ServiceFollowUp",
    "advice_outstanding_by_service",
    "case_advice_readiness",
    "cases_ready_for_statutory_panel",
    "cases_with_advice_readiness",
    "follow_up_period",
    "partner_inbox",
]


# --- One case's advice, for the caseworker ---------------------------------------------------


def case_advice_requests(*, case) -> list[AdviceRequest]:
    """Every advice request of a case with its service and submissions (two queries)."""
    return list(
        AdviceRequest.objects.filter(case=case)
        .select_related("service")
        .prefetch_related("submissions")
        .order_by("kind", "id")
    )


def advice_request_get(*, user, advice_request_id: int) -> AdviceRequest:
    """One request the user may see, without logging (for writes: the service logs nothing,
    the audit does). Raises AdviceRequest.DoesNotExist outside the user's visibility (404)."""
    return (
        AdviceRequest.objects.visible_to(user)
        .select_related("case__child", "service")
        .get(pk=advice_request_id)
    )


def latest_submission(advice: AdviceRequest):
    submissions = list(advice.submissions.all())
    return submissions[-1] if submissions else None


# --- The follow-up's filtered lists (every number on the page links to the requests it counts)


#: show -> (what the list is, in words). The conditions mirror advice_outstanding_by_service.
FOLLOW_UP_LISTS = {
    "outstanding": "Outstanding",
    "due_soon": "Due within 7 days",
    "overdue": "Overdue",
    "not_chased": "Not chased for 7 days",
    "returned_on_time": "Returned within 6 weeks",
    "measured": "Measured for returned within 6 weeks",
}


def follow_up_condition(show: str, *, today: datetime.date) -> Q:
    """The condition of one of the follow-up page's counts (the same as the count's filter)."""
    soon = today + datetime.timedelta(days=DUE_SOON_DAYS)
    measured_from, measured_to = follow_up_period(today=today)
    outstanding = Q(status__in=OUTSTANDING_STATUSES)
    in_period = Q(requested_on__gte=measured_from, requested_on__lte=measured_to)
    returned = Q(first_submitted_on__isnull=False)
    return {
        "outstanding": outstanding,
        "due_soon": outstanding & Q(due_on__gte=today, due_on__lte=soon),
        "overdue": outstanding & Q(due_on__lt=today),
        "not_chased": outstanding & not_chased_condition(today),
        "returned_on_time": in_period & returned & Q(first_submitted_on__lte=F("due_on")),
        "measured": in_period & (returned | (outstanding & Q(due_on__lt=today))),
    }[show]


def follow_up_requests(
    *, today: datetime.date, show: str, service_id: int | None = None
) -> QuerySet[AdviceRequest]:
    """The requests one follow-up count counts (of one service, or of all), soonest due first,
    with the case, child and service for the list: one query per page."""
    requests = AdviceRequest.objects.not_restricted().filter(
        follow_up_condition(show, today=today), service__isnull=False
    )
    if service_id is not None:
        requests = requests.filter(service_id=service_id)
    return requests.select_related("case__child", "service").order_by("due_on", "id")


def shared_papers(*, advice: AdviceRequest) -> list:
    """The case documents the caseworker shared with this request, newest first (one query)."""
    return list(advice.shared_documents.order_by("-dated_on", "-id"))
