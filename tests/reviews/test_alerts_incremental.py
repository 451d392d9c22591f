"""The reviews sweep reads only what can owe an alert (decision 0196): rows already alerted
overdue for their current date are marked and left out. After every kind of change its reads
owe exactly what full reads (every row due within the window, anti-joined) owe, and sweeping
again sends nothing twice."""

import datetime
import importlib

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from bench import reviews_handsql as review_sql
from bench.suite import _hand_review_sweep
from cases.models import Child
from notifications.models import Notification
from reviews import deadlines
from reviews.alerts import (
    ANNUAL_REVIEW,
    PHASE_TRANSFER,
    PHASE_TRANSFER_WARNING_DAYS,
    owes,
    owing_plans,
    owing_reviews,
    sweep_reviews,
)
from reviews.models import OPEN_REVIEW_STATUSES, ActivePlan, Review
from reviews.services import review_transition
from tests.cases.factories import ChildFactory, caseworker, manager

from .factories import make_plan, review_in_status

pytestmark = pytest.mark.django_db
D = datetime.date
DAY = datetime.timedelta(days=1)
BACKFILL = importlib.import_module("reviews.migrations.0003_overdue_alerted_marks").BACKFILL


def _full(today) -> set[tuple]:
    """The reference: what the reads owed before decision 0196, worked out in Python over every
    open review and active plan (due within the window, no notification at its level)."""
    alerted = set(
        Notification.objects.values_list("object_type", "object_id", "milestone", "level")
    )
    restricted = set(Child.objects.filter(restricted_on__isnull=False).values_list("pk", flat=True))
    owed = set()

    def consider(object_type, pk, name, due, warning_days):
        if due is None or due > today + datetime.timedelta(days=warning_days):
            return
        level = "at_risk" if due >= today else "overdue"
        if (object_type, str(pk), f"{name}@{due.isoformat()}", level) not in alerted:
            owed.add((object_type, pk, name, due, level))

    for review in Review.objects.filter(status__in=OPEN_REVIEW_STATUSES).select_related("plan"):
        if review.plan.ceased_on is None and review.plan.child_id not in restricted:
            warning = deadlines.DEFAULT_WARNING_DAYS
            consider("review", review.pk, review.next_milestone, review.next_milestone_due, warning)
    for plan in ActivePlan.objects.filter(ceased_on__isnull=True).exclude(child_id__in=restricted):
        if not plan.reviews.filter(status__in=OPEN_REVIEW_STATUSES).exists():
            warning = deadlines.DEFAULT_WARNING_DAYS
            consider("active_plan", plan.pk, ANNUAL_REVIEW, plan.review_due, warning)
        if plan.phase_transfer_named_on is None:
            due = plan.phase_transfer_due
            consider("active_plan", plan.pk, PHASE_TRANSFER, due, PHASE_TRANSFER_WARNING_DAYS)
    return owed


def _read(today) -> list[dict]:
    return [
        *owing_reviews(today),
        *owing_plans(today, what=ANNUAL_REVIEW),
        *owing_plans(today, what=PHASE_TRANSFER),
    ]


def _incremental(today) -> set[tuple]:
    return {
        (
            r["object_type"],
            r["pk"],
            r["name"],
            r["due_on"],
            "at_risk" if r["owe_at_risk"] else "overdue",
        )
        for r in _read(today)
        if owes(r)
    }


def _swept(today) -> set[tuple]:
    """Check the reads against the reference, sweep, and check that nothing is owed or read
    afterwards and that a second sweep sends nothing. Returns what was owed."""
    owed = _full(today)
    assert _incremental(today) == owed
    sweep_reviews(today=today, now=timezone.now())
    assert _full(today) == set()
    assert _read(today) == []  # nothing left to read: the alerted rows are marked or anti-joined
    assert sweep_reviews(today=today, now=timezone.now()) == 0
    return owed


def _levels(owed) -> set[tuple]:
    return {(object_type, name, level) for object_type, _, name, _, level in owed}


