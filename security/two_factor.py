"""The second factor (OWASP ASVS 2.7/2.8): a TOTP authenticator app, and single-use recovery
codes for the day the phone is lost. Built on django-otp; the pages are our own GOV.UK ones.

A session counts as signed in only once `otp_login` has run for it: the password alone opens
nothing but the second-factor pages (security.middleware.SecondFactorMiddleware)."""

from __future__ import annotations

import base64
import binascii

import segno
from django.db import transaction
from django_otp import devices_for_user, match_token
from django_otp import login as otp_login_session
from django_otp.plugins.otp_email.models import EmailDevice
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

AUTHENTICATOR_NAME = "Authenticator app"
RECOVERY_NAME = "Recovery codes"
RECOVERY_CODE_COUNT = 10
ISSUER = "EHC needs assessments"

CODE_WRONG = "Enter the 6-digit code from your authenticator app, or an unused recovery code"
CODE_MISSING = "Enter the code from your authenticator app, or one of your recovery codes"
#: Setting up an authenticator proves the app works: a recovery code is no use there.
SETUP_CODE_MISSING = "Enter the code from your authenticator app"
SETUP_CODE_WRONG = "Enter the 6-digit code your authenticator app shows now"


def has_second_factor(user) -> bool:
    """True once the user has a confirmed authenticator (recovery codes alone do not count:
    they are issued with one)."""
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def second_factor_step(user) -> str:
    """Where a password-only session goes next: family accounts get a code by email (issue
    16: a second factor a family can manage); staff their authenticator, or set one up."""
    if EmailDevice.objects.filter(user=user, confirmed=True).exists():
        return "families:sign-in-code"
    return "two-factor-verify" if has_second_factor(user) else "two-factor-setup"


@transaction.atomic
def authenticator_start(*, user) -> TOTPDevice:
    """A fresh, unconfirmed authenticator for the set-up page: confirmed only when the user
    proves they hold it (authenticator_confirm). Old unconfirmed ones are discarded."""
    TOTPDevice.objects.filter(user=user, confirmed=False).delete()
    return TOTPDevice.objects.create(user=user, name=AUTHENTICATOR_NAME, confirmed=False)


def authenticator_secret(device: TOTPDevice) -> str:
    """The key as the base32 text an authenticator app asks for when typed in by hand."""
    return base64.b32encode(binascii.unhexlify(device.key)).decode("ascii").rstrip("=")


def authenticator_qr_svg(device: TOTPDevice) -> str:
    """The otpauth:// URL as an inline SVG QR code (no image request, no script)."""
    return segno.make(device.config_url, error="m").svg_inline(
        scale=4, title="QR code for your authenticator app"
    )


@transaction.atomic
def authenticator_confirm(*, user, device_id: int, token: str) -> TOTPDevice | None:
    """Confirm the authenticator the user has just scanned, if the code matches."""
    device = (
        TOTPDevice.objects.select_for_update()
        .filter(user=user, pk=device_id, confirmed=False)
        .first()
    )
    if device is None or not device.verify_token(token):
        return None
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    return device


@transaction.atomic
def recovery_codes_issue(*, user) -> list[str]:
    """Replace the user's recovery codes with new single-use ones (ASVS 2.6.1); the old ones
    stop working. Shown once; only django-otp's stored copies remain."""
    device, _ = StaticDevice.objects.get_or_create(
        user=user, name=RECOVERY_NAME, defaults={"confirmed": True}
    )
    device.token_set.all().delete()
    codes = [StaticToken.random_token() for _ in range(RECOVERY_CODE_COUNT)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return codes


def second_factor_check(*, user, token: str):
    """The confirmed device the code belongs to, or None. TOTP codes are refused if reused
    within their time step; a recovery code is used up (django-otp's own rules)."""
    token = (token or "").replace(" ", "").strip()
    if not token:
        return None
    return match_token(user, token)


def second_factor_complete(request, device) -> None:
    """Mark this session as having passed the second factor, under a new session id (ASVS
    3.2.1: the id changes whenever the level of authentication does)."""
    request.session.cycle_key()
    otp_login_session(request, device)


def devices(user) -> list:
    return list(devices_for_user(user, confirmed=True))
