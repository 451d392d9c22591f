"""Benchmark 1a/1b's hand SQL for the plans and disputes sweep sources owes what the app's
sources owe (the drafts and consultations, the dispute deadlines and their level), and nothing
once the alert is recorded."""

import datetime

import pytest
from django.conf import settings
from django.db import transaction
from django.utils import timezone

from bench import handsql
from bench.suite import _check_plans_and_disputes, _params, app_disputes_owing, app_plans_owing
from bench.timing import sql_runner
from cases.models import Case, Child
from disputes import services as disputes
from disputes.alerts import sweep_disputes
from plans import services as plans
from plans.alerts import sweep_plans
from plans.models import Consultation, PlanVersion
from tests.cases.factories import TODAY, manager
from tests.disputes.factories import appealed
from tests.plans.test_family_response import _draft_issued as draft_issued

pytestmark = [pytest.mark.django_db, pytest.mark.postgres]

D = datetime.date
NOW = timezone.now()
#: When the compared runs record (apart from the sweeps the tests commit at NOW).
COMPARED_AT = NOW + datetime.timedelta(minutes=1)


def _hand_plans(today):
    return [(row[0], row[1]) for row in sql_runner(handsql.SWEEP_PLANS_OWING, _params(today))()]


def _hand_disputes(today):
    rows = sql_runner(handsql.SWEEP_DISPUTES_OWING, _params(today))()
    return sorted((row[0], row[2]) for row in rows)


def _recorded_by(run, today) -> list[tuple]:
    """The notifications `run` records at COMPARED_AT, rolled back."""
    with transaction.atomic():
        run(today)
        at = {"now": COMPARED_AT}
        rows = [tuple(row) for row in sql_runner(handsql.SWEEP_NOTIFICATIONS, at)()]
        transaction.set_rollback(True)
    return rows


def _day_params(today):
    return {**_params(today), "now": COMPARED_AT, "case_path": settings.EHC_CASE_URL_PATH}


def _hand_day(statement):
    def run(today):
        sql_runner(statement, _day_params(today))()

    return run


def _draft_issued_and_consulted(*, issued_day: int):
    """A case whose draft was issued on `issued_day` from its request, and a school consulted
    the next day (its 15 days end on issued_day + 16)."""
    case, actor, plan = draft_issued(issued_day)
    consultation = plans.consultation_send(
        actor=actor,
        plan=plan,
        setting_name="Willowbrook Primary (synthetic)",
        sent_on=case.received_on + datetime.timedelta(days=issued_day + 1),
        today=TODAY,
    )
    return case, PlanVersion.objects.get(plan=plan, kind="draft"), consultation


def test_the_plans_hand_sql_owes_the_late_draft_and_consultation_then_nothing():
    manager()
    case, draft, consultation = _draft_issued_and_consulted(issued_day=125)
    _draft_issued_and_consulted(issued_day=135)  # neither due yet
    # The family's last day was day 139; the school's 15 days ended on day 141.
    today = case.received_on + datetime.timedelta(days=145)
    owing = [("plan_version", draft.pk), ("consultation", consultation.pk)]
    assert app_plans_owing(today) == owing
    assert _hand_plans(today) == owing
    _check_plans_and_disputes(today, _params(today))  # the benchmark's own check
    # The hand SQL records, row for row, what the app's source records (1b's check).
    app = _recorded_by(lambda day: sweep_plans(today=day, now=COMPARED_AT), today)
    assert len(app) == 2
    assert _recorded_by(_hand_day(handsql.SWEEP_PLANS_DAY), today) == app

    assert sweep_plans(today=today, now=NOW) == 2
    assert app_plans_owing(today) == []
    assert _hand_plans(today) == []


