"""Benchmark 7a/7b's hand SQL (bench.reviews_handsql, also the reviews part of 1a/1b) records
the notifications the app's reviews sweep records, row for row (who is told, kind, milestone,
level, due date, e-mail and text fields, context), and marks the same rows as alerted overdue;
and both write nothing once the day's alerts are recorded."""

import datetime

import pytest
from django.db import transaction
from django.utils import timezone

from bench import handsql
from bench.reviews_handsql import REVIEW_MARKS
from bench.suite import REVIEWS_DISAGREE, _hand_review_sweep, check_review_sweep
from bench.timing import sql_runner
from notifications.models import EmailOptOut, Kind, LineManager, Notification
from reviews.alerts import sweep_reviews
from reviews.models import ActivePlan, Review
from tests.cases.factories import ChildFactory, caseworker, manager
from tests.reviews.factories import make_plan, review_in_status

pytestmark = [pytest.mark.django_db, pytest.mark.postgres]

D = datetime.date
NOW = timezone.now()
#: When the compared runs record (apart from the sweeps the tests commit at NOW).
COMPARED_AT = NOW + datetime.timedelta(minutes=1)


def _written_by(run, today) -> tuple[list, list]:
    """The notifications `run` records at COMPARED_AT (the benchmark's columns: who is told,
    the key, due date, context, link, e-mail and text fields) and every row marked afterwards,
    rolled back."""
    with transaction.atomic():
        run(today)
        notifications = [
            tuple(row) for row in sql_runner(handsql.SWEEP_NOTIFICATIONS, {"now": COMPARED_AT})()
        ]
        marks = [tuple(row) for row in sql_runner(REVIEW_MARKS)()]
        transaction.set_rollback(True)
    return notifications, marks


def _app(today):
    sweep_reviews(today=today, now=COMPARED_AT)


def _hand(today):
    _hand_review_sweep(today, COMPARED_AT)


def _population():
    """Plans and reviews of three caseworkers (one with a line manager, one without, one who
    left), one unassigned; two managers; one caseworker has switched off at-risk e-mails."""
    own_manager, _other_manager = manager(), manager()
    managed, unmanaged = caseworker(), caseworker(email="")
    gone = caseworker(first_name="Sam", last_name="Left")
    LineManager.objects.create(caseworker=managed, manager=own_manager)
    EmailOptOut.objects.create(user=managed, kind=Kind.REVIEW_AT_RISK)
    review_in_status("report_received", actor=managed)  # decision due 15 October 2026
    review_in_status("meeting_held", actor=unmanaged)  # report due
    make_plan(start_date=D(2025, 12, 5), caseworker=managed)  # annual review at risk 1 Dec
    make_plan(start_date=D(2025, 11, 20), caseworker=unmanaged)  # annual review overdue
    make_plan(start_date=D(2025, 11, 25), caseworker=gone)
    make_plan(start_date=D(2025, 11, 26), caseworker=None)
    child = ChildFactory(date_of_birth=D(2016, 3, 1))  # phase transfer named by 15 Feb 2027
    make_plan(child=child, caseworker=managed, start_date=D(2026, 6, 1))
    gone.is_active = False
    gone.save(update_fields=["is_active"])


@pytest.mark.parametrize(
    "today",
    [D(2026, 12, 1), D(2027, 1, 10), D(2027, 2, 16)],
    ids=["reviews and annual reviews", "phase transfer at risk", "phase transfer overdue"],
)
def test_the_hand_sql_records_and_marks_what_the_app_does(today):
    _population()
    if today > D(2026, 12, 1):
        sweep_reviews(today=D(2026, 12, 1), now=NOW)  # the earlier alerts recorded and marked
    marked_before = set(sql_runner(REVIEW_MARKS)())
    app = _written_by(_app, today)
    notifications, marks = app
    assert notifications  # the day owes alerts: a hand SQL that records nothing fails here
    # Each row alerted overdue is marked: (source, id), the source a plan's milestone's name.
    overdue = {
        ("review" if row[3] == "review" else row[5].split("@")[0], row[4])
        for row in notifications
        if row[6] == "overdue"
    }
    assert {(mark[0], str(mark[1])) for mark in set(marks) - marked_before} == overdue
    assert {row[-2:] for row in notifications} == {("", "not_sent")}  # staff are not texted
    levels = {(row[2], row[6]) for row in notifications}  # (kind, level)
    if today == D(2026, 12, 1):
        assert levels == {("review_at_risk", "at_risk"), ("review_overdue", "overdue")}
        told = {row[1] for row in notifications}
        assert len(told) == 4  # two caseworkers (not the one who left) and both managers
        statuses = {row[12] for row in notifications}
        assert statuses == {"pending", "not_sent"}  # no address, or at risk switched off
    assert _written_by(_hand, today) == app
    assert check_review_sweep(today, COMPARED_AT)[0] == len(notifications)  # the bench's check


def test_rows_alerted_but_not_marked_are_marked_alike_and_nothing_is_told_twice():
    _population()
    today = D(2026, 12, 1)
    before = [tuple(row) for row in sql_runner(REVIEW_MARKS)()]
    sweep_reviews(today=today, now=NOW)
    marked = [tuple(row) for row in sql_runner(REVIEW_MARKS)()]
    assert len(marked) > len(before)
    Review.objects.update(overdue_alerted_due=None, overdue_alerted_milestone="")
    ActivePlan.objects.update(review_overdue_alerted_on=None, transfer_overdue_alerted_on=None)
    app = _written_by(_app, today)
    assert app == ([], marked)  # read again to be marked, owing nothing
    assert _written_by(_hand, today) == app


def test_a_day_with_nothing_new_records_and_marks_nothing_on_either_side():
    _population()
    sweep_reviews(today=D(2026, 12, 1), now=NOW)
    assert check_review_sweep(D(2026, 12, 1), COMPARED_AT) == (0, 0)
    assert not Notification.objects.filter(created_at=COMPARED_AT).exists()


def test_the_benchmark_stops_when_the_hand_sql_writes_other_rows(monkeypatch):
    _population()
    monkeypatch.setattr("bench.suite._hand_review_sweep", lambda today, now: None)
    with pytest.raises(RuntimeError, match=REVIEWS_DISAGREE):
        check_review_sweep(D(2026, 12, 1), COMPARED_AT)
