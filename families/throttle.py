"""A limit on failed invitation attempts from one address (issue 16, "Bad input and abuse").
An invitation token cannot be guessed (32 random bytes), but a link that does not work, or the
wrong email address for one, is counted: after INVITATION_ATTEMPTS_LIMIT failures in
INVITATION_ATTEMPTS_WINDOW seconds the address is refused until the window ends. Sign-in itself
is behind django-axes, and sign-in codes behind django-otp's cooldown and throttling.

Counted in Django's cache: per process with the default local-memory cache, across processes
when the council configures a shared cache (decision 0132)."""

from __future__ import annotations

from django.core.cache import cache

INVITATION_ATTEMPTS_LIMIT = 10
INVITATION_ATTEMPTS_WINDOW = 15 * 60
TOO_MANY_ATTEMPTS = (
    "There have been too many tries to use an invitation from this device. Wait 15 minutes "
    "and try again, or ask your caseworker for a new invitation."
)


def _key(address: str | None) -> str:
    return f"families:invitation-failures:{address or 'unknown'}"


def invitation_attempts_exceeded(address: str | None) -> bool:
    return cache.get(_key(address), 0) >= INVITATION_ATTEMPTS_LIMIT


def invitation_attempt_failed(address: str | None) -> None:
    key = _key(address)
    cache.add(key, 0, timeout=INVITATION_ATTEMPTS_WINDOW)
    try:
        cache.incr(key)
    except ValueError:  # expired between add and incr: start again
        cache.set(key, 1, timeout=INVITATION_ATTEMPTS_WINDOW)
