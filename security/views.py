"""The second-factor pages (set up an authenticator, enter a code, recovery codes) and the
API token page. Thin: django-otp does the cryptography, security.two_factor the rules."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods, require_POST

from cases.models import Child

from . import selectors, tokens, two_factor
from .case_page import may_see_access_log
from .forms import SecondFactorForm

SETUP_SESSION_KEY = "ehc_totp_setup_device"
TOKEN_ISSUED = "A new API token was issued. Copy it now: it will not be shown again."  # noqa: S105 - a message, not a secret
TOKEN_REVOKED = "Your API token was revoked. Integrations using it stop working now."  # noqa: S105 - a message, not a secret
CODES_REISSUED = "New recovery codes issued. The old ones no longer work."


def _next_url(request) -> str:
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return reverse("home")


def _errors(form) -> list[dict]:
    return [
        {"text": message, "href": "#id_code"}
        for messages_ in form.errors.values()
        for message in messages_
    ]


@login_required
@require_http_methods(["GET", "POST"])
def two_factor_verify(request):
    """The second step of signing in: a code from the authenticator or a recovery code."""
    user = request.user
    if user.is_verified():
        return redirect(_next_url(request))
    if not two_factor.has_second_factor(user):
        return redirect(f"{reverse('two-factor-setup')}?{request.GET.urlencode()}")
    form = SecondFactorForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        device = two_factor.second_factor_check(user=user, token=form.cleaned_data["code"])
        if device is not None:
            two_factor.second_factor_complete(request, device)
            return redirect(_next_url(request))
        form.add_error("code", two_factor.CODE_WRONG)
    return render(
        request,
        "security/two_factor_verify.html",
        {"form": form, "next": _next_url(request), "error_items": _errors(form)},
    )


@login_required
@require_http_methods(["GET", "POST"])
def two_factor_setup(request):
    """First sign-in: scan a QR code, prove it with a code, get recovery codes. A user who
    already has an authenticator must pass it before adding another (else a stolen password
    alone could enrol the thief's phone)."""
    user = request.user
    if two_factor.has_second_factor(user) and not user.is_verified():
        return redirect(f"{reverse('two-factor-verify')}?{request.GET.urlencode()}")
    form = SecondFactorForm(request.POST or None, setup=True)
    device_id = request.session.get(SETUP_SESSION_KEY)
    if request.method == "POST" and device_id and form.is_valid():
        device = two_factor.authenticator_confirm(
            user=user, device_id=device_id, token=form.cleaned_data["code"].replace(" ", "")
        )
        if device is not None:
            del request.session[SETUP_SESSION_KEY]
            two_factor.second_factor_complete(request, device)
            codes = two_factor.recovery_codes_issue(user=user)
            return render(
                request,
                "security/recovery_codes.html",
                {"codes": codes, "next": _next_url(request)},
            )
        form.add_error("code", two_factor.SETUP_CODE_WRONG)
    if request.method == "GET" or not device_id:
        device = two_factor.authenticator_start(user=user)
        request.session[SETUP_SESSION_KEY] = device.pk
    else:
        device = two_factor.TOTPDevice.objects.get(pk=device_id, user=user)
    return render(
        request,
        "security/two_factor_setup.html",
        {
            "form": form,
            "next": _next_url(request),
            "qr_svg": two_factor.authenticator_qr_svg(device),
            "secret": two_factor.authenticator_secret(device),
            "error_items": _errors(form),
        },
    )


@login_required
@require_POST
def recovery_codes_reissue(request):
    """New recovery codes (the middleware has already required the second factor)."""
    codes = two_factor.recovery_codes_issue(user=request.user)
    messages.success(request, CODES_REISSUED)
    return render(
        request, "security/recovery_codes.html", {"codes": codes, "next": reverse("home")}
    )


@login_required
@require_http_methods(["GET", "POST"])
def api_token(request):
    """Issue or revoke the user's API token. Reaching this page needs a verified session, so
    tokens go only to users who have passed the second factor (docs/security.md)."""
    issued = None
    if request.method == "POST":
        if request.POST.get("action") == "revoke":
            tokens.api_token_revoke(user=request.user)
            messages.success(request, TOKEN_REVOKED)
            return redirect("api-token")
        issued = tokens.api_token_issue(user=request.user, verified=request.user.is_verified())
        messages.success(request, TOKEN_ISSUED)
    return render(
        request,
        "security/api_token.html",
        {"has_token": tokens.api_token_exists(user=request.user), "issued": issued},
    )


@login_required
def child_access_log(request, child_id: int):
    """Managers: who has looked at this child's record (section 8), newest first."""
    if not may_see_access_log(request.user):
        raise PermissionDenied
    child = get_object_or_404(Child.objects.not_restricted(), pk=child_id)
    return render(
        request,
        "security/child_access_log.html",
        {"child": child, "rows": selectors.child_access_log(child=child)},
    )