def test_the_plans_hand_sql_marks_what_it_records_as_the_app_does():
    """Decision 0199: the hand SQL writes the marks too, so it does the app's work."""
    manager()
    case, draft, consultation = _draft_issued_and_consulted(issued_day=125)
    _draft_issued_and_consulted(issued_day=135)  # neither due yet
    today = case.received_on + datetime.timedelta(days=145)
    assert sql_runner(handsql.SWEEP_PLANS_DAY, _day_params(today))() == [(2, 1, 1)]
    assert PlanVersion.objects.get(pk=draft.pk).comments_due_alerted
    assert Consultation.objects.get(pk=consultation.pk).late_alerted
    assert app_plans_owing(today) == _hand_plans(today) == []
    assert sql_runner(handsql.SWEEP_PLANS_DAY, _day_params(today))() == [(0, 0, 0)]
    assert sweep_plans(today=today, now=NOW) == 0


def test_the_disputes_hand_sql_owes_each_deadline_once_per_level_then_nothing():
    manager()
    actor, _case, _dispute, appeal = appealed(registered_on=D(2026, 3, 2))  # response: 15 April
    assert app_disputes_owing(D(2026, 4, 1)) == _hand_disputes(D(2026, 4, 1)) == []
    response = [(f"response:{appeal.pk}", "at_risk")]
    assert app_disputes_owing(D(2026, 4, 9)) == _hand_disputes(D(2026, 4, 9)) == response
    app = _recorded_by(lambda day: sweep_disputes(today=day, now=COMPARED_AT), D(2026, 4, 9))
    assert _recorded_by(_hand_day(handsql.SWEEP_DISPUTES_DAY), D(2026, 4, 9)) == app
    sweep_disputes(today=D(2026, 4, 9), now=NOW)
    assert app_disputes_owing(D(2026, 4, 9)) == _hand_disputes(D(2026, 4, 9)) == []

    disputes.appeal_response_sent(actor=actor, appeal=appeal, sent_on=D(2026, 4, 1))
    disputes.appeal_outcome_record(
        actor=actor, appeal=appeal, outcome="order", decided_on=D(2026, 6, 3), order_kind="assess"
    )
    # The order's "tell the family" step (due 17 June), past due; the case's clock has the rest.
    owing = app_disputes_owing(D(2026, 6, 18))
    assert [(object_id.split(":")[0], level) for object_id, level in owing] == [
        ("order", "overdue")
    ]
    assert _hand_disputes(D(2026, 6, 18)) == owing
    _check_plans_and_disputes(D(2026, 6, 18), _params(D(2026, 6, 18)))
    app = _recorded_by(lambda day: sweep_disputes(today=day, now=COMPARED_AT), D(2026, 6, 18))
    assert len(app) == 2
    assert _recorded_by(_hand_day(handsql.SWEEP_DISPUTES_DAY), D(2026, 6, 18)) == app

    assert sweep_disputes(today=D(2026, 6, 18), now=NOW) == 2  # the caseworker and manager
    assert app_disputes_owing(D(2026, 6, 18)) == _hand_disputes(D(2026, 6, 18)) == []


def test_neither_owes_a_deadline_of_a_child_restricted_for_retention():
    manager()
    _actor, case, _dispute, _appeal = appealed(registered_on=D(2026, 3, 2))
    Child.objects.filter(pk=case.child_id).update(restricted_on=D(2026, 4, 1))
    assert app_disputes_owing(D(2026, 4, 16)) == _hand_disputes(D(2026, 4, 16)) == []


def test_with_nobody_assigned_the_hand_sql_tells_the_managers_as_the_app_does():
    manager()
    manager()
    case, _draft, _consultation = _draft_issued_and_consulted(issued_day=125)
    _actor, declined, _dispute, _appeal = appealed(registered_on=D(2026, 3, 2))
    Case.objects.filter(pk__in=[case.pk, declined.pk]).update(caseworker=None)
    today = case.received_on + datetime.timedelta(days=145)
    app = _recorded_by(lambda day: sweep_plans(today=day, now=COMPARED_AT), today)
    assert len(app) == 4  # two managers, for the draft and the consultation
    assert _recorded_by(_hand_day(handsql.SWEEP_PLANS_DAY), today) == app
    app = _recorded_by(lambda day: sweep_disputes(today=day, now=COMPARED_AT), D(2026, 4, 9))
    assert len(app) == 2  # at risk, nobody assigned: both managers, in a manager's words
    assert _recorded_by(_hand_day(handsql.SWEEP_DISPUTES_DAY), D(2026, 4, 9)) == app
