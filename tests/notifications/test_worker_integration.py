"""A real Celery worker (with embedded beat) against the real Redis and PostgreSQL, delivering
to a local SMTP sink: a worker killed mid-delivery and a flushed Redis lose nothing and repeat
nothing, because what is owed lives in the database, not in the broker.
"""

from __future__ import annotations

import datetime
import time
import uuid

import pytest
import redis
from django.conf import settings
from django.db import transaction
from django.utils import timezone

from ehc_workflow.celery import DELIVER
from ehc_workflow.celery import app as celery_app
from notifications.delivery import message_id
from notifications.models import EmailStatus, Notification
from notifications.sweep import sweep_run
from tests.cases.factories import caseworker, make_case, manager

from .smtp_sink import SmtpSink
from .worker import Worker

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.redis,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("role_groups"),
]
WAIT_SECONDS = 90


@pytest.fixture
def queue():
    return f"ehc-test-{uuid.uuid4().hex[:12]}"


@pytest.fixture
def redis_client(queue):
    client = redis.Redis.from_url(settings.REDIS_URL)
    yield client
    client.delete(queue)


@pytest.fixture
def workers(tmp_path):
    started: list[Worker] = []
    yield started
    for worker in started:
        worker.kill()


def _owed_notifications(cases: int = 5) -> list[Notification]:
    """Overdue cases: each alerts its caseworker and the manager (2 emails per case)."""
    manager()
    today = timezone.localdate()
    for _ in range(cases):
        worker = caseworker()
        make_case(actor=worker, received_on=today - datetime.timedelta(days=60), today=today)
    sweep_run(today=today)
    owed = list(Notification.objects.filter(email_status=EmailStatus.PENDING).order_by("pk"))
    assert len(owed) == 2 * cases
    return owed


def _wait_until_all_sent(sink: SmtpSink, owed: list[Notification], worker: Worker) -> None:
    deadline = time.monotonic() + WAIT_SECONDS
    while time.monotonic() < deadline:
        pending = Notification.objects.exclude(email_status=EmailStatus.SENT).count()
        if pending == 0 and sum(sink.handler.counts().values()) >= len(owed):
            return
        time.sleep(0.25)
    pytest.fail(f"not delivered in {WAIT_SECONDS}s; worker log:\n{worker.output()}")


def _assert_each_delivered_exactly_once(sink: SmtpSink, owed: list[Notification]) -> None:
    time.sleep(2)  # let any straggling duplicate arrive before counting
    counts = sink.handler.counts()
    assert set(counts) == {message_id(n) for n in owed}
    assert set(counts.values()) == {1}
    assert set(Notification.objects.values_list("email_status", flat=True)) == {EmailStatus.SENT}


def _flush_our_redis(client: redis.Redis, queue: str) -> None:
    """FLUSHDB on the test's own Redis database; never on db 0, which others share: there,
    delete every key holding our queue's messages instead."""
    if client.connection_pool.connection_kwargs.get("db", 0) != 0:
        client.flushdb()
    else:
        client.delete(queue)


def test_a_worker_killed_mid_delivery_loses_and_repeats_nothing(tmp_path, queue, workers):
    owed = _owed_notifications()
    with SmtpSink() as sink:
        sink.handler.hold_next = True
        first = Worker(queue=queue, smtp_port=sink.port, workdir=tmp_path, name="first")
        workers.append(first)
        assert sink.handler.holding.wait(WAIT_SECONDS), first.output()
        # Mid-delivery: the first row is claimed (locked) and the SMTP conversation has begun.
        with transaction.atomic():
            claimable = Notification.objects.select_for_update(skip_locked=True).filter(
                pk=owed[0].pk
            )
            assert not claimable.exists()
        first.kill()
        sink.handler.release.set()
        assert sink.handler.counts() == {}
        assert Notification.objects.filter(email_status=EmailStatus.PENDING).count() == len(owed)

        second = Worker(queue=queue, smtp_port=sink.port, workdir=tmp_path, name="second")
        workers.append(second)
        _wait_until_all_sent(sink, owed, second)
        _assert_each_delivered_exactly_once(sink, owed)


def test_a_flushed_redis_loses_no_owed_notification(tmp_path, queue, workers, redis_client):
    owed = _owed_notifications()
    with celery_app.connection_for_write(settings.REDIS_URL) as broker:
        celery_app.send_task(DELIVER, queue=queue, connection=broker)
    assert redis_client.llen(queue) == 1  # the delivery is queued, no worker has it yet
    _flush_our_redis(redis_client, queue)
    assert redis_client.llen(queue) == 0
    with SmtpSink() as sink:
        worker = Worker(queue=queue, smtp_port=sink.port, workdir=tmp_path, name="after-flush")
        workers.append(worker)
        _wait_until_all_sent(sink, owed, worker)
        _assert_each_delivered_exactly_once(sink, owed)
