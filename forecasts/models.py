"""What the forecasts keep: how long each stage took (a small table, recomputed nightly), one
forecast row per open case (read as columns, never computed on a page), each partner service's
declared capacity, and the latest backtest's accuracy (ehc-process.md section 15)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from cases.models import Case


class DurationKind(models.TextChoices):
    STAGE = "stage", "Case stage"
    ADVICE = "advice", "Advice from a partner service"


class StageDuration(models.Model):
    """The distribution of one stage's duration (or one service's advice) over the window,
    by Kaplan-Meier (forecasts.survival): finished spells and, censored, those still open."""

    kind = models.CharField(max_length=8, choices=DurationKind.choices)
    #: A case status for a stage; for advice, the service's id, or "parent_views".
    key = models.CharField(max_length=40)
    service = models.ForeignKey(
        "advice_requests.PartnerService",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    window_from = models.DateField()
    window_to = models.DateField()
    finished = models.PositiveIntegerField(help_text="Spells that ended in the window.")
    censored = models.PositiveIntegerField(help_text="Spells still open (or withdrawn).")
    median_days = models.PositiveIntegerField(null=True, blank=True)
    p90_days = models.PositiveIntegerField(null=True, blank=True)
    curve = models.JSONField(default=dict, help_text="Kaplan-Meier curve: times and survival.")
    computed_at = models.DateTimeField()

    class Meta:
        ordering = ["kind", "key"]
        constraints = [
            models.UniqueConstraint(fields=["kind", "key"], name="stage_duration_one_per_key"),
        ]

    def __str__(self):
        return f"{self.kind} {self.key}: median {self.median_days} days"


class CaseForecast(models.Model):
    """One open case's forecast, written by the nightly recompute in set-based statements.
    Dates are null where a milestone is already met, or where there is no history to forecast
    from (`no_history` then says which stage)."""

    case = models.OneToOneField(
        Case, primary_key=True, on_delete=models.CASCADE, related_name="forecast"
    )
    computed_on = models.DateField()
    decision_to_assess_likely_on = models.DateField(null=True, blank=True)
    decision_to_assess_pessimistic_on = models.DateField(null=True, blank=True)
    statutory_panel_decision_likely_on = models.DateField(null=True, blank=True)
    statutory_panel_decision_pessimistic_on = models.DateField(null=True, blank=True)
    draft_plan_likely_on = models.DateField(null=True, blank=True)
    draft_plan_pessimistic_on = models.DateField(null=True, blank=True)
    final_plan_likely_on = models.DateField(null=True, blank=True)
    final_plan_pessimistic_on = models.DateField(null=True, blank=True)
    final_plan_likely_week = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="Week of the clock the final plan is likely in."
    )
    misses_final_plan = models.BooleanField(
        default=False, help_text="The likely final plan date is after the 20-week due date."
    )
    reason = models.CharField(max_length=300, blank=True)
    basis = models.JSONField(default=list, blank=True, help_text="The forecast's basis, in words.")
    no_history = models.CharField(
        max_length=200, blank=True, help_text="The stage or service with no history, if any."
    )

    class Meta:
        indexes = [
            # The dashboard's "forecast to miss 20 weeks" and the risk condition read only these.
            models.Index(
                fields=["final_plan_likely_on"],
                condition=Q(misses_final_plan=True),
                name="forecast_misses_idx",
            ),
        ]

    def __str__(self):
        return f"Forecast for case {self.case_id}"

    def save(self, *args, **kwargs):
        """Saving a forecast keeps its case's stored risk input right (decision 0190)."""
        super().save(*args, **kwargs)
        from .risk_inputs import case_forecast_input_refresh  # noqa: PLC0415 - imports this

        case_forecast_input_refresh([self.case_id])


class ServiceCapacity(models.Model):
    """What a partner service says it can do: advice (for example EP assessments) a week."""

    service = models.OneToOneField(
        "advice_requests.PartnerService",
        primary_key=True,
        on_delete=models.CASCADE,
        related_name="forecast_capacity",
    )
    per_week = models.DecimalField(max_digits=6, decimal_places=1)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name_plural = "service capacities"
        constraints = [
            models.CheckConstraint(condition=Q(per_week__gte=0), name="capacity_not_negative"),
        ]

    def __str__(self):
        return f"{self.service}: {self.per_week} a week"


class BacktestResult(models.Model):
    """The figures of one backtest run (forecasts_backtest), shown next to the forecasts."""

    ran_at = models.DateTimeField()
    source = models.CharField(max_length=100, help_text="Which history was replayed.")
    period_from = models.DateField()
    period_to = models.DateField()
    cases = models.PositiveIntegerField(help_text="Cases forecast at week 8 and since closed.")
    median_absolute_error_days = models.PositiveIntegerField(null=True, blank=True)
    breaches = models.PositiveIntegerField(help_text="Cases whose final plan came after week 20.")
    breaches_flagged = models.PositiveIntegerField(
        help_text="Of those, forecast to miss at week 8."
    )
    false_alarms = models.PositiveIntegerField(help_text="Forecast to miss at week 8 but on time.")
    flagged = models.PositiveIntegerField(help_text="All cases forecast to miss at week 8.")
    no_forecast = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-ran_at", "-id"]

    def __str__(self):
        return f"Backtest {self.ran_at:%Y-%m-%d}"

    @property
    def flagged_share(self) -> int | None:
        return round(100 * self.breaches_flagged / self.breaches) if self.breaches else None

    @property
    def on_time(self) -> int:
        return self.cases - self.breaches

    @property
    def false_alarm_share(self) -> int | None:
        return round(100 * self.false_alarms / self.flagged) if self.flagged else None
