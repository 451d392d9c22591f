"""Two-factor sign-in, enforced (ASVS 2.2.1, 2.7, 2.8, 4.1.1): a password alone opens nothing
but the second-factor pages, on every route of the URLconf."""

import io
import re

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice
from rest_framework.authtoken.models import Token

from security import tokens, two_factor
from security.middleware import OPEN_TO_PASSWORD_ONLY, SECOND_FACTOR_REQUIRED
from tests.cases.factories import UserFactory, caseworker, manager
from tests.conftest import verified_device

pytestmark = [pytest.mark.django_db, pytest.mark.password_only]

PASSWORD = "a-test-password"
#: Routes anyone may open, signed in or not (GOV.UK assets redirect to static files).
ANONYMOUS_ROUTES = {"govuk_asset"}
SAMPLE_ARGS = {"int": "1", "str": "x", "path": "x", "slug": "x", "uuid": None}


def _current_code(device) -> str:
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"


def _password_only(client, user):
    assert client.login(username=user.username, password=PASSWORD)
    return client


def _every_route():
    """(name, concrete path) for every URL pattern, with sample values for its parameters."""
    found = []

    def walk(patterns, prefix, namespace):
        for entry in patterns:
            if isinstance(entry, URLResolver):
                inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
                walk(entry.url_patterns, prefix + str(entry.pattern), inner)
            elif isinstance(entry, URLPattern):
                route = prefix + str(entry.pattern)
                name = f"{namespace}{entry.name}" if entry.name else entry.callback.__name__
                found.append((name, route))

    walk(get_resolver().url_patterns, "", "")
    return found


def _concrete(route: str) -> str | None:
    def sample(match):
        converter = (match.group(1) or "str").rstrip(":")
        return SAMPLE_ARGS.get(converter) or "x"

    path = re.sub(r"<(?:(\w+):)?\w+>", sample, route)
    if path.startswith("^") or "(?P" in path:  # a regex route (the admin's)
        path = re.sub(r"\(\?P<\w+>[^)]*\)", "1", path).lstrip("^").rstrip("$").replace("\\", "")
    return "/" + path


ROUTES = [
    (name, _concrete(route))
    for name, route in _every_route()
    if name not in OPEN_TO_PASSWORD_ONLY and name not in ANONYMOUS_ROUTES
]


def test_the_route_list_is_generated_from_the_urlconf():
    names = {name for name, _ in ROUTES}
    assert {"cases:list", "cases:detail", "api:case-list", "admin:index", "home"} <= names
    assert len(ROUTES) > 30


@pytest.mark.parametrize(("name", "path"), ROUTES, ids=[name for name, _ in ROUTES])
@pytest.mark.parametrize("method", ["get", "post"])
def test_every_route_refuses_a_password_only_session(client, name, path, method):
    user = manager()
    user.is_staff = user.is_superuser = True
    user.save()
    verified_device(user)
    response = getattr(_password_only(client, user), method)(path)
    if path.startswith("/api/"):
        assert response.status_code in (401, 403), (path, response.status_code)
        if response.status_code == 403:
            assert response.json()["code"] == "second_factor_required"
    else:
        assert response.status_code == 302, (path, response.status_code)
        assert response.url.startswith(reverse("two-factor-verify")), response.url


