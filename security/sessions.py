"""Session lifetime (OWASP ASVS 3.3): an idle timeout and an absolute one, both configurable.

The times the session was signed in and last used are kept in the session itself; the clock is
`time.time()`, so tests freeze it with time-machine."""

from __future__ import annotations

import time

from django.conf import settings
from django.contrib.sessions.models import Session
from django.db import transaction
from django.utils import timezone

SIGNED_IN_AT = "ehc_signed_in_at"
LAST_SEEN_AT = "ehc_last_seen_at"

LAST_SEEN_RESOLUTION_SECONDS = 60

IDLE_TIMED_OUT = "You were signed out because you had not used the service for {minutes} minutes."
ABSOLUTE_TIMED_OUT = "You were signed out because you signed in more than {hours} hours ago."


def session_started(session) -> None:
    now = time.time()
    session[SIGNED_IN_AT] = now
    session[LAST_SEEN_AT] = now


def session_expiry_reason(session) -> str | None:
    """Why this signed-in session has expired, or None if it is still good."""
    now = time.time()
    signed_in = session.get(SIGNED_IN_AT)
    seen = session.get(LAST_SEEN_AT)
    if signed_in is None or seen is None:
        # A session from before these keys existed: treat it as starting now.
        session_started(session)
        return None
    idle = settings.EHC_SESSION_IDLE_SECONDS
    absolute = settings.EHC_SESSION_ABSOLUTE_SECONDS
    if now - signed_in > absolute:
        return ABSOLUTE_TIMED_OUT.format(hours=absolute // 3600)
    if now - seen > idle:
        return IDLE_TIMED_OUT.format(minutes=idle // 60)
    if now - seen >= LAST_SEEN_RESOLUTION_SECONDS:
        # Written at most once a minute, so a page view does not always write the session.
        session[LAST_SEEN_AT] = now
    return None


@transaction.atomic
def sessions_end_for_user(*, user_id) -> int:
    """End every session of one user (their authenticator was removed, or an administrator
    asked). Scans the unexpired sessions: rare, and a council has few thousand at most."""
    ended = 0
    for session in Session.objects.filter(expire_date__gt=timezone.now()).iterator():
        if session.get_decoded().get("_auth_user_id") == str(user_id):
            session.delete()
            ended += 1
    return ended
