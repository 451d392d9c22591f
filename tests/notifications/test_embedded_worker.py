"""`make run`'s arrangement: a worker with embedded beat on kombu's SQLAlchemy transport (a SQLite
file, no Redis). On start it sweeps and delivers at once, so alerts arrive within seconds."""

import datetime
import time
import uuid

import pytest
from django.utils import timezone

from notifications.models import EmailStatus, Kind, Notification
from tests.cases.factories import caseworker, make_case, manager

from .worker import Worker

WAIT_SECONDS = 60


@pytest.mark.postgres  # the worker process must share the test database: not in-memory SQLite
@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("role_groups")
def test_a_worker_with_beat_on_a_sqlite_broker_alerts_soon_after_start(tmp_path):
    boss = manager()
    worker_user = caseworker()
    today = timezone.localdate()
    make_case(actor=worker_user, received_on=today - datetime.timedelta(days=60), today=today)
    worker = Worker(
        queue=f"ehc-test-{uuid.uuid4().hex[:12]}",
        workdir=tmp_path,
        name="embedded",
        broker=f"sqla+sqlite:///{tmp_path / 'broker.sqlite3'}",
    )
    try:
        deadline = time.monotonic() + WAIT_SECONDS
        while time.monotonic() < deadline:
            statuses = set(Notification.objects.values_list("email_status", flat=True))
            if statuses == {EmailStatus.SENT}:
                break
            time.sleep(0.25)
        else:
            pytest.fail(f"no alert delivered in {WAIT_SECONDS}s:\n{worker.output()}")
    finally:
        worker.kill()
    assert set(Notification.objects.values_list("recipient_id", "kind")) == {
        (worker_user.pk, Kind.CASE_OVERDUE),
        (boss.pk, Kind.CASE_OVERDUE),
    }