def test_a_user_without_an_authenticator_is_sent_to_set_one_up(client):
    response = _password_only(client, caseworker()).get(reverse("cases:list"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("two-factor-setup"))


def test_a_password_only_session_gets_403_from_the_api(client):
    response = _password_only(client, caseworker()).get("/api/cases/")
    assert response.status_code == 403
    assert response.json()["message"] == SECOND_FACTOR_REQUIRED


def test_the_code_completes_sign_in_under_a_new_session_id(client):
    user = caseworker()
    device = verified_device(user)
    _password_only(client, user)
    before = client.cookies["sessionid"].value
    response = client.post(
        reverse("two-factor-verify"), {"code": _current_code(device), "next": "/cases/"}
    )
    assert response.status_code == 302
    assert response.url == "/cases/"
    assert client.cookies["sessionid"].value != before
    assert client.get("/cases/").status_code == 200


def test_a_wrong_code_is_refused_with_a_message(client):
    user = caseworker()
    device = verified_device(user)
    _password_only(client, user)
    wrong = f"{(int(_current_code(device)) + 1) % 1_000_000:06d}"
    response = client.post(reverse("two-factor-verify"), {"code": wrong})
    assert response.status_code == 200
    assert two_factor.CODE_WRONG in response.content.decode()
    assert client.get("/cases/").status_code == 302


def test_a_recovery_code_works_once(client):
    user = caseworker()
    verified_device(user)
    codes = two_factor.recovery_codes_issue(user=user)
    assert len(codes) == two_factor.RECOVERY_CODE_COUNT
    _password_only(client, user)
    assert client.post(reverse("two-factor-verify"), {"code": codes[0]}).status_code == 302
    assert client.get("/cases/").status_code == 200
    assert not StaticToken.objects.filter(token=codes[0]).exists()
    client.logout()
    _password_only(client, user)
    response = client.post(reverse("two-factor-verify"), {"code": codes[0]})
    assert two_factor.CODE_WRONG in response.content.decode()


def test_setting_up_an_authenticator_confirms_it_and_shows_recovery_codes(client):
    user = caseworker()
    _password_only(client, user)
    page = client.get(reverse("two-factor-setup"))
    assert "<svg" in page.content.decode()
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    response = client.post(reverse("two-factor-setup"), {"code": _current_code(device)})
    assert response.status_code == 200
    assert 'id="recovery-codes"' in response.content.decode()
    device.refresh_from_db()
    assert device.confirmed
    assert client.get("/cases/").status_code == 200


def test_an_enrolled_user_cannot_enrol_another_phone_with_the_password_alone(client):
    user = caseworker()
    verified_device(user)
    response = _password_only(client, user).get(reverse("two-factor-setup"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("two-factor-verify"))
    assert TOTPDevice.objects.filter(user=user).count() == 1


def test_removing_the_authenticator_ends_the_users_sessions(client):
    user = caseworker()
    device = verified_device(user)
    _password_only(client, user)
    client.post(reverse("two-factor-verify"), {"code": _current_code(device)})
    assert client.get("/cases/").status_code == 200
    device.delete()
    response = client.get("/cases/")
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_a_token_needs_a_verified_user_and_counts_as_second_factor(client):
    user = caseworker()
    with pytest.raises(PermissionDenied, match=tokens.NEEDS_SECOND_FACTOR):
        tokens.api_token_issue(user=user, verified=True)  # no authenticator yet
    device = verified_device(user)
    _password_only(client, user)
    client.post(reverse("two-factor-verify"), {"code": _current_code(device)})
    page = client.post(reverse("api-token"), {"action": "issue"})
    key = Token.objects.get(user=user).key
    assert key in page.content.decode()
    client.logout()
    response = client.get("/api/cases/", HTTP_AUTHORIZATION=f"Token {key}")
    assert response.status_code == 200


def test_a_revoked_token_stops_working(client):
    user = caseworker()
    verified_device(user)
    key = tokens.api_token_issue(user=user, verified=True)
    assert tokens.api_token_revoke(user=user) == 1
    response = client.get("/api/cases/", HTTP_AUTHORIZATION=f"Token {key}")
    assert response.status_code == 401


def test_the_api_token_page_needs_the_second_factor(client):
    user = UserFactory()
    verified_device(user)
    response = _password_only(client, user).post(reverse("api-token"), {"action": "issue"})
    assert response.status_code == 302
    assert not Token.objects.filter(user=user).exists()


def test_the_admin_sign_in_does_not_bypass_the_second_factor(client):
    """Any path that calls django.contrib.auth.login (the admin's, a future password reset
    with post_reset_login) gives a password-only session: the middleware still asks."""
    user = UserFactory(is_staff=True, is_superuser=True)
    verified_device(user)
    client.post(reverse("admin:login"), {"username": user.username, "password": PASSWORD})
    response = client.get(reverse("admin:index"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("two-factor-verify"))


def test_demo_users_get_the_documented_second_factor(client):
    from django.core.management import call_command

    from security.demo import DEMO_RECOVERY_CODES, seed_demo_second_factor

    call_command("seed_demo", cases=2, stdout=io.StringIO())
    _password_only_login_demo = client.login(username="demo.manager", password="ehc-demo-2026")
    assert _password_only_login_demo
    response = client.post(reverse("two-factor-verify"), {"code": DEMO_RECOVERY_CODES[0]})
    assert response.status_code == 302
    assert client.get("/cases/").status_code == 200
    seed_demo_second_factor()  # restores the used code
    assert StaticToken.objects.filter(
        device__user__username="demo.manager", token=DEMO_RECOVERY_CODES[0]
    ).exists()


def test_the_code_field_says_it_takes_a_recovery_code_too(client):
    """Issue 14: the field was labelled for the authenticator only, yet takes recovery codes."""
    user = caseworker()
    verified_device(user)
    _password_only(client, user)
    page = client.get(reverse("two-factor-verify")).content.decode()
    assert "Code from your authenticator app, or a recovery code</label>" in page
    empty = client.post(reverse("two-factor-verify"), {"code": ""}).content.decode()
    assert two_factor.CODE_MISSING in empty
    assert "recovery code" in two_factor.CODE_MISSING
