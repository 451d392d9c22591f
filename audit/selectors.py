"""Reads of the audit trail."""

from .models import AuditEntry


def case_history(*, case):
    """A case's history in the order it happened: one query."""
    return AuditEntry.objects.filter(case=case).order_by("occurred_at", "id")
