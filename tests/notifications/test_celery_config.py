"""The Celery configuration issue 6 asks for, and the one beat schedule."""

import datetime

from celery.schedules import crontab
from django.conf import settings

from ehc_workflow.celery import DELIVER, DIGEST, SWEEP, app, beat_schedule


def test_tasks_are_json_acknowledged_late_one_at_a_time_and_time_limited():
    conf = app.conf
    assert conf.task_serializer == "json"
    assert conf.accept_content == ["json"]
    assert conf.task_acks_late is True
    assert conf.task_reject_on_worker_lost is True
    assert conf.worker_prefetch_multiplier == 1
    assert 0 < conf.task_soft_time_limit < conf.task_time_limit
    assert settings.CELERY_BROKER_TRANSPORT_OPTIONS["visibility_timeout"] > conf.task_time_limit
    assert conf.task_soft_time_limit > settings.EMAIL_TIMEOUT


def test_the_beat_schedule_is_declared_once_from_settings(settings):
    assert app.conf.beat_schedule == beat_schedule(settings)
    settings.EHC_SWEEP_INTERVAL_SECONDS = 300
    schedule = beat_schedule(settings)
    assert schedule["sweep-deadlines"] == {
        "task": SWEEP,
        "schedule": datetime.timedelta(minutes=5),
    }
    assert schedule["deliver-notifications"]["task"] == DELIVER
    assert schedule["weekly-manager-digest"] == {
        "task": DIGEST,
        "schedule": crontab(minute=0, hour=7, day_of_week="mon"),
    }
    assert app.conf.timezone == "Europe/London"


def test_the_default_sweep_runs_every_15_minutes():
    assert settings.EHC_SWEEP_INTERVAL_SECONDS == 15 * 60


def test_every_scheduled_task_is_registered():
    app.loader.import_default_modules()
    for entry in app.conf.beat_schedule.values():
        assert entry["task"] in app.tasks
