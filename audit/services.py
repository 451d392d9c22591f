"""The one audit function. Every state-changing service calls it inside its transaction."""

from __future__ import annotations

import datetime
from typing import Any

from django.db import models

from .models import AuditEntry


def audit_record(
    *,
    actor,
    verb: str,
    target: models.Model,
    case=None,
    from_state: str = "",
    to_state: str = "",
    effective_date: datetime.date | None = None,
    reason: str = "",
    payload: dict[str, Any] | None = None,
) -> AuditEntry:
    """Append one row to the audit trail. `actor` is a user, or None for the system."""
    entry = audit_entry(
        actor=actor,
        verb=verb,
        target=target,
        case=case,
        from_state=from_state,
        to_state=to_state,
        effective_date=effective_date,
        reason=reason,
        payload=payload,
    )
    entry.save()
    return entry


def audit_record_many(entries: list[AuditEntry]) -> list[AuditEntry]:
    """Append many rows built with `audit_entry`, in their order, in a few INSERTs: for the
    tracker import, which writes the history of thousands of cases at once."""
    return AuditEntry.objects.bulk_create(entries, batch_size=1000)


def audit_entry(
    *,
    actor,
    verb: str,
    target: models.Model,
    case=None,
    from_state: str = "",
    to_state: str = "",
    effective_date: datetime.date | None = None,
    reason: str = "",
    payload: dict[str, Any] | None = None,
) -> AuditEntry:
    """One audit row, not yet saved: what `audit_record` writes, field for field."""
    return AuditEntry(
        actor=actor if actor is not None and actor.pk else None,
        actor_username=getattr(actor, "username", "") or "",
        verb=verb,
        target_type=target._meta.label_lower,
        target_id=str(target.pk),
        target_label=str(target)[:200],
        case=case,
        from_state=from_state or "",
        to_state=to_state or "",
        effective_date=effective_date,
        reason=reason or "",
        payload=payload or {},
    )
