"""The nudge to the PDF renderer after a step commits (plans.documents) is only a nudge: a broker
that is down neither fails the step nor holds it up for long (the beat schedule renders the PDF).

The suite's broker is the in-memory one (settings/test.py); this test points the project's
Celery app at a Redis URL nobody listens on, then gives the memory broker back. From helper
nudge's branch (issue 20), whose transport change was not kept (decision 0198, "Later")."""

from __future__ import annotations

import datetime
import logging
import socket
import time
from contextlib import contextmanager

import pytest
from kombu import pools

from cases.services import case_transition
from ehc_workflow.celery import app as celery_app
from plans.models import PlanVersion
from tests.cases.factories import TODAY, case_in_status, caseworker

from .factories import write_plan

#: A refused connection costs the step Celery's publish retries (3, 0.2 s apart: 0.6 s), no more;
#: the bound leaves room for the step itself on a slow machine.
DOWN_BROKER_SECONDS = 5


def _forget_broker_pools() -> None:
    # What Celery does after a fork: the app makes its connection and producer pools again.
    celery_app._pool = None
    celery_app.amqp._producer_pool = None


@contextmanager
def _broker(url: str):
    """The project's app on this broker; the suite's memory broker afterwards."""
    conf = celery_app.conf
    saved = conf.broker_url
    _forget_broker_pools()
    conf.update(broker_url=url)
    try:
        yield
    finally:
        pools.reset()  # closes this broker's pooled connections
        conf.update(broker_url=saved)
        _forget_broker_pools()


def _port_nobody_listens_on() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.mark.django_db(transaction=True)
def test_a_broker_that_is_down_does_not_fail_or_hold_up_the_step(caplog):
    """The step commits, then its nudge fails (logged): the beat schedule renders the PDF."""
    actor = caseworker()
    case = case_in_status("drafting", actor=actor)
    write_plan(case, actor, setting_name="Willowbrook Primary (synthetic)")
    with _broker(f"redis://127.0.0.1:{_port_nobody_listens_on()}/0"):
        started = time.monotonic()
        with caplog.at_level(logging.WARNING, logger="plans.documents"):
            case_transition(
                actor=actor,
                case=case,
                transition="issue_draft",
                effective_date=case.received_on + datetime.timedelta(days=125),
                reason="The family's comments (synthetic).",
                today=TODAY,
            )
        elapsed = time.monotonic() - started
    assert PlanVersion.objects.filter(plan__case=case).count() == 1
    assert "Could not queue the PDF rendering task" in caplog.text
    assert elapsed < DOWN_BROKER_SECONDS
