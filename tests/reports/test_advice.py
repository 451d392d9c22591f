"""Advice returned within 6 weeks, by service and kind (section 7; reg 8(1), 8(2)): counted as
the plan measure is, from hand-built advice with known dates."""

import datetime

import pytest
from django.db import connection
from django.utils import timezone

from advice_requests.models import AdviceException, AdviceKind, AdviceRequest
from reports.advice import NO_SERVICE, advice_timeliness
from tests.advice_requests.factories import PartnerServiceFactory
from tests.cases.factories import caseworker, make_case, manager

pytestmark = pytest.mark.django_db
D = datetime.date
TODAY = D(2026, 11, 2)
START, END = D(2026, 1, 1), D(2026, 10, 31)


def advice(service, *, kind, requested_on, returned_after=None, status=None, exception=None):
    """A request straight into the table: returned `returned_after` days after it was
    requested, or still `status`. `exception`: None, "agreed" or "proposed"."""
    worker = caseworker()
    case = make_case(actor=worker, received_on=requested_on - datetime.timedelta(days=40))
    submitted = requested_on + datetime.timedelta(days=returned_after) if returned_after else None
    request = AdviceRequest.objects.create(
        case=case,
        kind=kind,
        service=service,
        question="Synthetic question.",
        requested_on=requested_on,
        due_on=requested_on + datetime.timedelta(days=42),
        status=status or ("submitted" if submitted else "requested"),
        status_changed_on=submitted or requested_on,
        first_submitted_on=submitted,
        submitted_on=submitted,
        requested_by=worker,
    )
    if exception:
        boss = manager()
        AdviceException.objects.create(
            advice_request=request,
            ground="missed_appointment",
            starts_on=requested_on,
            notes="Synthetic evidence.",
            proposed_by=worker,
            agreed_by=boss if exception == "agreed" else None,
            agreed_at=timezone.now() if exception == "agreed" else None,
        )
    return request


@pytest.fixture
def services():
    health = PartnerServiceFactory(name="A Synthetic Therapy Service")
    psychology = PartnerServiceFactory(name="B Synthetic EP Service")
    march = D(2026, 3, 2)
    health_kind, ep_kind = AdviceKind.HEALTH, AdviceKind.EDUCATIONAL_PSYCHOLOGY
    advice(health, kind=health_kind, requested_on=march, returned_after=42)  # day 42: on time
    advice(health, kind=health_kind, requested_on=march, returned_after=43)  # day 43: late
    advice(health, kind=health_kind, requested_on=march, returned_after=59, exception="agreed")
    advice(health, kind=health_kind, requested_on=march, returned_after=49, exception="proposed")
    advice(health, kind=health_kind, requested_on=march)  # overdue, never returned: late
    advice(health, kind=health_kind, requested_on=march, status="declined")  # not measured
    advice(psychology, kind=ep_kind, requested_on=D(2026, 10, 20))  # within its 6 weeks
    advice(
        psychology, kind=ep_kind, requested_on=D(2026, 5, 1), returned_after=10, exception="agreed"
    )
    advice(psychology, kind=ep_kind, requested_on=D(2025, 12, 31), returned_after=5)  # before range
    advice(None, kind=AdviceKind.PARENT_VIEWS, requested_on=D(2026, 11, 1), returned_after=1)
    return health, psychology


HEALTH = {
    "requested": 6,
    "measured": 5,
    "on_time": 1,
    "on_time_pct": 20.0,
    "late": 4,
    "late_pct": 80.0,
    "late_with_exception": 1,
    "revised_count": 4,
    "on_time_excluding_exceptions": 1,
    "on_time_excluding_exceptions_pct": 25.0,
    "median_days_to_return": 46.0,  # 42, 43, 49, 59
}
PSYCHOLOGY = {
    "requested": 2,
    "measured": 1,
    "on_time": 1,
    "on_time_pct": 100.0,
    "late": 0,
    "late_pct": 0.0,
    "late_with_exception": 0,
    "revised_count": 0,  # on time, but with an agreed exception: excluded
    "on_time_excluding_exceptions": 0,
    "on_time_excluding_exceptions_pct": None,
    "median_days_to_return": 10.0,
}
TOTAL = {
    "requested": 8,
    "measured": 6,
    "on_time": 2,
    "on_time_pct": 2 * 100 / 6,
    "late": 4,
    "late_pct": 4 * 100 / 6,
    "late_with_exception": 1,
    "revised_count": 4,
    "on_time_excluding_exceptions": 1,
    "on_time_excluding_exceptions_pct": 25.0,
    "median_days_to_return": 43.0,  # 10, 42, 43, 49, 59
}


def _without_key(row):
    return {key: value for key, value in row.items() if key not in ("key", "label")}


def test_by_service_counts_like_the_plan_measure(services):
    health, psychology = services
    report = advice_timeliness(requested_from=START, requested_to=END, today=TODAY, by="service")
    assert report["by"] == "service"
    assert (report["requested_from"], report["requested_to"]) == ("2026-01-01", "2026-10-31")
    assert [(row["key"], row["label"]) for row in report["rows"]] == [
        (health.pk, health.name),
        (psychology.pk, psychology.name),
    ]
    assert _without_key(report["rows"][0]) == HEALTH
    assert _without_key(report["rows"][1]) == PSYCHOLOGY
    assert report["total"] == TOTAL


def test_by_kind(services):
    report = advice_timeliness(requested_from=START, requested_to=END, today=TODAY, by="kind")
    assert [row["label"] for row in report["rows"]] == [
        "Educational psychology advice",
        "Medical advice",
    ]
    assert _without_key(report["rows"][1]) == HEALTH
    assert report["total"] == TOTAL


def test_parent_views_without_a_service_have_their_own_row(services):
    report = advice_timeliness(
        requested_from=D(2026, 11, 1), requested_to=TODAY, today=TODAY, by="service"
    )
    assert [(row["key"], row["label"], row["measured"]) for row in report["rows"]] == [
        (None, NO_SERVICE, 1)
    ]


def test_nothing_requested_gives_zeros_and_no_median():
    report = advice_timeliness(requested_from=START, requested_to=END, today=TODAY, by="kind")
    assert report["rows"] == []
    assert report["total"]["requested"] == 0
    assert report["total"]["on_time_pct"] is None
    assert report["total"]["median_days_to_return"] is None


def test_unknown_grouping_is_refused():
    with pytest.raises(ValueError, match="colour"):
        advice_timeliness(requested_from=START, requested_to=END, today=TODAY, by="colour")


@pytest.mark.parametrize("count", [3, 30])
def test_query_count_does_not_grow_with_the_advice(django_assert_num_queries, count):
    """Two queries where PostgreSQL computes the medians, three with the portable median."""
    service = PartnerServiceFactory()
    for day in range(count):
        advice(
            service,
            kind=AdviceKind.HEALTH,
            requested_on=D(2026, 3, 1) + datetime.timedelta(days=day),
            returned_after=30 + day % 20,
        )
    expected = 2 if connection.vendor == "postgresql" else 3
    with django_assert_num_queries(expected):
        report = advice_timeliness(
            requested_from=START, requested_to=END, today=TODAY, by="service"
        )
    assert report["total"]["measured"] == count