def test_reads_owe_what_full_reads_owe_after_every_kind_of_change():
    worker = caseworker()
    manager()
    review = review_in_status("meeting_held", actor=worker)  # report due 15 October 2026
    annual = make_plan(start_date=D(2025, 10, 20), caseworker=worker)  # review due 20 Oct 2026
    restricted = make_plan(start_date=D(2025, 10, 25), caseworker=worker)
    ceasing = make_plan(start_date=D(2025, 10, 28), caseworker=worker)
    child = ChildFactory(date_of_birth=D(2016, 3, 1))  # phase transfer named by 15 Feb 2027
    transfer = make_plan(child=child, caseworker=worker, start_date=D(2026, 6, 1))

    # A review milestone at risk by date.
    assert _levels(_swept(D(2026, 10, 5))) == {("review", "review_report", "at_risk")}
    # Overdue by date; plans at risk.
    assert _levels(_swept(D(2026, 10, 16))) == {
        ("review", "review_report", "overdue"),
        ("active_plan", ANNUAL_REVIEW, "at_risk"),
    }
    review.refresh_from_db()
    assert (review.overdue_alerted_milestone, review.overdue_alerted_due) == (
        "review_report",
        D(2026, 10, 15),
    )
    # A child restricted: its plan's alerts wait (and its row is not marked).
    Child.objects.filter(pk=restricted.child_id).update(restricted_on=D(2026, 10, 17))
    assert _swept(D(2026, 10, 17)) == set()
    # The milestone moved on: the report received, the decision due 29 October.
    review = review_transition(
        actor=worker,
        review=review,
        transition="receive_report",
        effective_date=D(2026, 10, 21),
        details={"report_text": "Synthetic."},
        today=D(2026, 10, 21),
    )
    assert _levels(_swept(D(2026, 10, 21))) == {
        ("review", "review_decision", "at_risk"),
        ("active_plan", ANNUAL_REVIEW, "overdue"),
    }
    # A plan ceased after it fell due but before the sweep: nothing owed for it.
    ActivePlan.objects.filter(pk=ceasing.pk).update(ceased_on=D(2026, 10, 29), cease_reason=2)
    assert _levels(_swept(D(2026, 10, 30))) == {("review", "review_decision", "overdue")}
    # The review date moved by a writer (here: the last review recorded): owed again.
    ActivePlan.objects.filter(pk=annual.pk).update(review_due=D(2026, 11, 5))
    assert _levels(_swept(D(2026, 10, 31))) == {("active_plan", ANNUAL_REVIEW, "at_risk")}
    assert _levels(_swept(D(2026, 11, 6))) == {("active_plan", ANNUAL_REVIEW, "overdue")}
    # The restriction lifted: its plan's overdue alert is owed (it was never marked).
    Child.objects.filter(pk=restricted.child_id).update(restricted_on=None)
    assert _swept(D(2026, 11, 7)) == {
        ("active_plan", restricted.pk, ANNUAL_REVIEW, D(2026, 10, 25), "overdue")
    }
    # The review closed: the plan's annual review date (a year after the meeting) applies.
    review_transition(
        actor=worker,
        review=review,
        transition="decide_maintain",
        effective_date=D(2026, 11, 8),
        details={"decision_letter_sent_on": D(2026, 11, 8)},
        today=D(2026, 11, 8),
    )
    assert _swept(D(2026, 11, 9)) == set()
    # The phase transfer: at risk six weeks ahead, overdue, then named.
    assert _levels(_swept(D(2027, 1, 10))) == {("active_plan", PHASE_TRANSFER, "at_risk")}
    assert _levels(_swept(D(2027, 2, 16))) == {("active_plan", PHASE_TRANSFER, "overdue")}
    ActivePlan.objects.filter(pk=transfer.pk).update(phase_transfer_named_on=D(2027, 2, 20))
    assert _swept(D(2027, 2, 21)) == set()
    assert _swept(D(2027, 9, 20)) == {
        ("active_plan", review.plan_id, ANNUAL_REVIEW, D(2027, 10, 1), "at_risk"),
        ("active_plan", transfer.pk, ANNUAL_REVIEW, D(2027, 6, 1), "overdue"),
    }
    assert _levels(_swept(D(2027, 10, 2))) == {("active_plan", ANNUAL_REVIEW, "overdue")}
    # Nothing was sent twice: one notification per key and recipient.
    keys = Notification.objects.values_list(
        "kind", "object_type", "object_id", "milestone", "level", "recipient_id"
    )
    assert len(keys) == len(set(keys))


def _overdue_population(count: int, worker) -> None:
    """`count` plans and reviews long overdue, and as many plans due years ahead."""
    for n in range(count):
        make_plan(start_date=D(2024, 1, 1) + n * DAY, caseworker=worker)
        make_plan(start_date=D(2026, 6, 1) + n * DAY, caseworker=worker)
        review_in_status("report_received", actor=worker)


