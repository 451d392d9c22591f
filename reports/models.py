"""The dashboard's summary (issue 20 item 3): what the manager dashboard's slowest figures
were, as at the last deadline sweep, so the page reads one row instead of counting every open
case and a year's advice requests (decision 0160)."""

from __future__ import annotations

from django.db import models


class DashboardSummary(models.Model):
    """One row (pk 1), replaced by every deadline sweep with the live selectors' own results:
    the open-case counts by caseworker and stage (`open_case_counts`), the advice follow-up
    by service (`advice_outstanding_by_service`) and this year's panel decisions
    (`panel_conversion`). Counts only: no child's or family's data (no subject access or
    retention entry needed)."""

    SINGLETON = 1

    #: The London date the figures were counted for (risk and ageing depend on it).
    day = models.DateField(null=True)
    #: When the sweep counted them; the page says so ("Counts as at 06:00 today").
    taken_at = models.DateTimeField(null=True)
    open_cases = models.JSONField(default=list)
    advice_by_service = models.JSONField(default=list)
    panel_conversion = models.JSONField(default=dict)

    class Meta:
        verbose_name_plural = "dashboard summary"

    def __str__(self) -> str:
        return f"Dashboard summary as at {self.taken_at:%Y-%m-%d %H:%M}" if self.taken_at else "-"
