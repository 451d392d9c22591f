"""Reads of the audit trail."""

from django.db.models import DateField
from django.db.models.functions import Coalesce, TruncDate

from .models import AuditEntry


def case_history(*, case):
    """A case's history in the order it happened (issue 14): by the date it happened (its
    effective date; a row without one counts on the day it was recorded), then when it was
    recorded. One query."""
    happened_on = Coalesce("effective_date", TruncDate("occurred_at"), output_field=DateField())
    return AuditEntry.objects.filter(case=case).order_by(happened_on, "occurred_at", "id")
