"""Two sweeps at once (two beats, or a beat and a catch-up run) record each alert once."""

import datetime
import threading

import pytest
from django.db import connection

from notifications.models import CaseAlertState, Notification
from notifications.sweep import sweep_run
from tests.cases.factories import caseworker, manager

from .factories import case_due_16_february

D = datetime.date


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("role_groups")
def test_two_concurrent_sweeps_record_no_duplicate_notifications():
    manager()
    workers = [caseworker() for _ in range(5)]
    for index in range(40):
        case_due_16_february(actor=workers[index % 5])
    start = threading.Barrier(2)
    errors = []

    def run():
        try:
            start.wait()
            sweep_run(today=D(2026, 2, 20))
        except Exception as exc:  # noqa: BLE001 - reported by the assertion below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    # Every case overdue: one alert for its caseworker and one for the manager.
    assert Notification.objects.count() == 80
    keys = Notification.objects.values_list(
        "kind", "object_id", "milestone", "level", "recipient_key"
    )
    assert len(set(keys)) == 80
    assert CaseAlertState.objects.count() == 40
