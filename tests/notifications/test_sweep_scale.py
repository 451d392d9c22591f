"""The sweep's cost does not grow with the number of cases or advice requests, and an unchanged
day writes nothing. Every case has one advice request (from a service with a member and a
mailbox), so the advice source is counted too: one query for cases, one for closed cases, one
for advice.

Cases are bulk-inserted (not built through the services) so 30,000 of them take seconds.
"""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from advice_requests.models import AdviceKind, AdviceRequest
from advice_requests.risk_inputs import advice_due_backfill
from cases import deadlines
from cases.models import Case, CaseStatus, Child, cases_flag_for_recheck
from notifications.advice_alerts import LEVEL_KIND, advice_alert_candidates
from notifications.models import CaseAlertState, Notification
from notifications.sweep import SWEEP_SOURCES, sweep_run
from tests.advice_requests.factories import PartnerServiceFactory, partner
from tests.cases.factories import caseworker, manager

pytestmark = pytest.mark.django_db
D = datetime.date
TODAY = D(2026, 6, 1)


def _bulk_cases(count: int, *, caseworker_user, first_received: D) -> None:
    """Open cases: the first 300 received over 60 days (on track, at risk and overdue), the rest
    in the last 20 days (on track), so the first sweep alerts some but not all."""
    child = Child.objects.create(
        first_name="Bulk", last_name="Synthetic", date_of_birth=D(2016, 1, 1)
    )
    cases = []
    for number in range(count):
        if number < 300:  # noqa: PLR2004
            received = first_received + datetime.timedelta(days=number % 60)
        else:
            received = TODAY - datetime.timedelta(days=number % 20)
        dues = deadlines.due_dates(received)
        cases.append(
            Case(
                reference=f"BULK-{number:06d}",
                child=child,
                received_on=received,
                request_source=1,
                primary_need="ASD",
                caseworker=caseworker_user,
                status=CaseStatus.RECEIVED,
                status_changed_on=received,
                decision_to_assess_due=dues[deadlines.Milestone.DECISION_TO_ASSESS],
                statutory_panel_decision_due=dues[deadlines.Milestone.STATUTORY_PANEL_DECISION],
                draft_plan_due=dues[deadlines.Milestone.DRAFT_PLAN],
                final_plan_due=dues[deadlines.Milestone.FINAL_PLAN],
                next_milestone=deadlines.Milestone.DECISION_TO_ASSESS,
                next_milestone_due=dues[deadlines.Milestone.DECISION_TO_ASSESS],
            )
        )
    Case.objects.bulk_create(cases, batch_size=5000)
    cases_flag_for_recheck(case.pk for case in cases)  # a bulk writer flags (decision 0190)
    service = PartnerServiceFactory()
    partner(service)
    AdviceRequest.objects.bulk_create(
        [
            AdviceRequest(
                case_id=case_id,
                kind=AdviceKind.HEALTH,
                service=service,
                question="Synthetic question?",
                requested_on=received_on,
                due_on=deadlines.advice_due(received_on),
                status_changed_on=received_on,
            )
            for case_id, received_on in Case.objects.filter(
                reference__startswith="BULK-"
            ).values_list("pk", "received_on")
        ],
        batch_size=5000,
    )
    advice_due_backfill()  # a bulk writer keeps the cases' stored input itself (decision 0190)


def _writes(queries) -> list[str]:
    return [
        q["sql"]
        for q in queries
        if q["sql"].lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE"))
    ]


def _second_sweep_queries(count: int) -> tuple[int, list[str]]:
    worker = caseworker()
    manager()
    # Received 1 to 60 days before the first sweep: due dates spread across on track,
    # at risk (within 14 days) and overdue.
    _bulk_cases(count, caseworker_user=worker, first_received=TODAY - datetime.timedelta(days=60))
    sweep_run(today=TODAY)
    assert CaseAlertState.objects.count() == count
    alerts = Notification.objects.count()
    assert alerts > 0
    assert Notification.objects.filter(object_type="advice_request").exists()
    with CaptureQueriesContext(connection) as captured:
        sweep_run(today=TODAY)
    assert Notification.objects.count() == alerts
    return len(captured.captured_queries), _writes(captured.captured_queries)


