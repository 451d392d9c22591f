"""Reads for the access log page and the subject access export."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from advice_requests.access_models import AccessLog

from .models import RecordAccess


@dataclass(frozen=True)
class AccessRow:
    occurred_at: datetime
    username: str
    what: str
    reference: str
    ip_address: str | None


def child_access_log(*, child) -> list[AccessRow]:
    """Every logged view of one child's record: case record views (security) and advice
    request reads and document downloads (advice_requests). Two queries."""
    rows = [
        AccessRow(r.occurred_at, r.username, r.what, r.case_reference, r.ip_address)
        for r in RecordAccess.objects.filter(child_id=child.pk)
    ]
    rows += [
        AccessRow(
            r.occurred_at,
            r.username,
            f"advice request: {r.get_action_display()}",
            r.advice_request.case.reference,
            r.ip_address,
        )
        for r in AccessLog.objects.filter(advice_request__case__child=child).select_related(
            "advice_request__case"
        )
    ]
    return sorted(rows, key=lambda row: row.occurred_at, reverse=True)
