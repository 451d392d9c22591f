"""Section 6 plus issue 19: a case whose likely final plan date falls after week 20 is at risk,
weeks before the 14-day window would say so. Registered in RISK_EXTRA_CONDITIONS, so the sweep
alerts once per milestone and level as for any other reason (notifications.case_alerts)."""

from __future__ import annotations

import datetime

from django.db.models import Q


def forecast_to_miss_condition(today: datetime.date) -> Q:
    """Read from the case's stored flag, kept by the forecasts' writers (decision 0190)."""
    return Q(forecast_to_miss=True)
