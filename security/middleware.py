"""Enforcement that no view can forget: the second factor, session lifetime, a disabled
account's sessions, and `Cache-Control: no-store` on every signed-in response.

Order in settings.MIDDLEWARE: after AuthenticationMiddleware and django-otp's OTPMiddleware
(which attaches `user.is_verified()`), before the views."""

from __future__ import annotations

import functools
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.http import JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.functional import SimpleLazyObject
from django_otp import DEVICE_ID_SESSION_KEY

from ehc_workflow.api import error_body

from .sessions import session_expiry_reason
from .two_factor import second_factor_step

#: URL names a password-only session may reach: signing in and out, the second-factor pages,
#: and the public API description (ASVS 1.4.1: the one place these exceptions are listed).
OPEN_TO_PASSWORD_ONLY = frozenset(
    {
        "login",
        "logout",
        "two-factor-verify",
        "two-factor-setup",
        "families:sign-in-code",
        "health",
        "api:schema",
        "api:docs",
    }
)
#: Paths with no data: static assets.
OPEN_PATH_PREFIXES = ("/static/", "/assets/")

SECOND_FACTOR_REQUIRED = (
    "Sign in with your second factor first: this session has only a password. API clients "
    "use a token issued to a user who has set up two-factor authentication."
)
SESSION_EXPIRED = "Your session has expired: sign in again."


def _is_api(request) -> bool:
    return request.path.startswith("/api/")


def _has_token_header(request) -> bool:
    """DRF's TokenAuthentication will decide this request (a bad token is its 401, and it
    never falls back to the session)."""
    return request.META.get("HTTP_AUTHORIZATION", "").split(" ", 1)[0].lower() == "token"


def _session_verified(request, user) -> bool:
    return bool(user.is_authenticated and request.session.get(DEVICE_ID_SESSION_KEY))


def _with_verification(request, user):
    user.otp_device = None
    user.is_verified = functools.partial(_session_verified, request, user)
    return user


class VerifiedSessionMiddleware:
    """django-otp's OTPMiddleware without its per-request device query: the session records
    that the second factor was passed (django_otp.login), and removing or unconfirming a
    user's authenticator ends all their sessions (security.signals), so the record cannot
    outlive the device. Installs `user.is_verified()` as OTPMiddleware does."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None:
            request.user = SimpleLazyObject(functools.partial(_with_verification, request, user))
        return self.get_response(request)


class SessionPolicyMiddleware:
    """Idle and absolute timeouts, the end of a disabled user's sessions, and no-store."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        session = request.session
        if "_auth_user_id" in session and not request.user.is_authenticated:
            # The account was disabled or deleted: ModelBackend no longer loads it. End the
            # session now rather than leaving a dead one (ASVS 3.3.4 analogue).
            session.flush()
        elif request.user.is_authenticated and not (
            _is_api(request) and _has_token_header(request)
        ):
            reason = session_expiry_reason(session)
            if reason is not None:
                logout(request)
                if _is_api(request):
                    return JsonResponse(
                        error_body(status_code=401, code="session_expired", message=reason),
                        status=401,
                    )
                messages.info(request, reason)
                return redirect(f"{settings.LOGIN_URL}?{urlencode({'next': request.path})}")
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            # ASVS 8.2.1: nothing a signed-in user sees is kept by a browser or proxy cache.
            response["Cache-Control"] = "no-store"
            response["Pragma"] = "no-cache"
        return response


class SecondFactorMiddleware:
    """Refuse every page and API call from a session that has not passed the second factor
    (ASVS 2.2.1/4.1.1): pages redirect to the second-factor step, API calls get 403."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        user = request.user
        if not user.is_authenticated or user.is_verified():
            return None
        if request.path.startswith(OPEN_PATH_PREFIXES):
            return None
        match = request.resolver_match
        if match is not None and match.view_name in OPEN_TO_PASSWORD_ONLY:
            return None
        if _is_api(request):
            if _has_token_header(request):
                return None
            return JsonResponse(
                error_body(
                    status_code=403, code="second_factor_required", message=SECOND_FACTOR_REQUIRED
                ),
                status=403,
            )
        step = second_factor_step(user)
        return redirect(f"{reverse(step)}?{urlencode({'next': request.get_full_path()})}")
