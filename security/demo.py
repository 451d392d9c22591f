"""The documented demo second factor, so `make run` still signs in with two commands.

Every demo user gets an authenticator with the same fixed, published key and the same
published recovery codes, restored on each `seed_demo` run. Demo databases only: these
secrets are in the README, which is the point (decision 0060)."""

from __future__ import annotations

import base64
import binascii

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Q
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from .two_factor import AUTHENTICATOR_NAME, RECOVERY_NAME

#: Type this into any authenticator app (base32), or use a recovery code below.
DEMO_TOTP_SECRET = "EHCDEMOSECONDFACTORSYNTHETICTWOS"  # noqa: S105 - published demo key
DEMO_RECOVERY_CODES = [f"demo{n:04d}" for n in range(1, 21)]
DEMO_USER_PREFIXES = ("demo.", "cw.")


def demo_totp_key_hex() -> str:
    return binascii.hexlify(base64.b32decode(DEMO_TOTP_SECRET)).decode("ascii")


@transaction.atomic
def seed_demo_second_factor() -> int:
    """Give each demo user the published authenticator and recovery codes (idempotent)."""
    users = get_user_model().objects.filter(
        username__regex=r"^(" + "|".join(p.replace(".", r"\.") for p in DEMO_USER_PREFIXES) + ")"
    )
    count = 0
    for user in users:
        TOTPDevice.objects.update_or_create(
            user=user,
            name=AUTHENTICATOR_NAME,
            defaults={"key": demo_totp_key_hex(), "confirmed": True},
        )
        device, _ = StaticDevice.objects.get_or_create(
            user=user, name=RECOVERY_NAME, defaults={"confirmed": True}
        )
        device.token_set.all().delete()
        StaticToken.objects.bulk_create(
            StaticToken(device=device, token=code) for code in DEMO_RECOVERY_CODES
        )
        count += 1
    return count


#: How `seed_demo` groups the demo logins it prints, first role that matches wins.
LOGIN_GROUPS = (
    ("manager", "Manager"),
    ("caseworker", "Caseworkers"),
    ("panel_chair", "Panel chair"),
    ("panel_member", "Panel members"),
    ("partner", "Partners (one per service)"),
)


def _demo_usernames() -> Q:
    query = Q()
    for prefix in DEMO_USER_PREFIXES:
        query |= Q(username__startswith=prefix)
    return query


def demo_logins() -> list[tuple[str, list[str]]]:
    """Every demo login in the database, grouped by role, read from what `seed_demo` made (so
    the list printed by `make run` cannot leave a seeded login out)."""
    users = (
        get_user_model()
        .objects.filter(_demo_usernames(), is_active=True)
        .prefetch_related("groups")
        .order_by("username")
    )
    grouped: dict[str, list[str]] = {label: [] for _, label in LOGIN_GROUPS}
    admins, others = [], []
    for user in users:
        roles = {group.name for group in user.groups.all()}
        label = next((label for role, label in LOGIN_GROUPS if role in roles), None)
        if label is not None:
            grouped[label].append(user.username)
        elif user.is_superuser:
            admins.append(user.username)
        else:
            others.append(user.username)
    lines = [("Administrator", admins), *grouped.items(), ("Other", others)]
    return [(label, names) for label, names in lines if names]
