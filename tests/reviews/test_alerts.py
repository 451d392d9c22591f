"""The reviews sweep: once per milestone and level, idempotent, never for a ceased plan."""

import datetime

import pytest
from django.utils import timezone

from notifications.models import Kind, Notification
from notifications.sweep import sweep_run
from reviews.alerts import sweep_reviews
from tests.cases.factories import ChildFactory, caseworker, manager

from .factories import make_plan, review_in_status

pytestmark = pytest.mark.django_db
D = datetime.date


def _sweep(today):
    return sweep_reviews(today=today, now=timezone.now())


def _keys():
    return sorted(
        Notification.objects.values_list(
            "kind", "object_type", "milestone", "level", "recipient_id"
        )
    )


def test_annual_review_alerts_at_risk_then_overdue_once_each():
    worker, boss = caseworker(), manager()
    plan = make_plan(start_date=D(2025, 11, 20), caseworker=worker)  # review due 20 Nov 2026
    assert _sweep(D(2026, 11, 1)) == 0  # 19 days ahead: on track
    assert _sweep(D(2026, 11, 6)) == 1  # 14 days ahead: at risk, the caseworker only
    assert _sweep(D(2026, 11, 7)) == 0  # once per level
    assert _sweep(D(2026, 11, 21)) == 2  # overdue: the caseworker and a manager
    assert _sweep(D(2026, 11, 22)) == 0
    assert _keys() == sorted(
        [
            (Kind.REVIEW_AT_RISK, "active_plan", "annual_review@2026-11-20", "at_risk", worker.pk),
            (Kind.REVIEW_OVERDUE, "active_plan", "annual_review@2026-11-20", "overdue", worker.pk),
            (Kind.REVIEW_OVERDUE, "active_plan", "annual_review@2026-11-20", "overdue", boss.pk),
        ]
    )
    note = Notification.objects.filter(recipient=worker, level="overdue").get()
    assert plan.reference in note.subject
    assert plan.child.first_name not in note.body
    assert note.link == f"/reviews/plans/{plan.pk}/"


def test_each_review_milestone_alerts_once():
    worker = caseworker()
    review = review_in_status("report_received", actor=worker)  # meeting 1 Oct: decision 29 Oct
    assert review.next_milestone == "review_decision"
    assert _sweep(D(2026, 10, 20)) == 1
    assert _sweep(D(2026, 10, 30)) == 1  # overdue (no manager exists: caseworker only)
    assert _sweep(D(2026, 10, 31)) == 0
    milestones = set(Notification.objects.values_list("milestone", flat=True))
    assert milestones == {"review_decision@2026-10-29"}


def test_ceased_plan_never_alerts():
    review = review_in_status("ceased")
    assert review.plan.ceased_on is not None
    assert _sweep(D(2028, 1, 1)) == 0
    assert not Notification.objects.exists()


def test_phase_transfer_alerts_six_weeks_ahead():
    worker = caseworker()
    child = ChildFactory(date_of_birth=D(2016, 3, 1))  # secondary: named by 15 February 2027
    make_plan(child=child, caseworker=worker, start_date=D(2026, 6, 1))
    assert _sweep(D(2027, 1, 3)) == 0  # 43 days ahead
    assert _sweep(D(2027, 1, 4)) == 1  # 42 days ahead
    assert Notification.objects.get().milestone == "phase_transfer@2027-02-15"


def test_registered_with_the_sweep():
    assert "reviews" in sweep_run(today=D(2026, 1, 1))
