"""Headers (ASVS 14.4): a Content-Security-Policy with no inline script on every page, and no
inline script in any page a user can be shown (the rendered HTML is searched)."""

import re

import pytest
from django.conf import settings
from django.test import override_settings
from django.urls import reverse

from tests.cases.factories import make_case, manager
from tests.conftest import verified_device
from tests.security.test_two_factor import ROUTES

pytestmark = pytest.mark.django_db

INLINE_SCRIPT = re.compile(r"<script(?![^>]*\ssrc=)(?![^>]*type=\"application/json\")[^>]*>", re.I)
INLINE_HANDLER = re.compile(r"<[^>]+\son[a-z]+\s*=", re.I)
JAVASCRIPT_URL = re.compile(r"""(href|src|action)\s*=\s*["']\s*javascript:""", re.I)


def _pages(case, device):
    """Every GET page of the URLconf (not the JSON API), with real records in the paths
    (django-otp's admin answers 500, not 404, for a device that does not exist)."""
    pages = ["/accounts/login/", "/api/docs/"]
    for name, path in ROUTES:
        if path.startswith("/api/") or name.endswith(("transition", "agree", "propose")):
            continue
        path = path.replace("/x/", f"/{case.reference}/")
        pages.append(path.replace("/otp_totp/totpdevice/1/", f"/otp_totp/totpdevice/{device.pk}/"))
    return pages


def _assert_no_inline_script(path, body):
    assert not INLINE_SCRIPT.search(body), (path, INLINE_SCRIPT.search(body).group(0))
    assert not INLINE_HANDLER.search(body), (path, INLINE_HANDLER.search(body).group(0))
    assert not JAVASCRIPT_URL.search(body), path


def test_the_policy_allows_no_inline_script():
    directives = settings.CONTENT_SECURITY_POLICY["DIRECTIVES"]
    assert directives["script-src"] == ["'self'"]
    assert "'unsafe-inline'" not in str(directives)
    assert directives["frame-ancestors"] == ["'none'"]


def test_every_page_has_the_csp_header_and_no_inline_script(client):
    user = manager()
    user.is_staff = user.is_superuser = True
    user.save()
    case = make_case(actor=user)
    client.force_login(user)
    seen = 0
    for path in _pages(case, verified_device(user)):
        response = client.get(path, follow=True)
        assert "Content-Security-Policy" in response.headers, path
        assert "script-src 'self'" in response.headers["Content-Security-Policy"], path
        if "text/html" in response.headers.get("Content-Type", ""):
            _assert_no_inline_script(path, response.content.decode())
            seen += 1
    assert seen > 20


@pytest.mark.password_only
def test_signed_out_pages_have_the_header_too(client):
    for path in ("/accounts/login/", "/no-such-page/"):
        response = client.get(path)
        assert "script-src 'self'" in response.headers["Content-Security-Policy"]
        _assert_no_inline_script(path, response.content.decode())


def test_the_govuk_start_up_scripts_are_files():
    client_body = (settings.BASE_DIR / "templates" / "base.html").read_text()
    assert "security/js-enabled.js" in client_body
    assert "security/govuk-init.js" in client_body


@override_settings(SECURE_HSTS_SECONDS=31536000, SECURE_SSL_REDIRECT=False)
def test_hsts_is_sent_over_https(client):
    response = client.get(reverse("login"), secure=True)
    assert response["Strict-Transport-Security"].startswith("max-age=31536000")
