"""The tasks use today's date in London, so frozen time drives them like the beat would."""

import datetime
import zoneinfo

import pytest
import time_machine

from notifications.models import Kind, Notification
from notifications.tasks import deliver_notifications, send_weekly_digest, sweep_deadlines
from tests.cases.factories import caseworker, manager

from .factories import case_due_16_february

pytestmark = pytest.mark.django_db
LONDON = zoneinfo.ZoneInfo("Europe/London")


def test_the_sweep_task_alerts_for_today_in_london_and_the_delivery_task_sends():
    boss = manager()
    worker = caseworker()
    case_due_16_february(actor=worker)
    # 00:30 on 17 February in London: the decision was due yesterday, so it is overdue.
    with time_machine.travel(datetime.datetime(2026, 2, 17, 0, 30, tzinfo=LONDON), tick=False):
        first, second = sweep_deadlines(), sweep_deadlines()
        # Every registered source runs; only the case source has anything to say here.
        assert first == {**dict.fromkeys(first, 0), "cases": 2}
        assert second == dict.fromkeys(second, 0)
        assert deliver_notifications() == {
            "sent": 2,
            "failed": 0,
            "parked": 0,
            "texts_sent": 0,
            "texts_failed": 0,
            "texts_parked": 0,
        }
    assert set(Notification.objects.values_list("recipient_id", "kind")) == {
        (worker.pk, Kind.CASE_OVERDUE),
        (boss.pk, Kind.CASE_OVERDUE),
    }


def test_the_digest_task_is_idempotent_within_the_week():
    manager()
    with time_machine.travel(datetime.datetime(2026, 3, 23, 7, 0, tzinfo=LONDON), tick=False):
        send_weekly_digest()
        send_weekly_digest()
    assert Notification.objects.filter(kind=Kind.MANAGER_DIGEST, milestone="2026-W13").count() == 1
