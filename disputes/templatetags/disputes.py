"""`{% dispute_dashboard %}`: the dashboard's disagreement section, as one include (so the
dashboard's own view and layout need no change; decision 0124)."""

from __future__ import annotations

import datetime

from django import template
from django.utils import timezone

from disputes.selectors import dispute_dashboard as dashboard_counts

register = template.Library()

#: Counted over the last 12 months.
DASHBOARD_DAYS = 365


@register.inclusion_tag("disputes/includes/dashboard_disputes.html")
def dispute_dashboard():
    today = timezone.localdate()
    return {
        "disputes": dashboard_counts(
            today=today, since=today - datetime.timedelta(days=DASHBOARD_DAYS)
        )
    }
