"""API tokens for integrations (ASVS 2.10). A token is issued only to a user whose session has
passed the second factor, so a call with the token counts as second-factor verified."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db import transaction
from rest_framework.authtoken.models import Token

from .two_factor import has_second_factor

NEEDS_SECOND_FACTOR = "API tokens are issued only to users who have set up two-factor sign-in."


@transaction.atomic
def api_token_issue(*, user, verified: bool) -> str:
    """A new token (any old one stops working). `verified`: the caller's session passed the
    second factor; an administrator issuing one in the admin passes whether the user has a
    confirmed authenticator."""
    if not verified or not has_second_factor(user):
        raise PermissionDenied(NEEDS_SECOND_FACTOR)
    Token.objects.filter(user=user).delete()
    return Token.objects.create(user=user).key


@transaction.atomic
def api_token_revoke(*, user) -> int:
    deleted, _ = Token.objects.filter(user=user).delete()
    return deleted


def api_token_exists(*, user) -> bool:
    return Token.objects.filter(user=user).exists()
