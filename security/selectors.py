"""Reads for the access log page and the subject access export."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.contrib.auth import get_user_model

from advice_requests.access_models import AccessAction, AccessLog

from .models import RecordAccess


@dataclass(frozen=True)
class AccessRow:
    occurred_at: datetime
    username: str
    what: str
    reference: str
    ip_address: str | None
    name: str = ""


#: What a partner did with an advice request, as a sentence on the access log page.
ADVICE_ACCESS_WORDS = {
    AccessAction.READ: "Opened an advice request",
    AccessAction.LIST: "Saw it listed in an advice inbox",
    AccessAction.DOWNLOAD: "Downloaded an advice document",
}


def _names(user_ids) -> dict[int, str]:
    """User id -> the person's name (one query); a deleted user keeps the logged username."""
    users = get_user_model().objects.filter(pk__in={i for i in user_ids if i is not None})
    return {user.pk: user.get_full_name() for user in users.only("first_name", "last_name")}


def child_access_log(*, child) -> list[AccessRow]:
    """Every logged view of one child's record: case record views (security) and advice
    request reads and document downloads (advice_requests). Two queries."""
    record_views = list(RecordAccess.objects.filter(child_id=child.pk))
    advice_reads = list(
        AccessLog.objects.filter(advice_request__case__child=child).select_related(
            "advice_request__case"
        )
    )
    names = _names([r.user_id for r in record_views] + [r.user_id for r in advice_reads])
    rows = [
        AccessRow(
            r.occurred_at,
            r.username,
            f"Opened the {r.what}" if r.what == "case record page" else r.what.capitalize(),
            r.case_reference,
            r.ip_address,
            names.get(r.user_id) or r.username,
        )
        for r in record_views
    ]
    rows += [
        AccessRow(
            r.occurred_at,
            r.username,
            ADVICE_ACCESS_WORDS.get(r.action, r.get_action_display()),
            r.advice_request.case.reference,
            r.ip_address,
            names.get(r.user_id) or r.username,
        )
        for r in advice_reads
    ]
    return sorted(rows, key=lambda row: row.occurred_at, reverse=True)
