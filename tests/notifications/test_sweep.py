"""The deadline sweep over frozen dates: one alert per milestone and level, never repeated."""

import datetime

import pytest

from audit.models import AuditEntry
from cases.services import case_assign
from notifications.case_alerts import changed_open_cases
from notifications.models import CaseAlertState, Kind, LineManager, Notification
from tests.cases.factories import caseworker, manager

from .factories import DECISION_DUE, case_due_16_february, move, notification_keys, sweep

pytestmark = pytest.mark.django_db
D = datetime.date


def test_on_track_case_records_its_state_and_alerts_nobody():
    case = case_due_16_february()
    sweep(D(2026, 2, 1))  # 15 days to go: on track
    state = CaseAlertState.objects.get(case=case)
    assert (state.milestone, state.due_on, state.risk) == (
        "decision_to_assess",
        DECISION_DUE,
        "on_track",
    )
    assert not Notification.objects.exists()


def test_at_risk_then_overdue_alerts_once_each_and_a_rerun_alerts_nobody():
    boss = manager()
    worker = caseworker()
    case = case_due_16_february(actor=worker)
    sweep(D(2026, 2, 1))
    sweep(D(2026, 2, 2))  # 14 days to go: at risk
    sweep(D(2026, 2, 2))
    milestone = "decision_to_assess@2026-02-16"
    assert notification_keys() == [
        ("case_at_risk", milestone, "at_risk", f"user:{worker.pk}"),
    ]
    sweep(D(2026, 2, 16))  # due today: still at risk, nothing new
    assert Notification.objects.count() == 1
    sweep(D(2026, 2, 17))  # the day after: overdue, caseworker and manager
    sweep(D(2026, 2, 17))
    sweep(D(2026, 2, 18))
    assert notification_keys(kind=Kind.CASE_OVERDUE) == sorted(
        [
            ("case_overdue", milestone, "overdue", f"user:{worker.pk}"),
            ("case_overdue", milestone, "overdue", f"user:{boss.pk}"),
        ]
    )
    overdue = Notification.objects.get(kind=Kind.CASE_OVERDUE, recipient=worker)
    assert overdue.case == case
    assert overdue.subject == (
        f"Overdue: case {case.reference}: decision whether to assess was due "
        "16 February 2026, 1 day ago"
    )


def test_the_at_risk_alert_says_exactly_what_is_due_and_when():
    worker = caseworker()
    case = case_due_16_february(actor=worker)
    sweep(D(2026, 2, 13))
    alert = Notification.objects.get()
    assert alert.subject == (
        f"Case {case.reference}: decision whether to assess due 16 February 2026, 3 days"
    )
    assert "Monday 16 February 2026 (3 days)" in alert.body
    assert f"http://127.0.0.1:8000/cases/{case.reference}/" in alert.body
    assert alert.link == f"/cases/{case.reference}/"
    assert alert.email_to == worker.email
    assert alert.email_status == "pending"


def test_a_missed_week_of_sweeps_goes_straight_to_overdue_without_an_at_risk_alert():
    case_due_16_february()
    sweep(D(2026, 1, 20))
    sweep(D(2026, 3, 1))
    assert set(Notification.objects.values_list("kind", flat=True)) == {Kind.CASE_OVERDUE}


def test_a_transition_gives_a_fresh_milestone_that_can_alert_again():
    worker = caseworker()
    case = case_due_16_february(actor=worker)
    sweep(D(2026, 2, 17))
    assert Notification.objects.filter(kind=Kind.CASE_OVERDUE, recipient=worker).count() == 1
    case = move(case, "agree_to_assess", D(2026, 2, 17), actor=worker)
    sweep(D(2026, 2, 17))  # statutory panel decision due 27 April: on track
    assert CaseAlertState.objects.get(case=case).milestone == "statutory_panel_decision"
    assert Notification.objects.filter(recipient=worker).count() == 1
    sweep(D(2026, 4, 20))
    # (The family's views, due 31 March, are overdue by now too: advice alerts are their own.)
    fresh = Notification.objects.filter(recipient=worker, object_type="case").order_by("id").last()
    assert (fresh.kind, fresh.milestone) == (
        Kind.CASE_AT_RISK,
        "statutory_panel_decision@2026-04-27",
    )


def test_a_closed_case_is_forgotten_and_alerts_nobody():
    worker = caseworker()
    case = case_due_16_february(actor=worker)
    sweep(D(2026, 2, 2))
    move(case, "withdraw", D(2026, 2, 3), actor=worker)
    sweep(D(2026, 2, 20))
    state = CaseAlertState.objects.get(case=case)
    assert (state.milestone, state.risk, state.due_on) == ("", "", None)
    assert Notification.objects.count() == 1  # only the earlier at-risk alert
    assert changed_open_cases(D(2026, 2, 20)) == []


def test_overdue_goes_to_the_recorded_line_manager_only():
    worker, own_manager, other_manager = caseworker(), manager(), manager()
    LineManager.objects.create(caseworker=worker, manager=own_manager)
    case_due_16_february(actor=worker)
    sweep(D(2026, 2, 20))
    told = set(Notification.objects.values_list("recipient_id", flat=True))
    assert told == {worker.pk, own_manager.pk}
    assert other_manager.pk not in told


def test_an_unassigned_case_at_risk_goes_to_every_manager():
    first, second = manager(), manager()
    case = case_due_16_february()
    case_assign(actor=first, case=case, caseworker=None)
    sweep(D(2026, 2, 10))
    assert set(Notification.objects.values_list("recipient_id", "kind")) == {
        (first.pk, Kind.CASE_AT_RISK),
        (second.pk, Kind.CASE_AT_RISK),
    }


def test_inactive_caseworkers_are_not_told_but_their_manager_is():
    boss = manager()
    worker = caseworker()
    case_due_16_february(actor=worker)
    worker.is_active = False
    worker.save()
    sweep(D(2026, 2, 20))
    assert list(Notification.objects.values_list("recipient_id", flat=True)) == [boss.pk]


def test_the_sweep_writes_no_audit_rows():
    case_due_16_february()
    before = AuditEntry.objects.count()
    sweep(D(2026, 2, 2))
    sweep(D(2026, 2, 20))
    assert AuditEntry.objects.count() == before