def _quiet_sweep_statements(count: int) -> list[str]:
    worker = caseworker()
    manager()
    _overdue_population(count, worker)
    today = D(2026, 12, 1)
    assert sweep_reviews(today=today, now=timezone.now()) > 0
    with CaptureQueriesContext(connection) as captured:
        assert sweep_reviews(today=today, now=timezone.now()) == 0
    return [query["sql"] for query in captured.captured_queries]


@pytest.mark.parametrize("count", [2, 12])
def test_nothing_changed_is_three_selects_that_read_no_row(count):
    statements = _quiet_sweep_statements(count)
    assert len(statements) == 3  # noqa: PLR2004
    assert all(sql.startswith("SELECT") for sql in statements)
    assert _read(D(2026, 12, 1)) == []
    assert Review.objects.exclude(overdue_alerted_due=None).count() == count
    assert ActivePlan.objects.exclude(review_overdue_alerted_on=None).count() == count


def _busy_sweep_statements(count: int) -> list[str]:
    worker = caseworker()
    manager()
    _overdue_population(count, worker)
    with CaptureQueriesContext(connection) as captured:
        assert sweep_reviews(today=D(2026, 12, 1), now=timezone.now()) > 0
    return [query["sql"] for query in captured.captured_queries]


#: A sweep with alerts owed and rows past due, by statement (the alerts' INSERT left out: one
#: on PostgreSQL, SQLite's bulk_create splits it by its limit on parameters).
BUSY_SWEEP = [
    *["SELECT"] * 3,  # the three reads
    "SAVEPOINT",
    *["SELECT"] * 4,  # who is told: caseworkers, managers, line managers, email opt-outs
    "SAVEPOINT",
    "RELEASE",
    *["UPDATE"] * 2,  # the marks of the reviews and of the plans read past due
    "RELEASE",
]


@pytest.mark.parametrize("count", [2, 12])
def test_a_sweep_that_alerts_and_marks_costs_the_same_statements_for_any_number_of_rows(count):
    statements = [sql.split()[0] for sql in _busy_sweep_statements(count)]
    assert [statement for statement in statements if statement != "INSERT"] == BUSY_SWEEP
    assert "INSERT" in statements
    assert Review.objects.exclude(overdue_alerted_due=None).count() == count
    assert ActivePlan.objects.exclude(review_overdue_alerted_on=None).count() == count


def test_alerted_but_unmarked_rows_are_marked_without_a_second_alert():
    """Marks lost (or never written) cost one more read of the row, not a second alert."""
    worker = caseworker()
    manager()
    _overdue_population(2, worker)
    today = D(2026, 12, 1)
    sweep_reviews(today=today, now=timezone.now())
    alerts = Notification.objects.count()
    Review.objects.update(overdue_alerted_due=None, overdue_alerted_milestone="")
    ActivePlan.objects.update(review_overdue_alerted_on=None)
    assert _incremental(today) == _full(today) == set()
    assert len(_read(today)) == 4  # noqa: PLR2004 - read once more, owing nothing
    assert sweep_reviews(today=today, now=timezone.now()) == 0
    assert Notification.objects.count() == alerts
    assert _read(today) == []


def test_nobody_to_tell_is_read_again_until_someone_is():
    """No caseworker and no manager: the overdue alert is owed and read every sweep, never
    marked; once a manager exists they are told and the row is marked."""
    plan = make_plan(start_date=D(2025, 10, 1))
    today = D(2026, 10, 5)
    for _ in range(2):
        assert (
            _incremental(today)
            == _full(today)
            == {("active_plan", plan.pk, ANNUAL_REVIEW, D(2026, 10, 1), "overdue")}
        )
        assert sweep_reviews(today=today, now=timezone.now()) == 0
    plan.refresh_from_db()
    assert plan.review_overdue_alerted_on is None
    boss = manager()
    assert sweep_reviews(today=today, now=timezone.now()) == 1
    assert Notification.objects.get().recipient_id == boss.pk
    plan.refresh_from_db()
    assert plan.review_overdue_alerted_on == D(2026, 10, 1)
    assert _read(today) == []


def _marks() -> list[tuple]:
    reviews = Review.objects.values_list("pk", "overdue_alerted_milestone", "overdue_alerted_due")
    plans = ActivePlan.objects.values_list(
        "pk", "review_overdue_alerted_on", "transfer_overdue_alerted_on"
    )
    return sorted(reviews) + sorted(plans)


