"""Section 6 plus issue 19: a case whose likely final plan date falls after week 20 is at risk,
weeks before the 14-day window would say so. Registered in RISK_EXTRA_CONDITIONS, so the sweep
alerts once per milestone and level as for any other reason (notifications.case_alerts)."""

from __future__ import annotations

import datetime

from django.db.models import Q

from .models import CaseForecast


def forecast_to_miss_condition(today: datetime.date) -> Q:
    """`id IN (cases forecast to miss)`: one hashed set from the partial index, as the overdue
    advice condition is (decision 0076)."""
    return Q(pk__in=CaseForecast.objects.filter(misses_final_plan=True).values("case_id"))