def test_an_unchanged_sweep_costs_the_same_few_queries_for_20_or_2000_cases():
    small, small_writes = _second_sweep_queries(20)
    Notification.objects.all().delete()
    CaseAlertState.objects.all().delete()
    AdviceRequest.objects.all().delete()
    Case.objects.all().delete()
    large, large_writes = _second_sweep_queries(2000)
    # The same few statements at any size: three for cases and advice, at most three more
    # for each other source (disputes, the family messages...).
    assert small == large <= 3 * len(SWEEP_SOURCES)
    assert small_writes == large_writes == []


@pytest.mark.postgres
def test_an_unchanged_sweep_over_30000_open_cases_is_a_few_queries_and_writes_nothing():
    """On PostgreSQL, with enough rows for the planner to choose as it would at scale (the
    1,000,000-case figures are benchmark 1a's, docs/benchmarks.md)."""
    queries, writes = _second_sweep_queries(30_000)
    assert queries <= 3 * len(SWEEP_SOURCES)
    assert writes == []


def _first_sweep_statements(count: int) -> tuple[int, int]:
    """A first sweep over `count` cases, every one overdue with advice 14 days overdue: each
    case alerts its caseworker and the manager(s); each request the service's member and
    mailbox and (escalated) the manager(s)."""
    worker = caseworker()
    managers = len(manager().groups.get().user_set.all())
    _bulk_cases(count, caseworker_user=worker, first_received=TODAY - datetime.timedelta(days=200))
    with CaptureQueriesContext(connection) as captured:
        offered = sweep_run(today=TODAY)
    # The other sources (plans, disputes, families...) have nothing to say here.
    assert offered == {
        **dict.fromkeys(offered, 0),
        "cases": (1 + managers) * count,
        "advice": (2 + managers) * count,
    }
    assert Notification.objects.count() == sum(offered.values())
    return len(captured.captured_queries), len(_writes(captured.captured_queries))


@pytest.mark.postgres
def test_recording_many_alerts_costs_the_same_statements_for_20_or_300_changed_cases():
    """The statements do not grow with the alerts: the claim of the flagged cases (decision
    0190), one upsert of the alert states, one insert per source and the advice source's one
    UPDATE marking the levels each request was told (decision 0195), whether 100 or 2,100
    alerts are recorded."""
    small = _first_sweep_statements(20)
    Notification.objects.all().delete()
    CaseAlertState.objects.all().delete()
    AdviceRequest.objects.all().delete()
    Case.objects.all().delete()
    large = _first_sweep_statements(300)
    assert small == large
    assert small[1] == 5  # noqa: PLR2004
    assert not AdviceRequest.objects.filter(alerted_overdue=False).exists()
    assert not AdviceRequest.objects.filter(alerted_escalated=False).exists()


@pytest.mark.postgres
def test_the_advice_read_uses_the_pending_indexes_and_leaves_out_what_was_told():
    """Decision 0195: after the sweep told 300 requests overdue and escalated, the advice read's
    three index ranges hold none of them (1,700 more are due later), and PostgreSQL reads them
    through the pending indexes, not the outstanding requests."""
    manager()
    _bulk_cases(
        2000, caseworker_user=caseworker(), first_received=TODAY - datetime.timedelta(days=200)
    )
    sweep_run(today=TODAY)
    told = AdviceRequest.objects.filter(alerted_escalated=True)
    assert told.count() == 300  # noqa: PLR2004
    assert not told.filter(pending_overdue_on__isnull=False).exists()
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE advice_requests_advicerequest")
    candidates = advice_alert_candidates(TODAY + datetime.timedelta(days=1))
    assert not candidates.filter(alerted_escalated=True).exists()
    plan = candidates.explain()
    assert all(f"advice_pending_{level}_idx" in plan for level in LEVEL_KIND), plan
