"""Section 4 and 8: the partner inbox (minimum facts, overdue first) and the weekly follow-up per
service, each in a fixed number of queries however many rows there are."""

import dataclasses
import datetime

import pytest
from django.db import connection

from advice_requests.access import access_log_record_list
from advice_requests.models import AccessLog, AdviceRequest
from advice_requests.selectors import (
    InboxItem,
    advice_outstanding_by_service,
    follow_up_period,
    partner_inbox,
)
from advice_requests.services import advice_request_submit, advice_request_transition
from tests.cases.factories import TODAY

from .factories import SUMMARY, PartnerServiceFactory, assessing_case, make_advice, partner, upload

pytestmark = pytest.mark.django_db
D = datetime.date

#: Section 8: exactly what a partner is shown about a request, and nothing else.
INBOX_FIELDS = {
    "id",
    "service",
    "kind",
    "status",
    "child_name",
    "date_of_birth",
    "setting",
    "question",
    "due_on",
    "overdue",
    "reference",  # every notification to the service names it (decision 0096)
    "status_changed_on",
}


def submit(advice, member, on):
    advice = advice_request_transition(actor=member, advice=advice, transition="accept", today=on)
    advice_request_submit(actor=member, advice=advice, document=upload(), today=on, **SUMMARY)


def test_inbox_shows_only_the_minimum_facts_overdue_first():
    service = PartnerServiceFactory()
    member = partner(service)
    later = make_advice(service=service, requested_on=D(2026, 10, 20))  # due 2026-12-01
    overdue = make_advice(service=service, requested_on=D(2026, 9, 1))  # due 2026-10-13
    sooner = make_advice(service=service, requested_on=D(2026, 10, 1))  # due 2026-11-12
    done = make_advice(service=service, requested_on=D(2026, 10, 1))
    submit(done, member, TODAY)
    items = partner_inbox(user=member, today=D(2026, 11, 1))
    assert [item.id for item in items] == [overdue.pk, sooner.pk, later.pk]
    assert {field.name for field in dataclasses.fields(InboxItem)} == INBOX_FIELDS
    first = items[0]
    child = overdue.case.child
    assert (first.child_name, first.date_of_birth, first.setting, first.question) == (
        child.full_name,
        child.date_of_birth,
        child.current_setting,
        overdue.question,
    )
    assert (first.overdue, items[1].overdue) == (True, False)


def test_inbox_query_count_is_constant(django_assert_num_queries):
    service = PartnerServiceFactory()
    member = partner(service)
    for _ in range(3):
        make_advice(service=service)
    with django_assert_num_queries(2):  # the user's roles, then the inbox
        assert len(partner_inbox(user=member, today=TODAY)) == 3
    for _ in range(12):
        make_advice(service=service)
    member = type(member).objects.get(pk=member.pk)
    with django_assert_num_queries(2):
        assert len(partner_inbox(user=member, today=TODAY)) == 15


def test_listing_an_inbox_is_logged_in_one_query(django_assert_num_queries):
    service = PartnerServiceFactory()
    member = partner(service)
    ids = [make_advice(service=service).pk for _ in range(5)]
    with django_assert_num_queries(1):  # one INSERT for the page, whatever its length
        access_log_record_list(actor=member, advice_request_ids=ids, ip_address="192.0.2.1")
    assert AccessLog.objects.filter(action="list", user=member).count() == 5


@pytest.mark.django_db(transaction=True)
def test_listing_an_inbox_is_logged_in_one_statement_outside_a_transaction():
    """Issue 20 item 4: one statement per page. bulk_create opened BEGIN and COMMIT around its
    INSERT (three round trips); the INSERT alone is atomic."""
    service = PartnerServiceFactory()
    member = partner(service)
    ids = [make_advice(service=service).pk for _ in range(5)]
    seen = []

    def record(execute, sql, params, many, context):
        seen.append((sql.split()[0].upper(), connection.in_atomic_block))
        return execute(sql, params, many, context)

    with connection.execute_wrapper(record):
        access_log_record_list(actor=member, advice_request_ids=ids, ip_address="192.0.2.1")
    assert seen == [("INSERT", False)]
    logged = AccessLog.objects.filter(action="list", user=member).order_by("id")
    assert [entry.advice_request_id for entry in logged] == ids
    assert {(entry.username, entry.ip_address) for entry in logged} == {
        (member.get_username(), "192.0.2.1")
    }
    assert all(entry.occurred_at is not None for entry in logged)


