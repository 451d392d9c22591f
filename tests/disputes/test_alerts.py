"""The disputes sweep source: once per dispute milestone and level, caseworker then manager."""

import datetime

import pytest
from django.utils import timezone

from disputes import services
from disputes.alerts import sweep_disputes
from notifications.models import Notification
from tests.cases.factories import manager

from .factories import appealed

pytestmark = pytest.mark.django_db
D = datetime.date
NOW = timezone.now()


def _alerts():
    return sorted(
        Notification.objects.filter(object_type="dispute_deadline").values_list(
            "kind", "level", "recipient_key"
        )
    )


def test_the_response_due_alerts_once_per_level():
    boss = manager()
    actor, _, _, appeal = appealed(registered_on=D(2026, 3, 2))  # response due 15 April
    assert sweep_disputes(today=D(2026, 4, 1), now=NOW) == 0  # not yet within 7 days
    assert sweep_disputes(today=D(2026, 4, 9), now=NOW) == 1
    assert sweep_disputes(today=D(2026, 4, 10), now=NOW) == 0  # already told
    assert _alerts() == [("case_at_risk", "at_risk", f"user:{actor.pk}")]
    assert sweep_disputes(today=D(2026, 4, 16), now=NOW) == 2
    assert sweep_disputes(today=D(2026, 4, 17), now=NOW) == 0
    assert set(_alerts()) == {
        ("case_at_risk", "at_risk", f"user:{actor.pk}"),
        ("case_overdue", "overdue", f"user:{actor.pk}"),
        ("case_overdue", "overdue", f"user:{boss.pk}"),
    }
    body = Notification.objects.filter(level="overdue", recipient=actor).get().body
    assert "council's response to the tribunal" in body
    assert appeal.dispute.case.child.last_name not in body


def test_a_sent_response_stops_alerting_and_order_steps_alert_instead():
    actor, _, _, appeal = appealed(registered_on=D(2026, 3, 2))
    services.appeal_response_sent(actor=actor, appeal=appeal, sent_on=D(2026, 4, 1))
    services.appeal_outcome_record(
        actor=actor, appeal=appeal, outcome="order", decided_on=D(2026, 6, 3), order_kind="assess"
    )
    # 17 June: "tell the family" (2 weeks) is due; the case's own clock carries the rest.
    assert sweep_disputes(today=D(2026, 6, 12), now=NOW) == 1
    milestones = list(Notification.objects.values_list("milestone", flat=True))
    assert milestones == ["order@2026-06-17"]


def test_the_recorded_alerts_read_uses_the_unique_keys_leading_columns():
    """The read of what was already alerted filters on kind, object type and object id (the
    leading columns of the notifications' unique key) and is unordered, so PostgreSQL can probe
    that index instead of scanning every notification (it read them all: issue 20)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from disputes.alerts import _recorded

    with CaptureQueriesContext(connection) as captured:
        assert _recorded(["appeal:1"]) == set()
    (query,) = captured.captured_queries
    assert '"kind" IN' in query["sql"]
    assert "ORDER BY" not in query["sql"]
