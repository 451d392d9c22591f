"""Brute force (ASVS 2.2.1): 5 failures lock a username from one IP, not from another, and
every attempt is logged (django-axes)."""

import datetime

import pytest
import time_machine
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.urls import reverse
from django.utils import timezone

from tests.cases.factories import caseworker

pytestmark = [pytest.mark.django_db, pytest.mark.password_only]

PASSWORD = "a-test-password"


def _sign_in(client, username, password, ip):
    return client.post(
        reverse("login"), {"username": username, "password": password}, REMOTE_ADDR=ip
    )


def test_five_failures_lock_the_username_from_that_ip_only(client, settings):
    user = caseworker()
    for _ in range(5):
        response = _sign_in(client, user.username, "wrong", "192.0.2.10")
    assert response.status_code in (403, 429)
    locked = _sign_in(client, user.username, PASSWORD, "192.0.2.10")
    assert locked.status_code in (403, 429)
    assert "Sign-in locked" in locked.content.decode()
    assert "_auth_user_id" not in client.session

    elsewhere = _sign_in(client, user.username, PASSWORD, "198.51.100.7")
    assert elsewhere.status_code == 302
    assert client.session["_auth_user_id"] == str(user.pk)


def test_four_failures_do_not_lock(client):
    user = caseworker()
    for _ in range(4):
        assert _sign_in(client, user.username, "wrong", "192.0.2.10").status_code == 200
    assert _sign_in(client, user.username, PASSWORD, "192.0.2.10").status_code == 302


def test_another_username_from_the_locked_ip_is_not_locked(client):
    victim, colleague = caseworker(), caseworker()
    for _ in range(5):
        _sign_in(client, victim.username, "wrong", "192.0.2.10")
    assert _sign_in(client, colleague.username, PASSWORD, "192.0.2.10").status_code == 302


def test_every_attempt_is_logged(client):
    user = caseworker()
    _sign_in(client, user.username, "wrong", "192.0.2.10")
    _sign_in(client, user.username, "wrong", "192.0.2.10")
    _sign_in(client, user.username, PASSWORD, "192.0.2.11")
    failures = AccessFailureLog.objects.filter(username=user.username)
    assert failures.count() == 2
    assert set(failures.values_list("ip_address", flat=True)) == {"192.0.2.10"}
    assert AccessAttempt.objects.get(username=user.username).failures_since_start == 2
    success = AccessLog.objects.get(username=user.username)
    assert success.ip_address == "192.0.2.11"


def test_the_cool_off_ends_the_lock(client, settings):
    user = caseworker()
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        for _ in range(5):
            _sign_in(client, user.username, "wrong", "192.0.2.10")
        assert _sign_in(client, user.username, PASSWORD, "192.0.2.10").status_code in (403, 429)
    later = start + datetime.timedelta(hours=settings.AXES_COOLOFF_TIME, minutes=1)
    with time_machine.travel(later, tick=False):
        assert _sign_in(client, user.username, PASSWORD, "192.0.2.10").status_code == 302