def test_weekly_follow_up_counts_per_service():
    today = D(2026, 11, 20)
    service = PartnerServiceFactory(name="A Synthetic SALT")
    quiet = PartnerServiceFactory(name="B Synthetic OT")
    member = partner(service)
    make_advice(service=service, requested_on=D(2026, 10, 1))  # due 11-12: overdue
    make_advice(service=service, requested_on=D(2026, 10, 12))  # due 11-23: soon
    make_advice(service=service, requested_on=D(2026, 10, 16))  # due 11-27
    make_advice(service=service, requested_on=D(2026, 10, 17))  # due 11-28: not soon
    on_time = make_advice(service=service, requested_on=D(2026, 10, 1))
    submit(on_time, member, D(2026, 11, 12))  # on its due date: within 6 weeks
    late = make_advice(service=service, requested_on=D(2026, 9, 1))
    submit(late, member, D(2026, 10, 14))  # due 10-13: a day late
    cancelled = make_advice(service=service, requested_on=D(2026, 9, 1))
    advice_request_transition(
        actor=cancelled.case.caseworker,
        advice=cancelled,
        transition="cancel",
        reason="Synthetic.",
        today=today,
    )
    rows = {row.service: row for row in advice_outstanding_by_service(today=today)}
    row = rows["A Synthetic SALT"]
    assert (row.outstanding, row.due_soon, row.overdue) == (4, 2, 1)
    # Measured: the two returned, and the overdue one (certainly not within 6 weeks).
    assert (row.returned_on_time, row.measured) == (1, 3)
    assert row.share_returned_on_time == pytest.approx(1 / 3)
    empty = rows["B Synthetic OT"]
    assert (empty.outstanding, empty.share_returned_on_time) == (0, None)
    assert quiet.pk == empty.service_id
    # Counts match the database.
    outstanding = AdviceRequest.objects.outstanding().filter(service=service)
    assert row.outstanding == outstanding.count()
    assert row.overdue == AdviceRequest.objects.overdue(today).filter(service=service).count()


@pytest.mark.parametrize(
    ("today", "period"),
    [
        (D(2026, 11, 20), (D(2025, 11, 21), D(2026, 11, 20))),
        (D(2028, 2, 29), (D(2027, 3, 1), D(2028, 2, 29))),  # a leap day: 366 days
        (D(2027, 1, 1), (D(2026, 1, 2), D(2027, 1, 1))),
    ],
)
def test_the_follow_up_measures_the_12_months_to_today(today, period):
    assert follow_up_period(today=today) == period


def test_the_share_returned_on_time_counts_the_years_advice_and_outstanding_counts_all():
    """Decision 0077: the share is over advice requested in the 12 months to today (recent
    performance); outstanding and overdue are every open request, however old."""
    today = D(2026, 11, 20)  # the 12 months from 21 November 2025
    service = PartnerServiceFactory(name="A Synthetic SALT")
    member = partner(service, joined_on=D(2025, 1, 1))
    case = assessing_case(received_on=D(2025, 8, 1))
    old_late = make_advice(service=service, case=case, requested_on=D(2025, 11, 20))
    submit(old_late, member, D(2026, 1, 20))  # the day before the period: not measured
    first_day = make_advice(service=service, case=assessing_case(), requested_on=D(2025, 11, 21))
    submit(first_day, member, D(2026, 1, 2))  # due 2 January: on time, measured
    old_case = assessing_case(received_on=D(2025, 4, 1))
    old_overdue = make_advice(service=service, case=old_case, requested_on=D(2025, 6, 2))
    recent_overdue = make_advice(service=service, requested_on=D(2026, 10, 1))  # due 12 Nov
    [row] = [r for r in advice_outstanding_by_service(today=today) if r.service_id == service.pk]
    assert (row.measured_from, row.measured_to) == (D(2025, 11, 21), today)
    assert (row.outstanding, row.overdue) == (2, 2)  # the old overdue request still counts
    assert (row.returned_on_time, row.measured) == (1, 2)  # first_day and recent_overdue
    assert old_overdue.status == recent_overdue.status == "requested"


def test_follow_up_query_count_is_constant(django_assert_num_queries):
    services = [PartnerServiceFactory() for _ in range(2)]
    for service in services:
        make_advice(service=service)
    with django_assert_num_queries(1):
        first = advice_outstanding_by_service(today=TODAY)
    case = assessing_case()
    for _ in range(6):
        service = PartnerServiceFactory()
        make_advice(service=service, case=case)
        make_advice(service=service)
    with django_assert_num_queries(1):
        second = advice_outstanding_by_service(today=TODAY)
    assert len(second) > len(first)