def test_the_migrations_backfill_sets_the_marks_the_sweep_sets():
    """The backfill (set-based, from the overdue notifications) against the sweep's own marks
    over a population alerted on several days, milestones moved on and dates moved."""
    worker = caseworker()
    manager()
    _overdue_population(3, worker)
    child = ChildFactory(date_of_birth=D(2016, 3, 1))
    make_plan(child=child, caseworker=worker, start_date=D(2026, 6, 1))
    moved = make_plan(start_date=D(2025, 9, 1), caseworker=worker)
    for today in (D(2026, 10, 20), D(2026, 11, 3), D(2026, 12, 1), D(2027, 2, 16)):
        sweep_reviews(today=today, now=timezone.now())
    ActivePlan.objects.filter(pk=moved.pk).update(review_due=D(2027, 2, 1))
    sweep_reviews(today=D(2027, 2, 16), now=timezone.now())
    swept = _marks()
    assert Review.objects.exclude(overdue_alerted_due=None).exists()
    assert ActivePlan.objects.exclude(transfer_overdue_alerted_on=None).exists()
    assert ActivePlan.objects.get(pk=moved.pk).review_overdue_alerted_on == D(2027, 2, 1)
    Review.objects.update(overdue_alerted_due=None, overdue_alerted_milestone="")
    ActivePlan.objects.update(review_overdue_alerted_on=None, transfer_overdue_alerted_on=None)
    with connection.cursor() as cursor:
        for statement in BACKFILL:
            cursor.execute(statement)
    assert _marks() == swept
    today = D(2027, 2, 17)
    assert _incremental(today) == _full(today) == set()
    assert _read(today) == []


@pytest.mark.postgres  # the hand SQL is PostgreSQL's (casts with ::)
def test_the_benchmarks_hand_sql_reads_and_marks_as_the_sweep_does():
    """bench.reviews_handsql (the benchmark's limit) does the same work: the same rows read,
    the same owed overdue, the same marks (tests/bench/test_review_sweep_handsql.py compares
    the notifications recorded)."""
    worker = caseworker()
    manager()
    _overdue_population(3, worker)
    make_plan(start_date=D(2025, 12, 5), caseworker=worker)  # at risk on 1 December
    make_plan(start_date=D(2025, 11, 20), caseworker=worker)  # overdue on 1 December
    child = ChildFactory(date_of_birth=D(2016, 3, 1))
    make_plan(child=child, caseworker=worker, start_date=D(2026, 6, 1))
    sweep_reviews(today=D(2026, 11, 3), now=timezone.now())
    # Reviews alerted overdue but unmarked: read once more, owing nothing.
    Review.objects.update(overdue_alerted_due=None, overdue_alerted_milestone="")
    today = D(2026, 12, 1)
    soon = today + datetime.timedelta(days=deadlines.DEFAULT_WARNING_DAYS)
    phase_soon = today + datetime.timedelta(days=PHASE_TRANSFER_WARNING_DAYS)
    reads = {
        "review": (review_sql.HAND_REVIEWS_OWING, soon, owing_reviews(today)),
        ANNUAL_REVIEW: (
            review_sql.HAND_ANNUAL_OWING,
            soon,
            owing_plans(today, what=ANNUAL_REVIEW),
        ),
        PHASE_TRANSFER: (
            review_sql.HAND_PHASE_OWING,
            phase_soon,
            owing_plans(today, what=PHASE_TRANSFER),
        ),
    }
    for sql, until, rows in reads.values():
        with connection.cursor() as cursor:
            cursor.execute(sql, {"today": today, "soon": until})
            hand = sorted((row[0], row[1], row[-1]) for row in cursor.fetchall())
        assert hand == [(r["pk"], r["due_on"], r["owe_overdue"]) for r in rows]
    owe_overdue = {r["owe_overdue"] for _, _, rows in reads.values() for r in rows}
    assert owe_overdue == {True, False}
    before = _marks()
    sweep_reviews(today=today, now=timezone.now())
    swept = _marks()
    assert swept != before
    # The rows read past due unmarked again, then marked by hand.
    past_due = {
        name: [r["pk"] for r in rows if r["due_on"] < today] for name, (*_, rows) in reads.items()
    }
    Review.objects.filter(pk__in=past_due["review"]).update(
        overdue_alerted_due=None, overdue_alerted_milestone=""
    )
    ActivePlan.objects.filter(pk__in=past_due[ANNUAL_REVIEW]).update(review_overdue_alerted_on=None)
    ActivePlan.objects.filter(pk__in=past_due[PHASE_TRANSFER]).update(
        transfer_overdue_alerted_on=None
    )
    assert _marks() == before
    recorded = Notification.objects.count()
    _hand_review_sweep(today, timezone.now())
    assert _marks() == swept
    assert Notification.objects.count() == recorded  # alerted already: marked, not told again
