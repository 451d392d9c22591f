"""Session lifetime and state (ASVS 3.2.1, 3.3.1, 3.3.2, 8.2.1): idle and absolute timeouts
with frozen time, a new id at sign-in, a disabled user's sessions end, nothing cached."""

import datetime

import pytest
import time_machine
from django.urls import reverse

from security.sessions import IDLE_TIMED_OUT
from tests.cases.factories import caseworker

pytestmark = pytest.mark.django_db

START = datetime.datetime(2026, 3, 2, 9, 0, tzinfo=datetime.UTC)


def _minutes(n):
    return START + datetime.timedelta(minutes=n)


def test_idle_for_30_minutes_signs_out(client):
    user = caseworker()
    with time_machine.travel(START, tick=False):
        client.force_login(user)
        assert client.get("/cases/").status_code == 200
    with time_machine.travel(_minutes(29), tick=False):
        assert client.get("/cases/").status_code == 200
    with time_machine.travel(_minutes(29 + 29), tick=False):  # active 29 minutes ago
        assert client.get("/cases/").status_code == 200
    with time_machine.travel(_minutes(29 + 29 + 31), tick=False):
        response = client.get("/cases/")
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))
    assert "_auth_user_id" not in client.session
    page = client.get(response.url)
    assert IDLE_TIMED_OUT.format(minutes=30) in page.content.decode()


def test_twelve_hours_after_sign_in_signs_out_even_when_busy(client):
    user = caseworker()
    with time_machine.travel(START, tick=False):
        client.force_login(user)
    for minutes in range(20, 12 * 60, 20):
        with time_machine.travel(_minutes(minutes), tick=False):
            assert client.get("/cases/").status_code == 200, minutes
    with time_machine.travel(_minutes(12 * 60 + 1), tick=False):
        response = client.get("/cases/")
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_timeouts_are_configurable(client, settings):
    settings.EHC_SESSION_IDLE_SECONDS = 5 * 60
    user = caseworker()
    with time_machine.travel(START, tick=False):
        client.force_login(user)
    with time_machine.travel(_minutes(6), tick=False):
        assert client.get("/cases/").status_code == 302


def test_an_expired_api_session_gets_401(client):
    user = caseworker()
    with time_machine.travel(START, tick=False):
        client.force_login(user)
    with time_machine.travel(_minutes(31), tick=False):
        response = client.get("/api/cases/")
    assert response.status_code == 401
    assert response.json()["code"] == "session_expired"


@pytest.mark.password_only
def test_signing_in_gives_a_new_session_id(client):
    user = caseworker()
    client.get(reverse("login"))
    client.session.save()
    before = client.cookies["sessionid"].value
    client.post(reverse("login"), {"username": user.username, "password": "a-test-password"})
    assert client.cookies["sessionid"].value != before


def test_a_disabled_users_sessions_end_at_their_next_request(client):
    user = caseworker()
    client.force_login(user)
    assert client.get("/cases/").status_code == 200
    user.is_active = False
    user.save()
    response = client.get("/cases/")
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))
    assert "_auth_user_id" not in client.session
    assert client.get("/api/cases/").status_code == 401


def test_a_disabled_users_token_stops_working(client):
    from rest_framework.authtoken.models import Token

    user = caseworker()
    key = Token.objects.create(user=user).key
    assert client.get("/api/cases/", HTTP_AUTHORIZATION=f"Token {key}").status_code == 200
    user.is_active = False
    user.save()
    assert client.get("/api/cases/", HTTP_AUTHORIZATION=f"Token {key}").status_code == 401


def test_signed_in_responses_are_not_stored(client):
    client.force_login(caseworker())
    for path in ("/cases/", "/api/cases/", reverse("api-token")):
        response = client.get(path)
        assert response["Cache-Control"] == "no-store", path


def test_token_responses_are_not_stored(client):
    from rest_framework.authtoken.models import Token

    key = Token.objects.create(user=caseworker()).key
    response = client.get("/api/cases/", HTTP_AUTHORIZATION=f"Token {key}")
    assert response["Cache-Control"] == "no-store"
