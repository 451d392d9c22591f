"""Suite-wide fixtures and the rule that CI never skips what it must prove.

Tests marked `postgres` or `redis` need the real service. Locally, without it, they skip; with
`CI` set they fail, so a green CI run always means PostgreSQL and Redis were exercised.

Two-factor sign-in is enforced for every page and API call (security.middleware). So that a
test which signs a user in keeps testing what it is about, `Client.force_login` and
`Client.login` (and so DRF's `APIClient`, a subclass) also pass the second factor: the user gets
a confirmed authenticator and the session is marked verified, as after the real second step.
`APIClient.force_authenticate` needs nothing (it bypasses sessions, as a token does). A test of
the second factor itself opts out with `@pytest.mark.password_only`: its logins then give a
password-only session. Browser tests sign in through the pages: tests/browser/conftest.py.
"""

import os
import socket
from urllib.parse import urlparse

import pytest
from django.conf import settings
from django.contrib.auth import authenticate, get_user_model
from django.test import Client, RequestFactory
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from notifications import texts
from tests.mail_check import emails_naming_a_child

IN_CI = bool(os.environ.get("CI"))


def _redis_answers() -> bool:
    url = urlparse(settings.REDIS_URL)
    try:
        with socket.create_connection((url.hostname or "127.0.0.1", url.port or 6379), timeout=2):
            return True
    except OSError:
        return False


def _missing(what: str) -> None:
    message = f"this test needs {what}"
    if IN_CI:
        pytest.fail(f"{message}, and CI is set: it must not be skipped.")
    pytest.skip(message)


@pytest.fixture(autouse=True)
def _no_email_names_a_child():
    """Every email sent in the suite is checked: none may name a child (tests/mail_check.py).
    Checked after the test, while its database is still there, so query counts are untouched.
    Text messages too (notifications.texts' in-memory outbox, emptied before each test)."""
    texts.outbox.clear()
    yield
    named = emails_naming_a_child()
    assert not named, f"An email names a child: {named}"


@pytest.fixture(autouse=True)
def _advice_documents_in_tmp(settings, tmp_path):
    """Advice documents uploaded by any test land in the test's own directory, never in var/."""
    settings.EHC_ADVICE_STORAGE_DIR = str(tmp_path / "advice-documents")


def verified_device(user) -> TOTPDevice:
    """The user's confirmed authenticator (made if they have none)."""
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="Test authenticator", confirmed=True)
    return device


def pass_second_factor(client, user) -> None:
    """Mark the client's signed-in session as having passed the second factor."""
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = verified_device(user).persistent_id
    session.save()


_password_only_force_login = Client.force_login


def _password_only_login(client, **credentials) -> bool:
    """Client.login, but through a request (django-axes needs one, as the real form gives)."""
    request = RequestFactory().post("/accounts/login/", REMOTE_ADDR="127.0.0.1")
    user = authenticate(request, **credentials)
    if user is None:
        return False
    client._login(user)
    return True


def _verified_force_login(client, user, backend=None):
    _password_only_force_login(client, user, backend)
    pass_second_factor(client, user)


def _verified_login(client, **credentials) -> bool:
    if not _password_only_login(client, **credentials):
        return False
    username = credentials.get(get_user_model().USERNAME_FIELD)
    pass_second_factor(client, get_user_model()._default_manager.get_by_natural_key(username))
    return True


@pytest.fixture(autouse=True)
def _signed_in_tests_pass_the_second_factor(request, monkeypatch):
    """See the module docstring: `password_only` tests get the plain password login."""
    if request.node.get_closest_marker("password_only"):
        monkeypatch.setattr(Client, "login", _password_only_login)
        return
    monkeypatch.setattr(Client, "force_login", _verified_force_login)
    monkeypatch.setattr(Client, "login", _verified_login)


def pytest_runtest_setup(item):
    needs_postgres = item.get_closest_marker("postgres")
    if (
        needs_postgres
        and settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql"
    ):
        _missing("PostgreSQL (set DATABASE_URL)")
    if item.get_closest_marker("redis") and not _redis_answers():
        _missing(f"Redis at {settings.REDIS_URL}")


def pytest_report_header(config):
    engine = settings.DATABASES["default"]["ENGINE"].rsplit(".", 1)[-1]
    return f"ehc-workflow: database={engine} CI={'yes' if IN_CI else 'no'}"
